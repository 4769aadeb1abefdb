"""Thin HTTP layer of document 003: validate, call one service or selector, serialize."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from appraisals import selectors, services
from appraisals.api import openapi as docs
from appraisals.api.json_patch import JSON_PATCH_MEDIA_TYPE, JSONPatchParser
from appraisals.api.serializers import (
    APPRAISAL_PATCH,
    APPRAISAL_PATCH_SCHEMA,
    PARTICIPANT_PATCH,
    PARTICIPANT_PATCH_SCHEMA,
    AppraisalInputSerializer,
    AppraisalOutputSerializer,
    AppraisalParticipantCreatedOutputSerializer,
    AppraisalParticipantInputSerializer,
    AppraisalParticipantOutputSerializer,
    appraisal_document,
    participant_document,
)
from appraisals.filters import AppraisalFilter, AppraisalParticipantFilter
from appraisals.models import Appraisal, AppraisalParticipant
from appraisals.permissions import AppraisalModelPermissions
from common.exceptions import DOCUMENT_001
from common.openapi import ERROR_401, ERROR_403
from common.permissions import IsConfirmedUser

TAG = "appraisals"
ID_MAX = 10**18 - 1


class AppraisalApiMixin:
    """JWT, a confirmed email and the app's model permissions (the hr-integration group)."""

    permission_classes = [IsConfirmedUser, AppraisalModelPermissions]
    parser_classes = [JSONParser, JSONPatchParser]
    error_contract = DOCUMENT_001

    def get_parsers(self) -> list[BaseParser]:
        """JSON Patch bodies are for PATCH only: POST and PUT take plain JSON (415 otherwise).

        `self.request` is Django's request while DRF builds its own, and the per-operation mock request
        while drf-spectacular documents the view, so the schema lists the media types of each method.
        """
        parsers = super().get_parsers()  # type: ignore[misc]
        method = getattr(getattr(self, "request", None), "method", None)
        if method is None or method == "PATCH":
            return parsers
        return [parser for parser in parsers if not isinstance(parser, JSONPatchParser)]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RequestDataTooBig):  # Django raises it while DRF reads the body; a client error
            exc = BodyTooLargeError()
        return super().handle_exception(exc)  # type: ignore[misc]


class BodyTooLargeError(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "body_too_large"


def _participant_url(request: Request, appraisal_id: int, participant_id: int) -> str:
    path = reverse(
        "appraisals:participant-detail", kwargs={"appraisalId": str(appraisal_id), "participantId": str(participant_id)}
    )
    return request.build_absolute_uri(path)


def _validated(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- appraisals -------------------------------------------------------------------------------


class AppraisalCollectionView(AppraisalApiMixin, GenericAPIView):
    queryset = Appraisal.objects.all()
    serializer_class = AppraisalOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AppraisalFilter

    @extend_schema(
        operation_id="appraisals_list",
        tags=[TAG],
        responses={
            200: AppraisalOutputSerializer(many=True),
            400: docs.APPRAISAL_LIST_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.APPRAISAL_LIST_404,
        },
        examples=[docs.APPRAISAL_OUTPUT_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        """Appraisals, newest first, filtered and paginated."""
        page = self.paginate_queryset(self.filter_queryset(selectors.appraisal_list()))
        return self.get_paginated_response(AppraisalOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="appraisals_create",
        tags=[TAG],
        request=AppraisalInputSerializer,
        parameters=[docs.LOCATION],
        responses={
            201: AppraisalOutputSerializer,
            400: docs.APPRAISAL_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            413: docs.BODY_413,
            415: docs.JSON_415,
        },
        examples=[docs.APPRAISAL_BODY_EXAMPLE, docs.APPRAISAL_OUTPUT_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        """Create an appraisal; a duplicate externalId is a 400."""
        appraisal = services.appraisal_create(data=_validated(AppraisalInputSerializer, request.data))
        location = request.build_absolute_uri(
            reverse("appraisals:appraisal-detail", kwargs={"appraisalId": appraisal.pk})
        )
        return Response(
            AppraisalOutputSerializer(appraisal).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )


class AppraisalDetailView(AppraisalApiMixin, GenericAPIView):
    queryset = Appraisal.objects.all()
    serializer_class = AppraisalOutputSerializer

    @extend_schema(
        operation_id="appraisals_retrieve",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID],
        responses={200: AppraisalOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: docs.APPRAISAL_404},
        examples=[docs.APPRAISAL_OUTPUT_EXAMPLE],
    )
    def get(self, request: Request, appraisalId: str) -> Response:
        return Response(AppraisalOutputSerializer(selectors.appraisal_get(appraisal_id=int(appraisalId))).data)

    @extend_schema(
        operation_id="appraisals_replace",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID],
        request=AppraisalInputSerializer,
        responses={
            200: AppraisalOutputSerializer,
            400: docs.APPRAISAL_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.APPRAISAL_404,
            413: docs.BODY_413,
            415: docs.JSON_415,
        },
        examples=[docs.APPRAISAL_BODY_EXAMPLE, docs.APPRAISAL_OUTPUT_EXAMPLE],
    )
    def put(self, request: Request, appraisalId: str) -> Response:
        """Full replacement: fields left out become empty."""
        data = _validated(AppraisalInputSerializer, request.data)
        appraisal = services.appraisal_replace(appraisal_id=int(appraisalId), data=data)
        return Response(AppraisalOutputSerializer(appraisal).data)

    @extend_schema(
        operation_id="appraisals_patch",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID],
        request={
            JSON_PATCH_MEDIA_TYPE: APPRAISAL_PATCH_SCHEMA,
            "application/json": APPRAISAL_PATCH_SCHEMA,
        },
        responses={
            200: AppraisalOutputSerializer,
            400: docs.APPRAISAL_PATCH_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.APPRAISAL_404,
            409: docs.APPRAISAL_PATCH_409,
            413: docs.BODY_413,
            415: docs.PATCH_415,
        },
        examples=[*docs.APPRAISAL_PATCH_EXAMPLES, docs.APPRAISAL_OUTPUT_EXAMPLE],
    )
    def patch(self, request: Request, appraisalId: str) -> Response:
        """JSON Patch (RFC 6902), validated like PUT; all or nothing."""
        operations = APPRAISAL_PATCH.check(request.data)

        def build(appraisal: Appraisal) -> dict[str, Any]:
            return _validated(
                AppraisalInputSerializer, APPRAISAL_PATCH.apply(appraisal_document(appraisal), operations)
            )

        appraisal = services.appraisal_patch(appraisal_id=int(appraisalId), build=build)
        return Response(AppraisalOutputSerializer(appraisal).data)

    @extend_schema(
        operation_id="appraisals_delete",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ERROR_403,
            404: docs.APPRAISAL_404,
            409: docs.APPRAISAL_DELETE_409,
        },
    )
    def delete(self, request: Request, appraisalId: str) -> Response:
        """Delete an appraisal that never had participants (409 otherwise: participants are never lost)."""
        services.appraisal_delete(appraisal_id=int(appraisalId))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- participants -----------------------------------------------------------------------------


class ParticipantCollectionView(AppraisalApiMixin, GenericAPIView):
    queryset = AppraisalParticipant.objects.all()
    serializer_class = AppraisalParticipantOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AppraisalParticipantFilter

    @extend_schema(
        operation_id="appraisal_participants_list",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID],
        responses={
            200: AppraisalParticipantOutputSerializer(many=True),
            400: docs.PARTICIPANT_LIST_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.PARTICIPANT_LIST_404,
        },
        examples=[docs.PARTICIPANT_OUTPUT_EXAMPLE],
    )
    def get(self, request: Request, appraisalId: str) -> Response:
        """The appraisal's participants (deleted ones hidden), oldest first, filtered and paginated."""
        appraisal_id = int(appraisalId)
        selectors.appraisal_ensure_exists(appraisal_id=appraisal_id)
        page = self.paginate_queryset(self.filter_queryset(selectors.participant_list(appraisal_id=appraisal_id)))
        return self.get_paginated_response(AppraisalParticipantOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="appraisal_participants_create",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID, docs.LOCATION],
        request=AppraisalParticipantInputSerializer,
        responses={
            201: AppraisalParticipantCreatedOutputSerializer,
            400: docs.PARTICIPANT_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.APPRAISAL_404,
            413: docs.BODY_413,
            415: docs.JSON_415,
        },
        examples=[docs.PARTICIPANT_BODY_EXAMPLE, docs.PARTICIPANT_CREATED_EXAMPLE],
    )
    def post(self, request: Request, appraisalId: str) -> Response:
        """Add a participant: 201 with its id, its URL in Location."""
        appraisal_id = int(appraisalId)
        selectors.appraisal_ensure_exists(appraisal_id=appraisal_id)
        data = _validated(AppraisalParticipantInputSerializer, request.data)
        participant = services.participant_create(appraisal_id=appraisal_id, data=data)
        return Response(
            AppraisalParticipantCreatedOutputSerializer(participant).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": _participant_url(request, appraisal_id, participant.pk)},
        )


class ParticipantDetailView(AppraisalApiMixin, GenericAPIView):
    queryset = AppraisalParticipant.objects.all()
    serializer_class = AppraisalParticipantOutputSerializer

    @extend_schema(
        operation_id="appraisal_participants_retrieve",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID, docs.PARTICIPANT_ID],
        responses={
            200: AppraisalParticipantOutputSerializer,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.PARTICIPANT_404,
        },
        examples=[docs.PARTICIPANT_OUTPUT_EXAMPLE],
    )
    def get(self, request: Request, appraisalId: str, participantId: str) -> Response:
        participant = selectors.participant_get(appraisal_id=int(appraisalId), participant_id=int(participantId))
        return Response(AppraisalParticipantOutputSerializer(participant).data)

    @extend_schema(
        operation_id="appraisal_participants_replace",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID, docs.PARTICIPANT_ID],
        request=AppraisalParticipantInputSerializer,
        responses={
            200: AppraisalParticipantOutputSerializer,
            400: docs.PARTICIPANT_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.PARTICIPANT_404,
            413: docs.BODY_413,
            415: docs.JSON_415,
        },
        examples=[docs.PARTICIPANT_BODY_EXAMPLE, docs.PARTICIPANT_OUTPUT_EXAMPLE],
    )
    def put(self, request: Request, appraisalId: str, participantId: str) -> Response:
        """Full replacement with the create body: optional fields left out become empty (null)."""
        appraisal_id, participant_id = int(appraisalId), int(participantId)
        selectors.participant_get(appraisal_id=appraisal_id, participant_id=participant_id)  # 404 before 400
        data = _validated(AppraisalParticipantInputSerializer, request.data)
        participant = services.participant_replace(appraisal_id=appraisal_id, participant_id=participant_id, data=data)
        return Response(AppraisalParticipantOutputSerializer(participant).data)

    @extend_schema(
        operation_id="appraisal_participants_patch",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID, docs.PARTICIPANT_ID],
        request={
            JSON_PATCH_MEDIA_TYPE: PARTICIPANT_PATCH_SCHEMA,
            "application/json": PARTICIPANT_PATCH_SCHEMA,
        },
        responses={
            200: AppraisalParticipantOutputSerializer,
            400: docs.PARTICIPANT_PATCH_400,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.PARTICIPANT_404,
            409: docs.PARTICIPANT_PATCH_409,
            413: docs.BODY_413,
            415: docs.PATCH_415,
        },
        examples=[*docs.PARTICIPANT_PATCH_EXAMPLES, docs.PARTICIPANT_OUTPUT_EXAMPLE],
    )
    def patch(self, request: Request, appraisalId: str, participantId: str) -> Response:
        """JSON Patch (RFC 6902) on the camelCase representation, validated like PUT; all or nothing."""
        appraisal_id, participant_id = int(appraisalId), int(participantId)
        selectors.participant_get(appraisal_id=appraisal_id, participant_id=participant_id)  # 404 before 400
        operations = PARTICIPANT_PATCH.check(request.data)

        def build(participant: AppraisalParticipant) -> dict[str, Any]:
            patched = PARTICIPANT_PATCH.apply(participant_document(participant), operations)
            return _validated(AppraisalParticipantInputSerializer, patched)

        participant = services.participant_patch(appraisal_id=appraisal_id, participant_id=participant_id, build=build)
        return Response(AppraisalParticipantOutputSerializer(participant).data)

    @extend_schema(
        operation_id="appraisal_participants_delete",
        tags=[TAG],
        parameters=[docs.APPRAISAL_ID, docs.PARTICIPANT_ID],
        request=None,
        responses={
            200: AppraisalParticipantOutputSerializer,
            401: ERROR_401,
            403: ERROR_403,
            404: docs.PARTICIPANT_404,
        },
        examples=[docs.PARTICIPANT_DELETED_EXAMPLE],
    )
    def delete(self, request: Request, appraisalId: str, participantId: str) -> Response:
        """Soft delete: status becomes 5, the participant disappears from the API (404), staff keep it in the admin."""
        participant = services.participant_delete(appraisal_id=int(appraisalId), participant_id=int(participantId))
        return Response(AppraisalParticipantOutputSerializer(participant).data)

"""Document 003 over HTTP: serializer in, one service or selector call, serializer out. OpenAPI in openapi.py."""

from typing import Any

from django.urls import reverse
from rest_framework import status
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from appraisals import selectors, services
from appraisals.api import openapi as docs
from appraisals.api.json_patch import JSONPatchParser
from appraisals.api.serializers import (
    APPRAISAL_PATCH,
    PARTICIPANT_PATCH,
    AppraisalInputSerializer,
    AppraisalOutputSerializer,
    AppraisalParticipantCreatedOutputSerializer,
    AppraisalParticipantInputSerializer,
    AppraisalParticipantOutputSerializer,
)
from appraisals.filters import AppraisalFilter, AppraisalParticipantFilter
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from common.api import ApiWiring
from common.conditional import ConditionalResource, if_match, lock_row, with_etag
from common.exceptions import DOCUMENT_001
from common.idempotency import idempotent
from common.parsers import JSONParser
from common.permissions import IsConfirmedUser, ModelPermissions
from common.query import StrictFilterBackend
from common.schema import ConventionsAutoSchema


class AppraisalsViewSet(ApiWiring, GenericViewSet):
    """JWT, a confirmed email and the app's model permissions (the hr-integration group)."""

    permission_classes = (IsConfirmedUser, ModelPermissions)
    defers_session_check = True  # its GETs only read (accounts/middleware.py)
    parser_classes = (JSONParser, JSONPatchParser)
    filter_backends = (StrictFilterBackend,)
    error_contract = DOCUMENT_001
    schema = ConventionsAutoSchema()

    @property
    def appraisal_id(self) -> int:
        return int(self.kwargs["appraisalId"])

    def get_parsers(self) -> list[BaseParser]:
        """JSON Patch bodies are for PATCH only: POST and PUT take plain JSON (415 otherwise).

        `self.request` is Django's request while DRF builds its own, and the per-operation mock request
        while drf-spectacular documents the view, so the schema lists the media types of each method.
        """
        parsers = super().get_parsers()
        method = getattr(getattr(self, "request", None), "method", None)
        if method is None or method == "PATCH":
            return parsers
        return [parser for parser in parsers if not isinstance(parser, JSONPatchParser)]

    def created(self, body: Any, *, url_name: str, **kwargs: int) -> Response:
        """201 with the new resource's absolute URL in Location."""
        location = self.request.build_absolute_uri(reverse(f"appraisals:{url_name}", kwargs=kwargs))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


@docs.appraisals
class AppraisalViewSet(ConditionalResource, AppraisalsViewSet):
    queryset = Appraisal.objects.all()
    serializer_class = AppraisalOutputSerializer
    filterset_class = AppraisalFilter

    def get_object(self) -> Appraisal:
        return selectors.appraisal_get(appraisal_id=self.appraisal_id)

    def etag_lock(self) -> bool:
        return lock_row(Appraisal.objects.filter(pk=self.appraisal_id))

    def etag_representation(self) -> Any:
        return self.output_data(self.get_object())

    def list(self, request: Request) -> Response:
        return self.paginated(selectors.appraisal_list())

    def create(self, request: Request) -> Response:
        appraisal = services.appraisal_create(data=self.validated(AppraisalInputSerializer))
        return self.created(self.output_data(appraisal), url_name="appraisal-detail", appraisalId=appraisal.pk)

    @with_etag
    def retrieve(self, request: Request, **kwargs: str) -> Response:
        return self.output(self.get_object())

    @if_match
    def update(self, request: Request, **kwargs: str) -> Response:
        data = self.validated(AppraisalInputSerializer)
        return self.output(services.appraisal_replace(appraisal_id=self.appraisal_id, data=data))

    @if_match
    def partial_update(self, request: Request, **kwargs: str) -> Response:
        build = APPRAISAL_PATCH.builder(request.data)  # a malformed patch is a 400 before the 404
        return self.output(services.appraisal_patch(appraisal_id=self.appraisal_id, build=build))

    def destroy(self, request: Request, **kwargs: str) -> Response:
        services.appraisal_delete(appraisal_id=self.appraisal_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@docs.participants
class ParticipantViewSet(ConditionalResource, AppraisalsViewSet):
    queryset = AppraisalParticipant.objects.all()
    serializer_class = AppraisalParticipantOutputSerializer
    filterset_class = AppraisalParticipantFilter

    @property
    def ids(self) -> dict[str, int]:
        """The path's ids, as selectors and services take them."""
        return {"appraisal_id": self.appraisal_id, "participant_id": int(self.kwargs["participantId"])}

    def get_object(self) -> AppraisalParticipant:
        return selectors.participant_get(**self.ids)

    def etag_lock(self) -> bool:
        ids = self.ids
        visible = AppraisalParticipant.objects.exclude(status=ParticipantStatus.DELETED)
        return lock_row(visible.filter(appraisal_id=ids["appraisal_id"], pk=ids["participant_id"]))

    def etag_representation(self) -> Any:
        return self.output_data(self.get_object())

    def list(self, request: Request, **kwargs: str) -> Response:
        return self.paginated(selectors.participant_list(appraisal_id=self.appraisal_id))

    @idempotent
    def create(self, request: Request, **kwargs: str) -> Response:
        selectors.appraisal_ensure_exists(appraisal_id=self.appraisal_id)  # 404 before 400
        data = self.validated(AppraisalParticipantInputSerializer)
        participant = services.participant_create(appraisal_id=self.appraisal_id, data=data, actor=request.user)
        body = AppraisalParticipantCreatedOutputSerializer(participant).data
        return self.created(
            body, url_name="participant-detail", appraisalId=participant.appraisal_id, participantId=participant.pk
        )

    @with_etag
    def retrieve(self, request: Request, **kwargs: str) -> Response:
        return self.output(self.get_object())

    @if_match
    def update(self, request: Request, **kwargs: str) -> Response:
        self.get_object()  # 404 before 400
        data = self.validated(AppraisalParticipantInputSerializer)
        return self.output(services.participant_replace(**self.ids, data=data, actor=request.user))

    @if_match
    def partial_update(self, request: Request, **kwargs: str) -> Response:
        self.get_object()  # 404 before 400
        build = PARTICIPANT_PATCH.builder(request.data)
        return self.output(services.participant_patch(**self.ids, build=build, actor=request.user))

    def destroy(self, request: Request, **kwargs: str) -> Response:
        return self.output(services.participant_delete(**self.ids, actor=request.user))

"""OpenAPI of document 003: parameters, body examples, every error each operation answers, and the operations
themselves (`appraisals` and `participants`, attached to the viewsets with `extend_schema_view`).

The error examples are the bodies the API really sends (tests compare them with live answers).
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from appraisals import errors
from appraisals.api.json_patch import JSON_PATCH_MEDIA_TYPE
from appraisals.api.serializers import (
    APPRAISAL_PATCH_SCHEMA,
    PARTICIPANT_PATCH_SCHEMA,
    AppraisalInputSerializer,
    AppraisalOutputSerializer,
    AppraisalParticipantCreatedOutputSerializer,
    AppraisalParticipantInputSerializer,
    AppraisalParticipantOutputSerializer,
)
from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404, ERROR_409

TAG = "appraisals"

# The examples are `make run`'s demo data (appraisals/demo.py on a fresh database): appraisal 1 with participants 1
# to 5 (participant 1 requested), appraisal 3 without participants (the one that can be deleted).
APPRAISAL_ID = OpenApiParameter(
    "appraisalId",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="Appraisal identifier.",
    examples=[OpenApiExample("Demo data", value=1)],
)
EMPTY_APPRAISAL_ID = OpenApiParameter(
    "appraisalId",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="Appraisal identifier.",
    examples=[OpenApiExample("Demo data (no participants)", value=3)],
)
PARTICIPANT_ID = OpenApiParameter(
    "participantId",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="Participant identifier within the appraisal.",
    examples=[OpenApiExample("Demo data", value=1)],
)
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[201],
    description="Absolute URL of the created resource.",
)

# --- bodies -----------------------------------------------------------------------------------

EXAMPLE_B64 = "0KLRg9GCINGA0LDQt9C90YvQtSDQv9C+0LvQtdC30L3Ri9C1INGA0LXQutC+0LzQtdC90LTQsNGG0LjQuCA="
PARTICIPANT_BODY_EXAMPLE = OpenApiExample(
    "Participant (document 003)",
    value={
        "externalId": "externalID1104",
        "participantUserExternalId": "SU44617",
        "dateCompleted": "2018-07-01T00:00:00+03:00",
        "isMain": False,
        "textFeedback": EXAMPLE_B64,
        "textHint": EXAMPLE_B64,
        "status": 3,
        "participationReason": EXAMPLE_B64,
        "requestDate": "2019-01-15T00:00:00+03:00",
        "requestLastDate": "2018-12-25T00:00:00+03:00",
    },
    request_only=True,
)
PARTICIPANT_OUTPUT_EXAMPLE = OpenApiExample(
    "Participant",
    value={
        "id": 7,
        "appraisalId": 1,
        "externalId": "externalID1104",
        "participantUserExternalId": "SU44617",
        "dateCompleted": "2018-06-30T21:00:00Z",
        "isMain": False,
        "textFeedback": EXAMPLE_B64,
        "textHint": EXAMPLE_B64,
        "participationReason": EXAMPLE_B64,
        "status": 3,
        "requestDate": "2019-01-14T21:00:00Z",
        "requestLastDate": "2018-12-24T21:00:00Z",
        "createdAt": "2024-05-01T09:00:00Z",
        "updatedAt": "2024-05-01T09:00:00Z",
    },
    response_only=True,  # 200 and 201 unless an operation says otherwise
)
PARTICIPANT_DELETED_EXAMPLE = OpenApiExample(
    "Deleted participant",
    value={**PARTICIPANT_OUTPUT_EXAMPLE.value, "status": 5, "updatedAt": "2024-05-02T10:00:00Z"},
    response_only=True,
)
PARTICIPANT_CREATED_EXAMPLE = OpenApiExample("Created", value={"id": 7}, response_only=True, status_codes=["201"])
APPRAISAL_BODY_EXAMPLE = OpenApiExample(
    "Appraisal",
    value={"externalId": "APR-2024-Q2", "title": "Q2 2024 review", "description": "Quarterly review."},
    request_only=True,
)
APPRAISAL_OUTPUT_EXAMPLE = OpenApiExample(
    "Appraisal",
    value={
        "id": 1,
        "externalId": "APR-2024-Q2",
        "title": "Q2 2024 review",
        "description": "Quarterly review.",
        "createdAt": "2024-05-01T09:00:00Z",
        "updatedAt": "2024-05-01T09:00:00Z",
    },
    response_only=True,  # 200 and 201
)


def patch_examples(name: str, operations: list[dict[str, Any]]) -> list[OpenApiExample]:
    """One JSON Patch example for each accepted media type (a plain JSON array works too)."""
    return [
        OpenApiExample(name, value=operations, request_only=True, media_type=JSON_PATCH_MEDIA_TYPE),
        OpenApiExample(name, value=operations, request_only=True, media_type="application/json"),
    ]


APPRAISAL_PATCH_EXAMPLES = patch_examples(
    "Rename", [{"op": "replace", "path": "/title", "value": "Q2 2024 review (final)"}]
)
PARTICIPANT_PATCH_EXAMPLES = [
    *patch_examples(
        "Replace dateCompleted (document 003)",
        [{"op": "replace", "path": "/dateCompleted", "value": "2020-07-10T00:00:00+03:00"}],
    ),
    *patch_examples(
        "Test, then replace",
        [
            {"op": "test", "path": "/status", "value": 1},
            {"op": "replace", "path": "/status", "value": 2},
            {"op": "copy", "from": "/textFeedback", "path": "/textHint"},
            {"op": "remove", "path": "/participationReason"},
        ],
    ),
]

# --- errors -----------------------------------------------------------------------------------


def _error(base: OpenApiResponse, description: str, **examples: Any) -> OpenApiResponse:
    """`base`'s body schema with this operation's own description and real answers as examples."""
    return OpenApiResponse(
        response=base.response,
        description=description,
        examples=[OpenApiExample(_title(name), value=value) for name, value in examples.items()],
    )


def _title(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def _detail(message: str) -> dict[str, str]:
    return {"detail": message}


_APPRAISAL_NOT_FOUND = _detail("Appraisal not found.")
_PARTICIPANT_NOT_FOUND = _detail("Participant not found.")
_INVALID_PAGE = _detail("Invalid page.")
_PATCH_OPERATION_400 = {
    "patch": ['Operation 0: "path" must name a field of the resource: one of /description, /externalId, /title.']
}

APPRAISAL_LIST_400 = _error(
    ERROR_400, "A filter value is not valid.", invalid_filter={"createdFrom": ["Enter a valid date/time."]}
)
APPRAISAL_LIST_404 = _error(ERROR_404, "A page past the end.", invalid_page=_INVALID_PAGE)
APPRAISAL_BODY_400 = _error(
    ERROR_400,
    "Validation failed: every bad field with its messages; nothing was saved.",
    missing_title={"title": ["This field is required."]},
    duplicate_externalId={"externalId": [errors.DUPLICATE_APPRAISAL_EXTERNAL_ID]},
)
APPRAISAL_PATCH_400 = _error(
    ERROR_400,
    "A malformed patch, or a result that fails validation like PUT; nothing was saved.",
    bad_operation=_PATCH_OPERATION_400,
    invalid_result={"title": ["This field may not be blank."]},
)
APPRAISAL_PATCH_409 = _error(
    ERROR_409,
    "A `test` operation failed, or an operation's target no longer exists; nothing changed.",
    test_failed=_detail('Operation 0 ("test" /title) failed: the value differs; nothing was changed.'),
)
APPRAISAL_DELETE_409 = _error(
    ERROR_409,
    "The appraisal has (or had) participants; it is kept so that they are never lost.",
    has_participants=_detail(errors.APPRAISAL_HAS_PARTICIPANTS),
)
APPRAISAL_404 = _error(ERROR_404, "No such appraisal.", not_found=_APPRAISAL_NOT_FOUND)

PARTICIPANT_LIST_400 = _error(
    ERROR_400,
    "A filter value is not valid.",
    invalid_filter={"status": ["Select a valid choice. 9 is not one of the available choices."]},
)
PARTICIPANT_LIST_404 = _error(
    ERROR_404, "No such appraisal, or a page past the end.", not_found=_APPRAISAL_NOT_FOUND, invalid_page=_INVALID_PAGE
)
PARTICIPANT_BODY_400 = _error(
    ERROR_400,
    "Validation failed: every bad field with its messages; nothing was saved.",
    missing_field={"participantUserExternalId": ["This field is required."]},
    deleted_status={"status": ["Status 5 (deleted) is set only by DELETE."]},
    invalid_base64={"textFeedback": ["Enter a valid Base64-encoded UTF-8 string."]},
    duplicate_externalId={"externalId": [errors.DUPLICATE_PARTICIPANT_EXTERNAL_ID]},
)
PARTICIPANT_PATCH_400 = _error(
    ERROR_400,
    "A malformed patch, or a result that fails validation like PUT; nothing was saved.",
    bad_operation={"patch": ['Operation 0: "value" is required for "replace".']},
    invalid_result={"isMain": ["Must be a valid boolean."]},
)
PARTICIPANT_PATCH_409 = _error(
    ERROR_409,
    "A `test` operation failed, or an operation's target no longer exists; nothing changed.",
    test_failed=_detail('Operation 0 ("test" /status) failed: the value differs; nothing was changed.'),
    target_missing=_detail(
        'Operation 1 ("remove" /textHint) cannot be applied: its target does not exist at that point; '
        "nothing was changed."
    ),
)
PARTICIPANT_404 = _error(
    ERROR_404,
    "No such appraisal, or no such participant in it (deleted ones included).",
    appraisal_not_found=_APPRAISAL_NOT_FOUND,
    participant_not_found=_PARTICIPANT_NOT_FOUND,
)
BODY_413 = _error(
    ERROR_404,  # the same {"detail": ...} body
    "The body is larger than the upload limit (2.5 MB).",
    too_large=_detail("The request body is too large."),
)


def body_415(*media_types: str) -> OpenApiResponse:
    return _error(
        ERROR_404,  # the same {"detail": ...} body
        f"The body is not sent as {' or '.join(f'`{media_type}`' for media_type in media_types)}.",
        unsupported_media_type=_detail('Unsupported media type "text/plain" in request.'),
    )


JSON_415 = body_415("application/json")
PATCH_415 = body_415(JSON_PATCH_MEDIA_TYPE, "application/json")


# --- operations -------------------------------------------------------------------------------

appraisals = extend_schema_view(
    list=extend_schema(
        operation_id="appraisals_list",
        tags=[TAG],
        summary="Appraisals",
        description="Appraisals, newest first, filtered and paginated.",
        responses={
            200: AppraisalOutputSerializer(many=True),
            400: APPRAISAL_LIST_400,
            401: ERROR_401,
            403: ERROR_403,
            404: APPRAISAL_LIST_404,
        },
        examples=[APPRAISAL_OUTPUT_EXAMPLE],
    ),
    create=extend_schema(
        operation_id="appraisals_create",
        tags=[TAG],
        summary="Create an appraisal",
        description="Create an appraisal; a duplicate externalId is a 400.",
        request=AppraisalInputSerializer,
        parameters=[LOCATION],
        responses={
            201: AppraisalOutputSerializer,
            400: APPRAISAL_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            413: BODY_413,
            415: JSON_415,
        },
        examples=[APPRAISAL_BODY_EXAMPLE, APPRAISAL_OUTPUT_EXAMPLE],
    ),
    retrieve=extend_schema(
        operation_id="appraisals_retrieve",
        tags=[TAG],
        summary="One appraisal",
        description="One appraisal by its id.",
        parameters=[APPRAISAL_ID],
        responses={200: AppraisalOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: APPRAISAL_404},
        examples=[APPRAISAL_OUTPUT_EXAMPLE],
    ),
    update=extend_schema(
        operation_id="appraisals_replace",
        tags=[TAG],
        summary="Replace an appraisal",
        description="Full replacement: fields left out become empty.",
        parameters=[APPRAISAL_ID],
        request=AppraisalInputSerializer,
        responses={
            200: AppraisalOutputSerializer,
            400: APPRAISAL_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            404: APPRAISAL_404,
            413: BODY_413,
            415: JSON_415,
        },
        examples=[APPRAISAL_BODY_EXAMPLE, APPRAISAL_OUTPUT_EXAMPLE],
    ),
    partial_update=extend_schema(
        operation_id="appraisals_patch",
        tags=[TAG],
        summary="Change an appraisal (JSON Patch)",
        description="JSON Patch (RFC 6902), validated like PUT; all or nothing.",
        parameters=[APPRAISAL_ID],
        request={JSON_PATCH_MEDIA_TYPE: APPRAISAL_PATCH_SCHEMA, "application/json": APPRAISAL_PATCH_SCHEMA},
        responses={
            200: AppraisalOutputSerializer,
            400: APPRAISAL_PATCH_400,
            401: ERROR_401,
            403: ERROR_403,
            404: APPRAISAL_404,
            409: APPRAISAL_PATCH_409,
            413: BODY_413,
            415: PATCH_415,
        },
        examples=[*APPRAISAL_PATCH_EXAMPLES, APPRAISAL_OUTPUT_EXAMPLE],
    ),
    destroy=extend_schema(
        operation_id="appraisals_delete",
        tags=[TAG],
        summary="Delete an appraisal without participants",
        description="Delete an appraisal that never had participants (409 otherwise: participants are never lost).",
        parameters=[EMPTY_APPRAISAL_ID],
        request=None,
        responses={
            204: OpenApiResponse(description="Deleted."),
            401: ERROR_401,
            403: ERROR_403,
            404: APPRAISAL_404,
            409: APPRAISAL_DELETE_409,
        },
    ),
)

participants = extend_schema_view(
    list=extend_schema(
        operation_id="appraisal_participants_list",
        tags=[TAG],
        summary="An appraisal's participants",
        description="The appraisal's participants (deleted ones hidden), oldest first, filtered and paginated.",
        parameters=[APPRAISAL_ID],
        responses={
            200: AppraisalParticipantOutputSerializer(many=True),
            400: PARTICIPANT_LIST_400,
            401: ERROR_401,
            403: ERROR_403,
            404: PARTICIPANT_LIST_404,
        },
        examples=[PARTICIPANT_OUTPUT_EXAMPLE],
    ),
    create=extend_schema(
        operation_id="appraisal_participants_create",
        tags=[TAG],
        summary="Add a participant",
        description="Add a participant: 201 with its id, its URL in Location.",
        parameters=[APPRAISAL_ID, LOCATION],
        request=AppraisalParticipantInputSerializer,
        responses={
            201: AppraisalParticipantCreatedOutputSerializer,
            400: PARTICIPANT_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            404: APPRAISAL_404,
            413: BODY_413,
            415: JSON_415,
        },
        examples=[PARTICIPANT_BODY_EXAMPLE, PARTICIPANT_CREATED_EXAMPLE],
    ),
    retrieve=extend_schema(
        operation_id="appraisal_participants_retrieve",
        tags=[TAG],
        summary="One participant",
        description="One participant of the appraisal (deleted ones: 404).",
        parameters=[APPRAISAL_ID, PARTICIPANT_ID],
        responses={200: AppraisalParticipantOutputSerializer, 401: ERROR_401, 403: ERROR_403, 404: PARTICIPANT_404},
        examples=[PARTICIPANT_OUTPUT_EXAMPLE],
    ),
    update=extend_schema(
        operation_id="appraisal_participants_replace",
        tags=[TAG],
        summary="Replace a participant",
        description="Full replacement with the create body: optional fields left out become empty (null).",
        parameters=[APPRAISAL_ID, PARTICIPANT_ID],
        request=AppraisalParticipantInputSerializer,
        responses={
            200: AppraisalParticipantOutputSerializer,
            400: PARTICIPANT_BODY_400,
            401: ERROR_401,
            403: ERROR_403,
            404: PARTICIPANT_404,
            413: BODY_413,
            415: JSON_415,
        },
        examples=[PARTICIPANT_BODY_EXAMPLE, PARTICIPANT_OUTPUT_EXAMPLE],
    ),
    partial_update=extend_schema(
        operation_id="appraisal_participants_patch",
        tags=[TAG],
        summary="Change a participant (JSON Patch)",
        description="JSON Patch (RFC 6902) on the camelCase representation, validated like PUT; all or nothing.",
        parameters=[APPRAISAL_ID, PARTICIPANT_ID],
        request={JSON_PATCH_MEDIA_TYPE: PARTICIPANT_PATCH_SCHEMA, "application/json": PARTICIPANT_PATCH_SCHEMA},
        responses={
            200: AppraisalParticipantOutputSerializer,
            400: PARTICIPANT_PATCH_400,
            401: ERROR_401,
            403: ERROR_403,
            404: PARTICIPANT_404,
            409: PARTICIPANT_PATCH_409,
            413: BODY_413,
            415: PATCH_415,
        },
        examples=[*PARTICIPANT_PATCH_EXAMPLES, PARTICIPANT_OUTPUT_EXAMPLE],
    ),
    destroy=extend_schema(
        operation_id="appraisal_participants_delete",
        tags=[TAG],
        summary="Delete a participant (soft delete)",
        description=(
            "Soft delete: status becomes 5, the participant disappears from the API (404), staff keep it in the admin."
        ),
        parameters=[APPRAISAL_ID, PARTICIPANT_ID],
        request=None,
        responses={
            200: AppraisalParticipantOutputSerializer,
            401: ERROR_401,
            403: ERROR_403,
            404: PARTICIPANT_404,
        },
        examples=[PARTICIPANT_DELETED_EXAMPLE],
    ),
)

"""The HR system's wire format: camelCase, Base64 texts, ISO 8601 datetimes with an offset."""

from typing import Any

from django.utils.dateparse import parse_datetime
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appraisals.api.json_patch import JsonPatch
from appraisals.models import SETTABLE_STATUSES, Appraisal, AppraisalParticipant, ParticipantStatus, decode_base64_text
from common.fields import StrictCharField

# Bounded so that a whole body stays well under DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
MAX_BASE64_LENGTH = 200_000
MAX_DESCRIPTION_LENGTH = 10_000
STATUS_DESCRIPTION = (
    "Participant status: 1 requested, 2 provided, 3 not requested, 4 unable to assess, 5 deleted (set only by DELETE)."
)


class OffsetDateTimeField(serializers.DateTimeField):
    """ISO 8601 datetime that must carry its UTC offset (`Z` or `+03:00`): a bare local time is ambiguous."""

    default_error_messages = {
        "naive": "Enter an ISO 8601 datetime with a UTC offset, e.g. 2018-07-01T00:00:00+03:00.",
    }

    def to_internal_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


class StrictBooleanField(serializers.BooleanField):
    """Only JSON true or false: "yes" or 1 are errors, not guesses."""

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(data, bool):
            return data
        self.fail("invalid", input=data)
        raise AssertionError  # unreachable: fail() raises


class Base64TextField(StrictCharField):
    """A text sent as a Base64 string; stored as received, rejected unless it decodes to UTF-8 text."""

    default_error_messages = {"base64": "Enter a valid Base64-encoded UTF-8 string."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("max_length", MAX_BASE64_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            decode_base64_text(value)
        except ValueError:
            self.fail("base64")
        return value


_SETTABLE_STATUS_SCHEMA = build_choice_field(
    serializers.ChoiceField(choices=[(status.value, status.label) for status in SETTABLE_STATUSES])
)


# Documented as the ChoiceField it behaves like; a plain Field because its values are ints, not a ChoiceField's str.
@extend_schema_field(
    {**_SETTABLE_STATUS_SCHEMA, "description": f"{STATUS_DESCRIPTION}\n\n{_SETTABLE_STATUS_SCHEMA['description']}"}
)
class ParticipantStatusInputField(serializers.Field[int, Any, int, Any]):
    """Statuses 1-4 as JSON integers; 5 (deleted) is reached through DELETE only."""

    default_error_messages = {
        "deleted": "Status 5 (deleted) is set only by DELETE.",
        "invalid_choice": '"{input}" is not a valid status: send an integer 1, 2, 3 or 4.',
    }

    def to_internal_value(self, data: Any) -> int:
        if data == ParticipantStatus.DELETED and type(data) is int:
            self.fail("deleted")
        if type(data) is not int or data not in SETTABLE_STATUSES:
            self.fail("invalid_choice", input=data)
        return data

    def to_representation(self, value: int) -> int:
        return value


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The input's validated values; a 400 naming every bad field otherwise."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- appraisals -------------------------------------------------------------------------------


class AppraisalInputSerializer(serializers.Serializer):
    """Create and full replacement (PUT): fields left out become empty."""

    externalId = StrictCharField(
        source="external_id", required=False, allow_null=True, allow_blank=True, max_length=255
    )
    title = StrictCharField(max_length=255)
    description = StrictCharField(required=False, allow_blank=True, max_length=MAX_DESCRIPTION_LENGTH)


class AppraisalOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    externalId = serializers.CharField(source="external_id", allow_null=True)
    title = serializers.CharField()
    description = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")


def appraisal_document(appraisal: Appraisal) -> dict[str, Any]:
    """The representation a JSON Patch on an appraisal is applied to."""
    return {"externalId": appraisal.external_id, "title": appraisal.title, "description": appraisal.description}


APPRAISAL_PATCH = JsonPatch[Appraisal](
    fields=["externalId", "title", "description"],
    document=appraisal_document,
    validate=lambda data: validated(AppraisalInputSerializer, data),
)
APPRAISAL_PATCH_SCHEMA = APPRAISAL_PATCH.patch_schema("AppraisalPatch")


# --- participants -----------------------------------------------------------------------------


class AppraisalParticipantInputSerializer(serializers.Serializer):
    """Create and full replacement (PUT); also validates the result of a JSON Patch."""

    externalId = StrictCharField(
        source="external_id",
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=255,
        help_text="External identifier, unique among participants that are not deleted.",
    )
    participantUserExternalId = StrictCharField(
        source="participant_user_external_id",
        max_length=255,
        help_text="The evaluating user's identifier in the external system.",
    )
    dateCompleted = OffsetDateTimeField(source="date_completed", help_text="Completion date.")
    isMain = StrictBooleanField(source="is_main", help_text="Whether the participant is the main evaluator.")
    textFeedback = Base64TextField(source="text_feedback", help_text="Text feedback, Base64-encoded.")
    textHint = Base64TextField(source="text_hint", help_text="Hint from the main evaluator, Base64-encoded.")
    participationReason = Base64TextField(
        source="participation_reason", help_text="Reason for participation, Base64-encoded."
    )
    status = ParticipantStatusInputField()
    requestDate = OffsetDateTimeField(source="request_date", required=False, allow_null=True, help_text="Sent at.")
    requestLastDate = OffsetDateTimeField(
        source="request_last_date", required=False, allow_null=True, help_text="Answer received at."
    )
    responseDate = OffsetDateTimeField(
        required=False,
        allow_null=True,
        help_text=(
            "Alias of requestLastDate (the document's example uses this name); answers always say requestLastDate."
        ),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "responseDate" in attrs:
            alias = attrs.pop("responseDate")
            if "request_last_date" in attrs and attrs["request_last_date"] != alias:
                raise serializers.ValidationError(
                    {
                        "responseDate": [
                            "responseDate is an alias of requestLastDate: send one of them, or equal values."
                        ]
                    }
                )
            attrs["request_last_date"] = alias
        return attrs


class AppraisalParticipantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    appraisalId = serializers.IntegerField(source="appraisal_id")
    externalId = serializers.CharField(source="external_id", allow_null=True)
    participantUserExternalId = serializers.CharField(source="participant_user_external_id")
    dateCompleted = serializers.DateTimeField(source="date_completed")
    isMain = serializers.BooleanField(source="is_main")
    textFeedback = serializers.CharField(source="text_feedback", allow_null=True)
    textHint = serializers.CharField(source="text_hint", allow_null=True)
    participationReason = serializers.CharField(source="participation_reason", allow_null=True)
    status = serializers.ChoiceField(choices=ParticipantStatus.choices, help_text=STATUS_DESCRIPTION)
    requestDate = serializers.DateTimeField(source="request_date", allow_null=True)
    requestLastDate = serializers.DateTimeField(source="request_last_date", allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")


class AppraisalParticipantCreatedOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The created participant's identifier; its URL is in Location.")


PARTICIPANT_PATCH_FIELDS = (
    "externalId",
    "participantUserExternalId",
    "dateCompleted",
    "isMain",
    "textFeedback",
    "textHint",
    "participationReason",
    "status",
    "requestDate",
    "requestLastDate",
)


def participant_document(participant: AppraisalParticipant) -> dict[str, Any]:
    """The camelCase representation a JSON Patch on a participant is applied to: its writable fields."""
    data = AppraisalParticipantOutputSerializer(participant).data
    return {field: data[field] for field in PARTICIPANT_PATCH_FIELDS}


PARTICIPANT_PATCH = JsonPatch[AppraisalParticipant](
    fields=PARTICIPANT_PATCH_FIELDS,
    document=participant_document,
    validate=lambda data: validated(AppraisalParticipantInputSerializer, data),
    aliases={"responseDate": "requestLastDate"},
    datetime_fields=("dateCompleted", "requestDate", "requestLastDate"),
)
PARTICIPANT_PATCH_SCHEMA = PARTICIPANT_PATCH.patch_schema("AppraisalParticipantPatch")

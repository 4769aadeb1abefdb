from typing import Any

import django_filters
from drf_spectacular.drainage import set_override

from appraisals.models import SETTABLE_STATUSES, Appraisal, AppraisalParticipant
from common.filters import UtcIsoDateTimeFilter


class AppraisalFilter(django_filters.FilterSet):
    externalId = django_filters.CharFilter(field_name="external_id", help_text="Exact externalId.")
    createdFrom = UtcIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Created at or after (ISO 8601)."
    )
    createdTo = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt", help_text="Created before (ISO 8601).")

    class Meta:
        model = Appraisal
        fields: list[str] = []


class BooleanTextFilter(django_filters.TypedChoiceFilter):
    """A boolean as a query string writes one, `true` or `false`: documented as the boolean it is (as a choice of
    two strings on the model's boolean, the schema would be a boolean whose values are strings)."""

    def __init__(self, *, help_text: str, **kwargs: Any) -> None:
        super().__init__(
            choices=[("true", "true"), ("false", "false")],
            coerce=lambda value: value == "true",
            help_text=help_text,
            **kwargs,
        )
        set_override(self, "field", {"type": "boolean", "description": help_text})


class AppraisalParticipantFilter(django_filters.FilterSet):
    status = django_filters.TypedChoiceFilter(
        choices=[(s.value, s.label) for s in SETTABLE_STATUSES],
        coerce=int,
        help_text="1 requested, 2 provided, 3 not requested, 4 unable to assess.",
    )
    # Strict: an unknown value is a 400, not a silently ignored filter.
    isMain = BooleanTextFilter(field_name="is_main", help_text="`true` or `false` (lower case).")
    participantUserExternalId = django_filters.CharFilter(
        field_name="participant_user_external_id", help_text="Exact participantUserExternalId."
    )

    class Meta:
        model = AppraisalParticipant
        fields: list[str] = []

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from appraisals.models import SETTABLE_STATUSES, Appraisal, AppraisalParticipant


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 converted to UTC: any offset Python accepts (up to ±23:59) becomes one PostgreSQL takes."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError("Enter a valid date/time.", code="invalid") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class AppraisalFilter(django_filters.FilterSet):
    externalId = django_filters.CharFilter(field_name="external_id", help_text="Exact externalId.")
    createdFrom = UtcIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Created at or after (ISO 8601)."
    )
    createdTo = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt", help_text="Created before (ISO 8601).")

    class Meta:
        model = Appraisal
        fields: list[str] = []


class AppraisalParticipantFilter(django_filters.FilterSet):
    status = django_filters.TypedChoiceFilter(
        choices=[(s.value, s.label) for s in SETTABLE_STATUSES],
        coerce=int,
        help_text="1 requested, 2 provided, 3 not requested, 4 unable to assess.",
    )
    # Strict: an unknown value is a 400, not a silently ignored filter.
    isMain = django_filters.TypedChoiceFilter(
        field_name="is_main",
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        help_text="true or false.",
    )
    participantUserExternalId = django_filters.CharFilter(
        field_name="participant_user_external_id", help_text="Exact participantUserExternalId."
    )

    class Meta:
        model = AppraisalParticipant
        fields: list[str] = []

import django_filters

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

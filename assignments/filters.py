import django_filters

from assignments.models import AssignedOrder, AssignedOrderStatus
from common.filters import UtcIsoDateTimeFilter


class AssignedOrderFilter(django_filters.FilterSet):
    executor_id = django_filters.CharFilter(field_name="executor_id", help_text="Exact executor id.")
    zone_id = django_filters.CharFilter(field_name="zone_id", help_text="Exact zone id.")
    status = django_filters.MultipleChoiceFilter(
        choices=AssignedOrderStatus.choices,
        help_text="One or more statuses (repeat the parameter).",
    )
    assigned_from = UtcIsoDateTimeFilter(
        field_name="assigned_at",
        lookup_expr="gte",
        help_text="Assigned at or after this ISO 8601 time.",
    )
    assigned_to = UtcIsoDateTimeFilter(
        field_name="assigned_at",
        lookup_expr="lte",
        help_text="Assigned at or before this ISO 8601 time.",
    )

    class Meta:
        model = AssignedOrder
        fields = ("executor_id", "zone_id", "status", "assigned_from", "assigned_to")

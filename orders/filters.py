import django_filters

from common.filters import UtcIsoDateTimeFromToRangeFilter
from orders.models import Order


class OrganizationOrderFilter(django_filters.FilterSet):
    """Filters of the organization order lists; every one is served by an index on the orders table."""

    done = django_filters.BooleanFilter(help_text="Only done (true) or open (false) orders.")
    service = django_filters.NumberFilter(field_name="service_id", help_text="Service id.")
    executor = django_filters.NumberFilter(field_name="executor_id", help_text="Executor's user id.")
    client = django_filters.NumberFilter(field_name="client_id", help_text="Client id.")
    created = UtcIsoDateTimeFromToRangeFilter(
        field_name="created_at", help_text="created_after / created_before, ISO 8601."
    )

    class Meta:
        model = Order
        fields = ("done", "service", "executor", "client", "created")

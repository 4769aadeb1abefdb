import django_filters

from common.filters import IntegerFilter, StrictBooleanFilter, UtcIsoDateTimeFilter
from orders.models import Order


class OrganizationOrderFilter(django_filters.FilterSet):
    """Filters of the organization order lists; every one is served by an index on the orders table."""

    done = StrictBooleanFilter(help_text="Only done (true) or open (false) orders.")
    service = IntegerFilter(field_name="service_id", help_text="Service id.")
    executor = IntegerFilter(field_name="executor_id", help_text="Executor's user id.")
    client = IntegerFilter(field_name="client_id", help_text="Client id.")
    # two filters, not one range, so a bad value is reported under the parameter the client sent
    created_after = UtcIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Created at or after, ISO 8601."
    )
    created_before = UtcIsoDateTimeFilter(
        field_name="created_at", lookup_expr="lte", help_text="Created at or before, ISO 8601."
    )

    class Meta:
        model = Order
        fields = ("done", "service", "executor", "client", "created_after", "created_before")

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from common.filters import DecimalFilter, IntegerFilter, StrictBooleanFilter
from reviews.models import WORKING_STATUSES, MarketplaceOrder, OrderReview, ReviewStatus


class OrderFeedFilter(django_filters.FilterSet):
    price_min = DecimalFilter(field_name="price", lookup_expr="gte", label="Price at least")
    price_max = DecimalFilter(field_name="price", lookup_expr="lte", label="Price at most")
    term = IntegerFilter(field_name="term", lookup_expr="exact", label="Term in days, exactly")
    term_min = IntegerFilter(field_name="term", lookup_expr="gte", label="Term at least (days)")
    term_max = IntegerFilter(field_name="term", lookup_expr="lte", label="Term at most (days)")
    search = django_filters.CharFilter(method="filter_search", label="Words in the name or description")

    class Meta:
        model = MarketplaceOrder
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[MarketplaceOrder], name: str, value: str) -> QuerySet[MarketplaceOrder]:
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
        return queryset


class CustomerOrderFilter(django_filters.FilterSet):
    done = StrictBooleanFilter(field_name="done", label="Only done (true) or only not done (false)")
    has_executor = StrictBooleanFilter(
        field_name="executor", lookup_expr="isnull", exclude=True, label="Only with (true) or without (false) executor"
    )

    class Meta:
        model = MarketplaceOrder
        fields: list[str] = []


class PersonalAreaFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=[(s.value, s.label) for s in WORKING_STATUSES],
        label="Status of my response: accepted, in_progress or done",
    )

    class Meta:
        model = MarketplaceOrder
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[MarketplaceOrder], name: str, value: str) -> QuerySet[MarketplaceOrder]:
        mine = OrderReview.objects.filter(order=OuterRef("pk"), executor=self.request.user, status=value)
        return queryset.filter(Exists(mine))


class ReviewsByOrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)

    class Meta:
        model = OrderReview
        fields: list[str] = []

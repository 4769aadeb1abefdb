from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from common.admin import link, pretty_json, yes_no_unset
from reviews.models import (
    ExecutorProfile,
    MarketplaceOrder,
    MarketplaceOrderChange,
    OrderReview,
    OrderReviewStatusChange,
)


class OrderReviewInline(admin.TabularInline):
    model = OrderReview
    fk_name = "order"
    extra = 0
    fields = ("executor_link", "status", "to_price", "to_deadline", "cancel_reason", "shown", "updated_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    @admin.display(description="executor")
    def executor_link(self, review: OrderReview) -> str:
        return link(review.executor)

    @admin.display(description="in the executor's feed")
    def shown(self, review: OrderReview) -> str:
        return yes_no_unset(review.show, yes="shown", no="hidden", unset="not chosen (shown)")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderReview]:
        return super().get_queryset(request).select_related("executor")


class MarketplaceOrderChangeInline(admin.TabularInline):
    """The customer's own changes of the order (published, edited, cancelled), read-only."""

    model = MarketplaceOrderChange
    extra = 0
    fields = ("created_at", "action", "actor", "changes", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[MarketplaceOrderChange]:
        return super().get_queryset(request).select_related("actor")


@admin.register(MarketplaceOrder)
class MarketplaceOrderAdmin(admin.ModelAdmin):
    """Marketplace orders (no organization) with their executors' responses."""

    list_display = ("order_code", "name", "creator_link", "executor_link", "price", "done", "created_at")
    list_filter = (
        "done",
        ("executor", admin.EmptyFieldListFilter),
        ("cancelled_at", admin.EmptyFieldListFilter),
        "created_at",
    )
    search_fields = ("name", "description", "order_code", "creator__username", "executor__username")
    list_select_related = ("creator", "executor")
    autocomplete_fields = ("creator",)
    # Who does the work, whether it is done and its score move only through the responses' transition table
    # (the API), which keeps them in step with the accepted response and records every move.
    # A cancellation is the customer's move through the API (it rejects the responses): read-only here too.
    readonly_fields = (
        "order_code",
        "executor",
        "done",
        "customer_score",
        "cancelled_at",
        "cancel_reason",
        "created_at",
        "updated_at",
    )
    fields = (
        "order_code",
        "name",
        "description",
        "creator",
        "executor",
        "price",
        "term",
        "deadline",
        "done",
        "customer_score",
        "cancelled_at",
        "cancel_reason",
        "created_at",
        "updated_at",
    )
    inlines = [OrderReviewInline, MarketplaceOrderChangeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # customers publish orders through the API, which draws the order code

    @admin.display(description="customer", ordering="creator__username")
    def creator_link(self, order: MarketplaceOrder) -> str:
        return link(order.creator)

    @admin.display(description="executor", ordering="executor__username")
    def executor_link(self, order: MarketplaceOrder) -> str:
        return link(order.executor)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # responses and their history hang off the order


@admin.register(ExecutorProfile)
class ExecutorProfileAdmin(admin.ModelAdmin):
    """Executors' level and balls are set by staff; the rating is the mean of customer scores (read-only)."""

    list_display = ("user_link", "level", "balls", "rating", "updated_at")
    list_filter = ("level",)
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    readonly_fields = ("rating", "updated_at")

    @admin.display(description="executor", ordering="user__username")
    def user_link(self, profile: ExecutorProfile) -> str:
        return link(profile.user)


class OrderReviewStatusChangeInline(admin.TabularInline):
    model = OrderReviewStatusChange
    extra = 0
    fields = ("created_at", "actor", "from_status", "to_status", "changes_json", "note")
    readonly_fields = fields
    can_delete = False

    @admin.display(description="changes")
    def changes_json(self, change: OrderReviewStatusChange) -> str:
        return pretty_json(change.changes)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderReviewStatusChange]:
        return super().get_queryset(request).select_related("actor")


@admin.register(OrderReview)
class OrderReviewAdmin(admin.ModelAdmin):
    """Responses are changed through the API so every move passes the transition table; here they are read."""

    list_display = ("id", "order_link", "executor_link", "status", "to_price", "to_deadline", "shown")
    list_filter = ("status", "cancel_reason", "show")
    search_fields = ("order__name", "order__order_code", "executor__username", "executor__email")
    list_select_related = ("order", "executor")
    raw_id_fields = ("order", "executor")
    readonly_fields = (
        "order",
        "executor",
        "status",
        "to_price",
        "to_deadline",
        "cancel_reason",
        "shown",
        "created_at",
        "updated_at",
    )
    exclude = ("show",)
    inlines = [OrderReviewStatusChangeInline]

    @admin.display(description="order", ordering="order__name")
    def order_link(self, review: OrderReview) -> str:
        return link(review.order, review.order.name)

    @admin.display(description="executor", ordering="executor__username")
    def executor_link(self, review: OrderReview) -> str:
        return link(review.executor)

    @admin.display(description="in the executor's feed")
    def shown(self, review: OrderReview) -> str:
        return yes_no_unset(review.show, yes="shown", no="hidden", unset="not chosen (shown)")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a response owns its history


@admin.register(OrderReviewStatusChange)
class OrderReviewStatusChangeAdmin(admin.ModelAdmin):
    """The responses' audit trail: written by the services only, never changed or removed."""

    list_display = ("id", "review_id", "actor", "from_status", "to_status", "note", "created_at")
    list_filter = ("to_status", "from_status", "created_at")
    search_fields = ("review__order__name", "actor__username", "note")
    list_select_related = ("review", "actor")
    raw_id_fields = ("review", "actor")
    readonly_fields = ("review", "actor", "from_status", "to_status", "changes_json", "note", "created_at")
    exclude = ("changes",)

    @admin.display(description="changes")
    def changes_json(self, change: OrderReviewStatusChange) -> str:
        return pretty_json(change.changes)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

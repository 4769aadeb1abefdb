from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from reviews.models import ExecutorProfile, MarketplaceOrder, OrderReview, OrderReviewStatusChange


class OrderReviewInline(admin.TabularInline):
    model = OrderReview
    fk_name = "order"
    extra = 0
    fields = ("executor", "status", "to_price", "to_deadline", "cancel_reason", "show", "updated_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderReview]:
        return super().get_queryset(request).select_related("executor")


@admin.register(MarketplaceOrder)
class MarketplaceOrderAdmin(admin.ModelAdmin):
    """Marketplace orders (no organization) with their executors' responses."""

    list_display = ("id", "order_code", "name", "creator", "executor", "price", "term", "done", "created_at")
    list_filter = ("done", ("executor", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "description", "order_code", "creator__username", "executor__username")
    list_select_related = ("creator", "executor")
    raw_id_fields = ("creator",)
    # Who does the work, whether it is done and its score move only through the responses' transition table
    # (the API), which keeps them in step with the accepted response and records every move.
    readonly_fields = ("order_code", "executor", "done", "customer_score", "created_at", "updated_at")
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
        "created_at",
        "updated_at",
    )
    inlines = [OrderReviewInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # customers publish orders through the API, which draws the order code

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # responses and their history hang off the order


@admin.register(ExecutorProfile)
class ExecutorProfileAdmin(admin.ModelAdmin):
    """Executors' level and balls are set by staff; the rating is the mean of customer scores (read-only)."""

    list_display = ("user", "level", "balls", "rating", "updated_at")
    list_filter = ("level",)
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("rating", "updated_at")


class OrderReviewStatusChangeInline(admin.TabularInline):
    model = OrderReviewStatusChange
    extra = 0
    fields = ("created_at", "actor", "from_status", "to_status", "changes", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[OrderReviewStatusChange]:
        return super().get_queryset(request).select_related("actor")


@admin.register(OrderReview)
class OrderReviewAdmin(admin.ModelAdmin):
    """Responses are changed through the API so every move passes the transition table; here they are read."""

    list_display = ("id", "order", "executor", "status", "to_price", "to_deadline", "cancel_reason", "show")
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
        "show",
        "created_at",
        "updated_at",
    )
    inlines = [OrderReviewStatusChangeInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a response owns its history


@admin.register(OrderReviewStatusChange)
class OrderReviewStatusChangeAdmin(admin.ModelAdmin):
    """The responses' audit trail: written by the services only, never changed or removed."""

    list_display = ("id", "review", "actor", "from_status", "to_status", "note", "created_at")
    list_filter = ("to_status", "from_status", "created_at")
    search_fields = ("review__order__name", "actor__username", "note")
    list_select_related = ("review", "actor")
    raw_id_fields = ("review", "actor")
    readonly_fields = ("review", "actor", "from_status", "to_status", "changes", "note", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

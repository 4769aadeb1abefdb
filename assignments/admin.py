from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from assignments import selectors, services
from assignments.errors import AssignedOrderNotMovable
from assignments.models import AssignedOrder, AssignedOrderHistory
from common.admin import user_link

STATE_FIELDS = ("status", "assigned_at", "acquired_at", "completed_at", "cancelled_at")


class AssignedOrderHistoryInline(admin.TabularInline):
    model = AssignedOrderHistory
    extra = 0
    fields = ("created_at", "action", "from_status", "to_status", "actor")
    readonly_fields = fields
    can_delete = False
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[AssignedOrderHistory]:
        return super().get_queryset(request).select_related("actor")


class StaleAcquiredFilter(admin.SimpleListFilter):
    title = "attention"
    parameter_name = "stale"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("acquired", "Acquired more than a day ago")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AssignedOrder]) -> QuerySet[AssignedOrder]:
        if self.value() == "acquired":
            return selectors.stale_acquired(queryset)
        return queryset


@admin.register(AssignedOrder)
class AssignedOrderAdmin(admin.ModelAdmin):
    """Status changes go through the services (actions below), so the state machine and history hold here too."""

    list_display = ("order_id", "executor", "zone_id", *STATE_FIELDS)
    list_filter = (StaleAcquiredFilter, "status", "zone_id", "assigned_at")
    search_fields = ("order_id", "executor_id", "zone_id")
    list_select_related = ()
    date_hierarchy = "assigned_at"
    inlines = [AssignedOrderHistoryInline]
    actions = ["cancel_selected", "complete_selected"]

    @admin.display(description="executor", ordering="executor_id")
    def executor(self, order: AssignedOrder) -> str:
        return user_link(order.executor_id, f"user {order.executor_id}")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an order is cancelled, never removed: removing it would take its history with it

    def get_readonly_fields(self, request: HttpRequest, obj: AssignedOrder | None = None) -> tuple[str, ...]:
        if obj is None:
            return STATE_FIELDS
        return ("order_id", "executor_id", "zone_id", *STATE_FIELDS)

    def save_model(self, request: HttpRequest, obj: AssignedOrder, form: Any, change: bool) -> None:
        if change:
            return  # every field is read-only once created; a plain save could overwrite a concurrent change
        created = services.assigned_order_assign(
            order_id=obj.order_id,
            executor_id=obj.executor_id,
            zone_id=obj.zone_id,
            actor=request.user,  # type: ignore[arg-type]
        )
        obj.pk = created.pk
        obj.status = created.status
        obj.assigned_at = created.assigned_at
        obj._state.adding = False
        obj._state.db = created._state.db

    def _transition_selected(self, request: HttpRequest, queryset: QuerySet[AssignedOrder], service: Any) -> None:
        done, refused = 0, 0
        for order_id in queryset.values_list("order_id", flat=True):
            try:
                service(order_id=order_id, actor=request.user)
                done += 1
            except AssignedOrderNotMovable:
                refused += 1
        self.message_user(request, f"{done} changed, {refused} left as they were (status does not allow it).")
        if refused:
            self.message_user(request, "Some orders were not in a status that allows this.", messages.WARNING)

    @admin.action(description="Cancel selected (assigned or acquired) orders", permissions=["change"])
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[AssignedOrder]) -> None:
        self._transition_selected(request, queryset, services.assigned_order_cancel)

    @admin.action(description="Complete selected (acquired) orders", permissions=["change"])
    def complete_selected(self, request: HttpRequest, queryset: QuerySet[AssignedOrder]) -> None:
        self._transition_selected(request, queryset, services.assigned_order_complete)


@admin.register(AssignedOrderHistory)
class AssignedOrderHistoryAdmin(admin.ModelAdmin):
    """The audit trail: read-only. Rows are written by the services only, and never changed or removed."""

    list_display = ("assigned_order", "action", "from_status", "to_status", "actor", "created_at")
    # No to_status filter: every action has exactly one target status (ALLOWED_TRANSITIONS), so the action says it.
    list_filter = ("action", "created_at")
    search_fields = ("assigned_order__order_id", "assigned_order__executor_id", "actor__username")
    list_select_related = ("assigned_order", "actor")
    readonly_fields = ("assigned_order", "action", "from_status", "to_status", "actor", "created_at")
    ordering = ("-created_at", "-id")  # newest first, read backwards along the (…, created_at, id) indexes

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from django.contrib import admin

from partner.models import OutboxEvent, PartnerOrder, PartnerOrderStatusChange


class PartnerOrderStatusChangeInline(admin.TabularInline):
    model = PartnerOrderStatusChange
    extra = 0
    can_delete = False
    fields = ("created_at", "previous_status_id", "status_id", "previous_their_status_id", "their_status_id", "source")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(PartnerOrder)
class PartnerOrderAdmin(admin.ModelAdmin):
    list_display = (
        "order_id",
        "their_order_id",
        "their_pharmacy_id",
        "order_type",
        "status_id",
        "their_status_id",
        "api_version",
        "created_by",
        "created_at",
        "status_checked_at",
    )
    list_filter = ("status_id", "order_type", "api_version", "created_at")
    search_fields = ("=order_id", "their_order_id", "their_pharmacy_id", "their_status_id")
    list_select_related = ("created_by",)
    readonly_fields = ("created_at", "updated_at", "status_checked_at", "created_by")
    raw_id_fields = ("created_by",)
    date_hierarchy = "created_at"
    inlines = [PartnerOrderStatusChangeInline]


@admin.register(PartnerOrderStatusChange)
class PartnerOrderStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("order", "previous_status_id", "status_id", "their_status_id", "source", "created_at")
    list_filter = ("status_id", "source", "created_at")
    search_fields = ("=order__order_id", "order__their_order_id", "their_status_id")
    list_select_related = ("order",)
    raw_id_fields = ("order",)


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ("id", "event_id", "event_type", "order", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("event_type", ("sent_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("=event_id", "=order__order_id", "order__their_order_id", "last_error")
    list_select_related = ("order",)
    readonly_fields = ("event_id", "event_type", "order", "payload", "created_at", "sent_at", "attempts", "last_error")

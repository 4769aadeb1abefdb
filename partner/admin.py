"""The admin is a window on the partner integration, not a way to change it.

Every change of an order goes through partner.services, which records history and writes the outbox event in the
same transaction; an admin save or delete would do neither (and deleting a pending outbox event loses a message
the consumers never see). So orders, their history and the outbox are view-only here.
"""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin as ViewOnlyAdminMixin
from common.admin import link, pretty_json
from partner.models import OutboxEvent, PartnerDuplicateOrder, PartnerOrder, PartnerOrderStatusChange


class PartnerOrderStatusChangeInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = PartnerOrderStatusChange
    extra = 0
    fields = ("created_at", "previous_status_id", "status_id", "previous_their_status_id", "their_status_id", "source")
    readonly_fields = fields


@admin.register(PartnerOrder)
class PartnerOrderAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "order_id",
        "their_order_id",
        "their_pharmacy_id",
        "placement",
        "status_id",
        "their_status_id",
        "created_at",
        "status_checked_at",
    )
    list_filter = ("placement", "status_id", "order_type", "api_version", "created_at")
    search_fields = ("=order_id", "their_order_id", "their_pharmacy_id", "their_status_id")
    list_select_related = ("created_by",)
    # Named explicitly (the view-only admin would show them read-only anyway) so that giving the admin a change
    # permission some day does not make the partner's state and what was sent to the partner editable.
    readonly_fields = (
        "order_id",
        "their_order_id",
        "status_id",
        "their_status_id",
        "their_pharmacy_id",
        "order_type",
        "ordered_at",
        "client_json",
        "items_json",
        "their_items_json",
        "api_version",
        "created_at",
        "updated_at",
        "status_checked_at",
        "placement",
        "create_sent_at",
        "lease_until",
        "created_by_link",
        "last_error",
    )
    exclude = ("client", "items", "their_items", "created_by", "extra")
    date_hierarchy = "created_at"
    inlines = [PartnerOrderStatusChangeInline]

    @admin.display(description="client")
    def client_json(self, order: PartnerOrder) -> str:
        return pretty_json(order.client)

    @admin.display(description="items sent")
    def items_json(self, order: PartnerOrder) -> str:
        return pretty_json(order.items)

    @admin.display(description="partner's items")
    def their_items_json(self, order: PartnerOrder) -> str:
        return pretty_json(order.their_items)

    @admin.display(description="created by")
    def created_by_link(self, order: PartnerOrder) -> str:
        return link(order.created_by)


@admin.register(PartnerOrderStatusChange)
class PartnerOrderStatusChangeAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("order", "previous_status_id", "status_id", "their_status_id", "source", "created_at")
    list_filter = ("status_id", "source", "created_at")
    search_fields = ("=order__order_id", "order__their_order_id", "their_status_id")
    list_select_related = ("order",)
    readonly_fields = (
        "order",
        "previous_status_id",
        "status_id",
        "previous_their_status_id",
        "their_status_id",
        "source",
        "created_at",
    )


@admin.register(OutboxEvent)
class OutboxEventAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "event_id", "event_type", "order", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("event_type", ("sent_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("=event_id", "=order__order_id", "order__their_order_id", "last_error")
    list_select_related = ("order",)
    readonly_fields = (
        "event_id",
        "event_type",
        "order",
        "payload_json",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
    )
    exclude = ("payload", "leased_until")

    @admin.display(description="payload")
    def payload_json(self, event: OutboxEvent) -> str:
        return pretty_json(event.payload)


@admin.register(PartnerDuplicateOrder)
class PartnerDuplicateOrderAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("their_order_id", "order", "found_at", "cancelled_at", "attempts", "last_error")
    search_fields = ("=their_order_id", "=order__order_id")
    list_select_related = ("order",)
    readonly_fields = ("order", "their_order_id", "found_at", "cancelled_at", "attempts", "last_error")

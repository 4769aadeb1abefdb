"""Admin: the event log, deliveries and attempts read-only; endpoints can be disabled and enabled (the owner sees
the reason); notifications read-only."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from common.admin import ReadOnlyAdminMixin, link, pretty_json
from events.delivery import event_payload
from events.models import Event, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from events.services import endpoint_set_active


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "type", "object_type", "object_id", "actor", "organization", "fanned_out_at")
    list_filter = ("domain", "type")
    search_fields = ("=id", "=object_id")
    list_select_related = ("actor", "organization")
    date_hierarchy = "occurred_at"
    fields = (
        "id",
        "type",
        "domain",
        "occurred_at",
        "actor",
        "object_type",
        "object_id",
        "organization",
        "user_ids",
        "fanned_out_at",
        "body",
    )
    readonly_fields = fields

    @admin.display(description="as delivered")
    def body(self, obj: Event) -> str:
        return pretty_json(event_payload(obj))


class WebhookAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebhookAttempt
    fields = ("started_at", "duration_ms", "status_code", "error", "succeeded")
    readonly_fields = fields
    extra = 0


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("id", "url", "scope", "owner", "organization", "is_active", "disabled_reason", "created_at")
    list_filter = ("scope", "is_active")
    search_fields = ("url", "owner__username", "owner__email")
    list_select_related = ("owner", "organization")
    fields = (
        "owner",
        "scope",
        "organization",
        "url",
        "description",
        "event_types",
        "is_active",
        "disabled_at",
        "disabled_reason",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ("disable", "enable")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # registered through the API, which validates the target and shows the secret once

    @admin.action(description="Disable selected endpoints", permissions=["change"])
    def disable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset.filter(is_active=True):
            endpoint_set_active(endpoint=endpoint, active=False, reason=f"Disabled by staff ({request.user}).")
        self.message_user(request, "Disabled.", messages.SUCCESS)

    @admin.action(description="Enable selected endpoints (pending deliveries resume)", permissions=["change"])
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset.filter(is_active=False):
            endpoint_set_active(endpoint=endpoint, active=True)
        self.message_user(request, "Enabled.", messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "endpoint", "event_link", "state", "attempts", "last_status_code", "next_attempt_at")
    list_filter = ("state",)
    list_select_related = ("endpoint", "event")
    search_fields = ("=event__id",)
    inlines = (WebhookAttemptInline,)
    fields = (
        "endpoint",
        "event",
        "state",
        "attempts",
        "next_attempt_at",
        "deadline_at",
        "leased_until",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="event")
    def event_link(self, obj: WebhookDelivery) -> str:
        return link(obj.event)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "text", "read_at")
    list_filter = ("kind",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
    fields = ("user", "event", "kind", "text", "created_at", "read_at")
    readonly_fields = fields

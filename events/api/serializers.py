"""Input and output serializers of webhooks and notifications (unique names for the schema)."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.fields import StrictCharField, StrictURLField
from events.delivery import event_payload
from events.models import Notification, WebhookDelivery, WebhookEndpoint, WebhookScope
from events.types import EventType

SUBSCRIBABLE = [str(t) for t in EventType if t != EventType.WEBHOOK_TEST]


class WebhookCreateInputSerializer(serializers.Serializer):
    url = StrictURLField(max_length=2000)
    scope = serializers.ChoiceField(choices=WebhookScope.choices)
    organization = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Required with scope `organization`."
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE), min_length=1, max_length=50
    )
    description = StrictCharField(max_length=255, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["scope"] == WebhookScope.ORGANIZATION and not attrs.get("organization"):
            raise serializers.ValidationError({"organization": ["Required with scope 'organization'."]})
        return attrs


class WebhookUpdateInputSerializer(serializers.Serializer):
    url = StrictURLField(max_length=2000, required=False)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE), min_length=1, max_length=50, required=False
    )
    description = StrictCharField(max_length=255, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, help_text="true enables a disabled endpoint again.")


class WebhookOutputSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", allow_null=True)
    event_types = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = (
            "id",
            "url",
            "scope",
            "organization",
            "event_types",
            "description",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        )
        read_only_fields: tuple[str, ...] = fields


class WebhookCreatedOutputSerializer(WebhookOutputSerializer):
    secret = serializers.CharField(help_text="Shown once: sign checks use it (see the README).")

    class Meta(WebhookOutputSerializer.Meta):
        fields = (*WebhookOutputSerializer.Meta.fields, "secret")
        read_only_fields = fields


class EventOutputSerializer(serializers.Serializer):
    """An event as webhooks send it."""

    id = serializers.UUIDField()
    type = serializers.ChoiceField(choices=[str(t) for t in EventType])
    occurred_at = serializers.DateTimeField()
    actor = serializers.DictField(allow_null=True, help_text="`{id}` of the user who made the change, or null.")
    object = serializers.DictField(help_text="`{type, id}` of the object that changed.")
    data = serializers.DictField()  # type: ignore[assignment]  # the event's field, not Serializer.data


class WebhookAttemptOutputSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField()
    duration_ms = serializers.IntegerField()
    status_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    succeeded = serializers.BooleanField()


class WebhookDeliveryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.SerializerMethodField()
    state = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField()
    deadline_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    attempt_log = WebhookAttemptOutputSerializer(many=True)

    @extend_schema_field(EventOutputSerializer)
    def get_event(self, delivery: WebhookDelivery) -> dict[str, Any]:
        return event_payload(delivery.event)


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="The event's type.")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    event = serializers.SerializerMethodField()

    @extend_schema_field(EventOutputSerializer)
    def get_event(self, notification: Notification) -> dict[str, Any]:
        return event_payload(notification.event)


class ReadAllOutputSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread.")

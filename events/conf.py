"""Webhook settings (Django settings of these names, else the environment's defaults in config/settings)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class WebhookSettings:
    allow_private_targets: bool
    timeout: float
    deadline: float
    backoff: float
    backoff_max: float
    give_up_hours: float


def webhook_settings() -> WebhookSettings:
    return WebhookSettings(
        allow_private_targets=getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False),
        timeout=float(getattr(settings, "WEBHOOKS_TIMEOUT", 5.0)),
        deadline=float(getattr(settings, "WEBHOOKS_DEADLINE", 10.0)),
        backoff=float(getattr(settings, "WEBHOOKS_RETRY_BACKOFF_SECONDS", 30.0)),
        backoff_max=float(getattr(settings, "WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS", 3600.0)),
        give_up_hours=float(getattr(settings, "WEBHOOKS_GIVE_UP_HOURS", 24.0)),
    )

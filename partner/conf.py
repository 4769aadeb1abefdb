"""Settings of the partner integration (document 004), read from the environment with the document's defaults.

Every value can also be set as a Django setting of the same name (tests use `settings.PARTNERAPI_... = ...`);
a Django setting wins over the environment.
"""

from dataclasses import dataclass
from typing import Any

import environ
from django.conf import settings as django_settings

_env = environ.Env()

# name -> (cast, default); defaults are the document's, plus our own broker and process knobs.
SCHEMA: dict[str, tuple[Any, Any]] = {
    "PARTNERAPI_HTTP_TIMEOUT": (float, 30.0),
    "PARTNERAPI_HTTP_RETRIES_COUNT": (int, 3),
    "PARTNERAPI_HTTP_RETRIES_SLEEP": (float, 30.0),
    "PARTNERAPI_HTTP_TIMEOUT_ORDER": (float, 10.0),
    "PARTNERAPI_HTTP_RETRIES_COUNT_ORDER": (int, 1),
    "PARTNERAPI_HTTP_RETRIES_SLEEP_ORDER": (float, 0.0),
    "PARTNERAPI_URL": (str, ""),
    "PARTNERAPI_RABBITMQ_TIMEOUT": (float, 30.0),
    "PARTNERAPI_RABBITMQ_RETRIES_COUNT": (int, 3),
    "PARTNERAPI_RABBITMQ_RETRIES_SLEEP": (float, 30.0),
    "PARTNERAPI_SOURCE_PROJECT_ID": (int, 8),
    "PARTNERAPI_KODPOST": (int, 116897),
    "PARTNERAPI_METRICS_PORT": (str, ""),
    # Ours (the document is silent): where and how events are published, how processes pace themselves.
    "PARTNERAPI_RABBITMQ_URL": (str, ""),
    "PARTNERAPI_RABBITMQ_EXCHANGE": (str, "partnerapi"),
    "PARTNERAPI_RABBITMQ_ROUTING_KEY_PREFIX": (str, "partner.order"),
    "PARTNERAPI_RELAY_BATCH_SIZE": (int, 100),
    "PARTNERAPI_POLL_INTERVAL": (float, 60.0),
    "PARTNERAPI_POLL_BATCH_SIZE": (int, 200),
    # Total deadlines: a whole call, its retries, sleeps and slow bodies included, ends by then.
    "PARTNERAPI_HTTP_DEADLINE": (float, 60.0),
    "PARTNERAPI_HTTP_DEADLINE_ORDER": (float, 20.0),
    # How long after a /create whose outcome is unknown find-orders is trusted to say "not created".
    "PARTNERAPI_RECONCILE_AFTER": (float, 120.0),
}

DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
LEASE_MARGIN = 5.0  # seconds a lease outlives the calls it covers (storing the outcome, a slow database)


def _read(name: str) -> Any:
    cast, default = SCHEMA[name]
    if hasattr(django_settings, name):
        return cast(getattr(django_settings, name))
    raw = _env.str(name, default="")
    if raw == "":
        return default
    return cast(raw)


@dataclass(frozen=True)
class PartnerSettings:
    url: str
    http_timeout: float
    http_retries_count: int
    http_retries_sleep: float
    http_timeout_order: float
    http_retries_count_order: int
    http_retries_sleep_order: float
    rabbitmq_url: str
    rabbitmq_timeout: float
    rabbitmq_retries_count: int
    rabbitmq_retries_sleep: float
    rabbitmq_exchange: str
    rabbitmq_routing_key_prefix: str
    source_project_id: int
    kodpost: int
    metrics_port: int | None
    relay_batch_size: int
    poll_interval: float
    poll_batch_size: int
    http_deadline: float
    http_deadline_order: float
    reconcile_after: float

    @property
    def placing_lease(self) -> float:
        """How long placing an order may take: find-orders, then /create, each within its deadline."""
        return self.http_deadline + self.http_deadline_order + LEASE_MARGIN

    @property
    def cancelling_lease(self) -> float:
        """How long cancelling may take: /cancel, then (when refused) orders-data."""
        return 2 * self.http_deadline + LEASE_MARGIN


def partner_settings() -> PartnerSettings:
    """The current values (read on every call, so a changed setting applies at once)."""
    metrics_port = str(_read("PARTNERAPI_METRICS_PORT")).strip()
    return PartnerSettings(
        url=_read("PARTNERAPI_URL").rstrip("/"),
        http_timeout=_read("PARTNERAPI_HTTP_TIMEOUT"),
        http_retries_count=max(1, _read("PARTNERAPI_HTTP_RETRIES_COUNT")),
        http_retries_sleep=max(0.0, _read("PARTNERAPI_HTTP_RETRIES_SLEEP")),
        http_timeout_order=_read("PARTNERAPI_HTTP_TIMEOUT_ORDER"),
        http_retries_count_order=max(1, _read("PARTNERAPI_HTTP_RETRIES_COUNT_ORDER")),
        http_retries_sleep_order=max(0.0, _read("PARTNERAPI_HTTP_RETRIES_SLEEP_ORDER")),
        rabbitmq_url=_read("PARTNERAPI_RABBITMQ_URL") or _env.str("RABBITMQ_URL", default="") or DEFAULT_RABBITMQ_URL,
        rabbitmq_timeout=_read("PARTNERAPI_RABBITMQ_TIMEOUT"),
        rabbitmq_retries_count=_read("PARTNERAPI_RABBITMQ_RETRIES_COUNT"),
        rabbitmq_retries_sleep=max(0.0, _read("PARTNERAPI_RABBITMQ_RETRIES_SLEEP")),
        rabbitmq_exchange=_read("PARTNERAPI_RABBITMQ_EXCHANGE"),
        rabbitmq_routing_key_prefix=_read("PARTNERAPI_RABBITMQ_ROUTING_KEY_PREFIX"),
        source_project_id=_read("PARTNERAPI_SOURCE_PROJECT_ID"),
        kodpost=_read("PARTNERAPI_KODPOST"),
        metrics_port=int(metrics_port) if metrics_port else None,
        relay_batch_size=max(1, _read("PARTNERAPI_RELAY_BATCH_SIZE")),
        poll_interval=max(1.0, _read("PARTNERAPI_POLL_INTERVAL")),
        poll_batch_size=max(1, _read("PARTNERAPI_POLL_BATCH_SIZE")),
        http_deadline=max(0.1, _read("PARTNERAPI_HTTP_DEADLINE")),
        http_deadline_order=max(0.1, _read("PARTNERAPI_HTTP_DEADLINE_ORDER")),
        reconcile_after=max(0.0, _read("PARTNERAPI_RECONCILE_AFTER")),
    )

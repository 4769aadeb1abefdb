"""Prometheus metrics of the partner integration (default registry, exposed at /metrics and on the metrics port)."""

import logging
import os
from enum import StrEnum
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)

logger = logging.getLogger("partner.metrics")

ORDERS_CREATED = Counter("partnerapi_orders_created", "Orders the partner accepted (new partner orders).")


class CreationErrorReason(StrEnum):
    """The `reason` label of partnerapi_order_creation_errors."""

    REJECTED = "rejected"  # the partner refused items: quantity or price errors, answered as such
    PARTNER_ERROR = "partner_error"  # no usable answer (unreachable, timeout, 5xx, 4xx, garbage) or unreadable errors
    SERVICE_ERROR = "service_error"  # our own fault (answered 500)


ORDER_CREATION_ERRORS = Counter(
    "partnerapi_order_creation_errors",
    "Orders not placed, by reason: rejected (the partner refused items: quantity or price), partner_error "
    "(no usable answer from the partner, or errors we could not read), service_error (our own fault).",
    ["reason"],
)
for _reason in CreationErrorReason:
    ORDER_CREATION_ERRORS.labels(_reason)  # every reason is exported from the start, at 0
STATUS_CHANGES = Counter("partnerapi_status_changes", "Recorded status moves, by our new status_id.", ["status_id"])
STATUS_MAPPING_ERRORS = Counter("partnerapi_status_mapping_errors", "Partner statuses we could not map (status_id -1).")
PARTNER_REQUEST_SECONDS = Histogram(
    "partnerapi_partner_request_seconds",
    "Latency of each HTTP attempt to the partner, by call and outcome.",
    ["call", "outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
PARTNER_RETRIES = Counter("partnerapi_partner_retries", "Retried partner HTTP attempts, by call.", ["call"])
# Set from the database on each scrape; with several workers the latest reading is the true one.
OUTBOX_BACKLOG = Gauge(
    "partnerapi_outbox_backlog", "Outbox events not yet confirmed by the broker.", multiprocess_mode="mostrecent"
)
OUTBOX_PUBLISHED = Counter("partnerapi_outbox_published", "Outbox events confirmed by the broker.")
OUTBOX_PUBLISH_FAILURES = Counter(
    "partnerapi_outbox_publish_failures", "Failed attempts to publish outbox events (broker down, nack)."
)


def refresh_outbox_backlog() -> int:
    from partner.selectors import outbox_backlog_count

    count = outbox_backlog_count()
    OUTBOX_BACKLOG.set(count)
    return count


def render_latest() -> bytes:
    """The exposition text; with PROMETHEUS_MULTIPROC_DIR set (several gunicorn workers) all processes are merged."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()


def serve_metrics(port: int | None) -> Any:
    """Start the metrics HTTP server of a Celery worker when a port is configured; with PROMETHEUS_MULTIPROC_DIR
    set it merges what every pool process wrote there."""
    if port is None:
        return None
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    server, _thread = start_http_server(port, registry=registry)
    logger.info("Metrics served on port %s", port)
    return server

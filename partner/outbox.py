"""The outbox relay: publishes pending outbox events to RabbitMQ with publisher confirms.

An event is marked sent only after the broker confirmed it. Several relays may run at once: each takes a batch
with `SELECT ... FOR UPDATE SKIP LOCKED`. With the broker down the events stay pending (nothing is lost); the relay
retries per PARTNERAPI_RABBITMQ_TIMEOUT / _RETRIES_COUNT (-1 = forever) / _RETRIES_SLEEP and then gives up with an
error, so its supervisor restarts it. Delivery is at least once: consumers deduplicate by `message_id`.
"""

import json
import logging
import threading
from typing import Any

import pika
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, stop_never, wait_fixed

from partner.conf import PartnerSettings, partner_settings
from partner.metrics import OUTBOX_PUBLISH_FAILURES, OUTBOX_PUBLISHED, refresh_outbox_backlog
from partner.models import OutboxEvent

logger = logging.getLogger("partner.relay")


class RelayPublishError(Exception):
    """Publishing a batch failed (broker unreachable, connection lost, nack); its events stay pending."""


class RabbitPublisher:
    """One connection and confirm-mode channel, opened on first use and reopened after a failure."""

    def __init__(self, conf: PartnerSettings) -> None:
        self.conf = conf
        self._connection: pika.BlockingConnection | None = None
        self._channel: Any = None

    def _open(self) -> Any:
        if self._channel is not None and self._channel.is_open:
            return self._channel
        params = pika.URLParameters(self.conf.rabbitmq_url)
        params.socket_timeout = self.conf.rabbitmq_timeout
        params.stack_timeout = self.conf.rabbitmq_timeout
        params.blocked_connection_timeout = self.conf.rabbitmq_timeout
        params.connection_attempts = 1  # the relay's own retry policy applies, not pika's
        self._connection = pika.BlockingConnection(params)
        channel = self._connection.channel()
        channel.confirm_delivery()
        channel.exchange_declare(exchange=self.conf.rabbitmq_exchange, exchange_type="topic", durable=True)
        self._channel = channel
        return channel

    def publish(self, event: OutboxEvent) -> None:
        """Returns once the broker confirmed the message; raises otherwise."""
        channel = self._open()
        channel.basic_publish(
            exchange=self.conf.rabbitmq_exchange,
            routing_key=f"{self.conf.rabbitmq_routing_key_prefix}.{event.event_type}",
            body=json.dumps(event.payload, ensure_ascii=False).encode(),
            properties=pika.BasicProperties(
                content_type="application/json",
                delivery_mode=pika.DeliveryMode.Persistent,
                message_id=str(event.event_id),
                type=event.event_type,
                app_id="partnerapi",
                timestamp=int(event.created_at.timestamp()),
            ),
        )

    def close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:
                logger.debug("Closing a broken broker connection failed", exc_info=True)


def relay_publish_batch(*, publisher: RabbitPublisher, batch_size: int) -> int:
    """Publish up to batch_size pending events (locked, skipping those other relays hold); returns how many."""
    error: Exception | None = None
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True)
            .order_by("id")[:batch_size]
        )
        sent: list[int] = []
        for event in events:
            try:
                publisher.publish(event)
            except Exception as exc:
                error = exc
                OutboxEvent.objects.filter(pk=event.pk).update(
                    attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
                )
                break
            sent.append(event.pk)
        if sent:
            OutboxEvent.objects.filter(pk__in=sent).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
            )
    OUTBOX_PUBLISHED.inc(len(sent))
    if error is not None:
        OUTBOX_PUBLISH_FAILURES.inc()
        publisher.close()
        raise RelayPublishError(f"{type(error).__name__}: {error}") from error
    return len(sent)


def _retrying(conf: PartnerSettings) -> Retrying:
    def log_retry(state: RetryCallState) -> None:
        logger.warning("Publishing to RabbitMQ failed (attempt %s), retrying: %s", state.attempt_number, state.outcome)

    return Retrying(
        stop=stop_never if conf.rabbitmq_retries_count < 0 else stop_after_attempt(conf.rabbitmq_retries_count + 1),
        wait=wait_fixed(conf.rabbitmq_retries_sleep),
        retry=retry_if_exception_type(RelayPublishError),
        before_sleep=log_retry,
        reraise=True,
    )


def relay_run(*, once: bool = False, stop: threading.Event | None = None) -> int:
    """Publish pending events; `once` drains the outbox and returns, otherwise runs until `stop` is set.

    Raises RelayPublishError when the retries are spent; the events it could not publish stay pending.
    """
    conf = partner_settings()
    publisher = RabbitPublisher(conf)
    retrying = _retrying(conf)
    stop = stop or threading.Event()
    total = 0
    try:
        while not stop.is_set():
            sent = retrying(relay_publish_batch, publisher=publisher, batch_size=conf.relay_batch_size)
            total += sent
            if sent < conf.relay_batch_size:
                refresh_outbox_backlog()
                if once:
                    break
                stop.wait(conf.relay_idle_sleep)
    finally:
        publisher.close()
    return total

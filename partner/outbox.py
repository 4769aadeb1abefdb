"""Publishing the partner outbox to RabbitMQ: a Celery task per committed change, and a sweep for what it missed.

An event is written in the same transaction as the change (`services._outbox_write`) and its publish task is
enqueued when that transaction commits (`outbox_event_enqueue`). The task (`partner.tasks.publish_outbox_events`)
leases its events with a conditional UPDATE and commits, publishes them on a connection of its own with publisher
confirms (opened for the batch, so no idle connection loses its heartbeats), then marks them sent: no transaction
or row lock is open while the broker is waited on. With the broker down the events stay pending (nothing is lost):
the task retries per PARTNERAPI_RABBITMQ_RETRIES_COUNT / _RETRIES_SLEEP, and the periodic sweep
(`outbox_requeue_due`) enqueues whatever is still pending later. Delivery is at least once: consumers deduplicate by
`message_id`.
"""

import json
import logging
from datetime import timedelta
from typing import Any

import pika
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, stop_never, wait_fixed

from partner.conf import PartnerSettings, partner_settings
from partner.metrics import OUTBOX_PUBLISH_FAILURES, OUTBOX_PUBLISHED, refresh_outbox_backlog
from partner.models import OutboxEvent

logger = logging.getLogger("partner.relay")

#: how long a publish attempt holds its events: longer than the publish task's hard time limit
LEASE = timedelta(minutes=5)
#: a pending event older than this has missed its task (broker down at commit, retries spent): the sweep enqueues it
OVERDUE = timedelta(seconds=30)


class RelayPublishError(Exception):
    """Publishing a batch failed (broker unreachable, connection lost, nack); its events stay pending."""


class RabbitPublisher:
    """One connection and confirm-mode channel for one batch; closed (or reopened after a failure) by its user."""

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
        # A broker that stops answering mid-batch is noticed within about this many seconds, not the server's 60.
        params.heartbeat = max(1, int(self.conf.rabbitmq_timeout))
        params.connection_attempts = 1  # the task's own retry policy applies, not pika's
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


# --- enqueueing ----------------------------------------------------------------------------------------------
def outbox_event_enqueue(event: OutboxEvent) -> None:
    """Enqueue the event's publish task once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: enqueue_publish([event.pk]))


def enqueue_publish(event_ids: list[int] | None = None) -> bool:
    """Hand a publish to the task queue. A broker that does not take it costs nothing: the sweep re-enqueues."""
    from partner.tasks import publish_outbox_events

    try:
        publish_outbox_events.apply_async(args=[event_ids])
    except Exception:  # the broker's errors vary by transport; every one of them means "later"
        logger.warning("Outbox events %s not enqueued (broker unavailable); the sweep will", event_ids, exc_info=True)
        return False
    return True


def outbox_requeue_due(*, older_than: timedelta = OVERDUE) -> int:
    """Enqueue publish tasks for pending events older than `older_than` that no attempt holds; how many events."""
    conf = partner_settings()
    now = timezone.now()
    due = list(
        OutboxEvent.objects.filter(sent_at__isnull=True, created_at__lte=now - older_than)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("id")
        .values_list("pk", flat=True)[: conf.relay_batch_size * 10]
    )
    size = conf.relay_batch_size
    batches = [due[start : start + size] for start in range(0, len(due), size)]
    return sum(len(batch) for batch in batches if enqueue_publish(batch))


# --- publishing ------------------------------------------------------------------------------------------------
def _lease(*, event_ids: list[int] | None, batch_size: int) -> list[OutboxEvent]:
    """Take up to batch_size pending events no attempt holds (those of `event_ids`, or the oldest); committed."""
    now = timezone.now()
    with transaction.atomic():
        pending = OutboxEvent.objects.filter(sent_at__isnull=True).filter(
            Q(leased_until__isnull=True) | Q(leased_until__lt=now)
        )
        if event_ids is not None:
            pending = pending.filter(pk__in=event_ids)
        events = list(pending.select_for_update(skip_locked=True).order_by("id")[:batch_size])
        if events:
            OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).update(leased_until=now + LEASE)
    return events


def relay_publish_batch(*, publisher: RabbitPublisher, batch_size: int, event_ids: list[int] | None = None) -> int:
    """Publish up to batch_size pending events; returns how many the broker confirmed.

    The events are leased and the lease committed before the broker is contacted; the outcome is stored after.
    Raises RelayPublishError when the broker failed; the events it did not confirm stay pending.
    """
    events = _lease(event_ids=event_ids, batch_size=batch_size)
    sent: list[int] = []
    error: Exception | None = None
    for event in events:
        try:
            publisher.publish(event)
        except Exception as exc:
            error = exc
            break
        sent.append(event.pk)
    if sent:
        OutboxEvent.objects.filter(pk__in=sent).update(
            sent_at=timezone.now(), leased_until=None, attempts=F("attempts") + 1, last_error=""
        )
    OUTBOX_PUBLISHED.inc(len(sent))
    if error is None:
        return len(sent)
    unsent = [event.pk for event in events if event.pk not in sent]
    OutboxEvent.objects.filter(pk__in=unsent).update(leased_until=None)
    OutboxEvent.objects.filter(pk=unsent[0]).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
    )
    OUTBOX_PUBLISH_FAILURES.inc()
    publisher.close()
    raise RelayPublishError(f"{type(error).__name__}: {error}") from error


def outbox_publish(*, event_ids: list[int] | None = None) -> int:
    """One publish attempt on a connection of its own: the given events, or every pending one (batch by batch).

    Returns how many were published; raises RelayPublishError when the broker failed.
    """
    conf = partner_settings()
    publisher = RabbitPublisher(conf)
    total = 0
    try:
        while True:
            sent = relay_publish_batch(publisher=publisher, batch_size=conf.relay_batch_size, event_ids=event_ids)
            total += sent
            if event_ids is not None or sent < conf.relay_batch_size:
                return total
    finally:
        publisher.close()
        refresh_outbox_backlog()


def relay_drain() -> int:
    """Publish every pending event now, retrying per PARTNERAPI_RABBITMQ_RETRIES_COUNT / _RETRIES_SLEEP
    (`manage.py partner_relay`). Raises RelayPublishError when the retries are spent."""
    conf = partner_settings()

    def log_retry(state: RetryCallState) -> None:
        logger.warning("Publishing to RabbitMQ failed (attempt %s), retrying: %s", state.attempt_number, state.outcome)

    retrying = Retrying(
        stop=stop_never if conf.rabbitmq_retries_count < 0 else stop_after_attempt(conf.rabbitmq_retries_count + 1),
        wait=wait_fixed(conf.rabbitmq_retries_sleep),
        retry=retry_if_exception_type(RelayPublishError),
        before_sleep=log_retry,
        reraise=True,
    )
    return retrying(outbox_publish)

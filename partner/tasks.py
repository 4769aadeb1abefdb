"""Celery tasks of the partner integration: outbox publishing and its sweep, status polling, reconciliation.

The periodic ones are scheduled in `CELERY_BEAT_SCHEDULE` (config/settings/base.py). Each partner call inside
them has its own total deadline (PARTNERAPI_HTTP_DEADLINE); the time limits below bound a whole run.
"""

from datetime import timedelta

from celery import Task, shared_task
from django.db import DatabaseError

from partner import outbox, services
from partner.conf import partner_settings

# A poll or reconciliation pass starts no new partner call after this many seconds (one call may then run to
# its deadline, within the soft time limit).
PASS_BUDGET = 120


@shared_task(bind=True, max_retries=None, soft_time_limit=120, time_limit=150, acks_late=True)
def publish_outbox_events(self: Task, event_ids: list[int] | None = None) -> int:
    """Publish outbox events (these, or every pending one) with publisher confirms; a broker failure is retried
    every PARTNERAPI_RABBITMQ_RETRIES_SLEEP seconds, PARTNERAPI_RABBITMQ_RETRIES_COUNT times (-1: until it works),
    after which the events wait for the sweep."""
    conf = partner_settings()
    try:
        return outbox.outbox_publish(event_ids=event_ids)
    except outbox.RelayPublishError:
        retries = conf.rabbitmq_retries_count
        if self.request.is_eager or (retries >= 0 and self.request.retries >= retries):
            return 0
        raise self.retry(countdown=conf.rabbitmq_retries_sleep) from None


@shared_task(soft_time_limit=30, time_limit=45)
def sweep_partner_outbox(older_than_seconds: float | None = None) -> int:
    """Enqueue outbox events still pending (their enqueue missed the broker, their retries were spent)."""
    if older_than_seconds is None:
        return outbox.outbox_requeue_due()
    return outbox.outbox_requeue_due(older_than=timedelta(seconds=older_than_seconds))


@shared_task(autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=3, soft_time_limit=150, time_limit=180)
def cancel_partner_duplicates(order_pk: int) -> int:
    """Cancel at the partner the extra orders it holds for one of our orders (found by find-orders)."""
    return services.partner_duplicates_cancel(order_pk=order_pk)


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=PASS_BUDGET + 90,
    time_limit=PASS_BUDGET + 120,
)
def poll_partner_orders() -> dict[str, int]:
    """Refresh the status of open partner orders, least recently checked first."""
    summary = services.partner_orders_poll(budget=PASS_BUDGET)
    return {"checked": summary.checked, "changed": summary.changed, "failed": summary.failed}


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    soft_time_limit=PASS_BUDGET + 90,
    time_limit=PASS_BUDGET + 120,
)
def reconcile_partner_orders() -> dict[str, int]:
    """Settle orders whose /create outcome is unknown by the partner's find-orders; cancel extra partner orders."""
    summary = services.partner_orders_reconcile(budget=PASS_BUDGET)
    return {
        "placed": summary.placed,
        "not_created": summary.not_created,
        "failed": summary.failed,
        "duplicates_cancelled": summary.duplicates_cancelled,
    }

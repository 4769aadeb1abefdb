"""Celery tasks of events: fan-out, webhook delivery and their sweep (see `events.delivery`)."""

from celery import Task, shared_task

from events import delivery


@shared_task(soft_time_limit=45, time_limit=60, acks_late=True)
def fan_out_events() -> int:
    """Deliveries and notifications for every committed event not fanned out yet, oldest first."""
    total = 0
    while fanned := delivery.events_fan_out():
        total += fanned
    return total


@shared_task(bind=True, max_retries=None, soft_time_limit=40, time_limit=50, acks_late=True)
def deliver_webhook(self: Task, delivery_id: int) -> str:
    """One attempt; a failure is retried with exponential backoff until the delivery's deadline."""
    outcome, retry_in = delivery.webhook_deliver(delivery_id=delivery_id)
    if outcome == delivery.Outcome.FAILED and retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in.total_seconds())
    return outcome


@shared_task(soft_time_limit=30, time_limit=45)
def sweep_webhooks() -> int:
    return delivery.webhooks_sweep()

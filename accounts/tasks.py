"""Celery tasks of accounts: mail delivery and its sweep (see `accounts.mail`), and the prune of expired
idempotency keys (see `common.idempotency`)."""

from celery import Task, shared_task

from accounts import mail
from common.idempotency import idempotency_keys_prune


@shared_task(bind=True, max_retries=None, soft_time_limit=45, time_limit=60, acks_late=True)
def deliver_email(self: Task, email_id: int) -> str:
    """Deliver one message; a failure is retried with exponential backoff until the message is given up."""
    outcome, retry_in = mail.outgoing_email_deliver(email_id=email_id)
    if outcome == mail.Delivery.FAILED and retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in.total_seconds())
    return outcome


@shared_task(soft_time_limit=30, time_limit=45)
def sweep_outgoing_email() -> int:
    """Enqueue mail whose delivery is overdue (a broker outage at enqueue time, a lost retry)."""
    return mail.outgoing_email_requeue_due()


@shared_task(soft_time_limit=120, time_limit=150)
def prune_idempotency_keys() -> int:
    """Delete the idempotency keys whose 24 hours are over (those of users who sent no key since)."""
    return idempotency_keys_prune()

"""The mail outbox: mail is written with the change that causes it and delivered by a task after commit.

`outgoing_email_queue` (inside the caller's transaction) writes the row and enqueues its delivery once the
transaction commits. `outgoing_email_deliver` (in a task) leases the row with a conditional UPDATE, commits,
talks to the mail server with no transaction open, then records the outcome. A failed attempt sets the next
one's time with exponential backoff; `outgoing_email_requeue_due` (a periodic task) enqueues whatever is overdue,
such as mail whose enqueue the broker missed. A message is given up `EMAIL_DELIVERY_GIVE_UP_HOURS` after it was
written.
"""

import logging
import smtplib
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import OutgoingEmail

logger = logging.getLogger("accounts.mail")

#: how long one delivery attempt holds a message: longer than the task's hard time limit
LEASE = timedelta(seconds=120)
#: an attempt due longer ago than this was lost (broker down when it was enqueued, worker killed): enqueue again
OVERDUE = timedelta(seconds=60)
SWEEP_BATCH = 500


class Delivery(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    GIVEN_UP = "given_up"
    SKIPPED = "skipped"  # delivered, given up, or another attempt holds it


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after `attempts` failed attempts: base, 2×base, 4×base... capped."""
    base = settings.EMAIL_RETRY_BACKOFF_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS))


def outgoing_email_queue(*, to: str, subject: str, body: str) -> OutgoingEmail:
    """Write a message in the current transaction; its delivery is enqueued when the transaction commits."""
    email = OutgoingEmail.objects.create(to=to, subject=subject, body=body, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return email


def enqueue_delivery(email_id: int, *, countdown: float | None = None) -> bool:
    """Hand a delivery to the task queue. A broker that does not take it costs nothing: the sweep re-enqueues."""
    from accounts.tasks import deliver_email

    try:
        deliver_email.apply_async(args=[email_id], countdown=countdown)
    except Exception:  # the broker's errors vary by transport; every one of them means "later"
        logger.warning("Mail %s not enqueued (broker unavailable); the sweep will enqueue it", email_id, exc_info=True)
        return False
    return True


def outgoing_email_deliver(*, email_id: int) -> tuple[Delivery, timedelta | None]:
    """One delivery attempt; returns the outcome and, after a failure, the delay before the next attempt."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True, given_up_at__isnull=True)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return Delivery.SKIPPED, None
    email = OutgoingEmail.objects.get(pk=email_id)
    if email.created_at + timedelta(hours=settings.EMAIL_DELIVERY_GIVE_UP_HOURS) <= now:
        _finish(email_id, given_up_at=now, last_error=f"given up after {email.attempts - 1} attempts")
        return Delivery.GIVEN_UP, None
    try:
        EmailMessage(email.subject, email.body, None, [email.to]).send()  # EMAIL_TIMEOUT bounds each operation
    except (smtplib.SMTPException, OSError) as exc:
        delay = retry_delay(email.attempts)
        OutgoingEmail.objects.filter(pk=email_id).update(
            leased_until=None, next_attempt_at=timezone.now() + delay, last_error=f"{type(exc).__name__}: {exc}"[:500]
        )
        logger.warning("Mail %s not delivered (attempt %s): %s", email_id, email.attempts, exc)
        return Delivery.FAILED, delay
    _finish(email_id, sent_at=timezone.now(), last_error="")
    return Delivery.SENT, None


def _finish(email_id: int, **fields: object) -> None:
    OutgoingEmail.objects.filter(pk=email_id).update(leased_until=None, body="", **fields)


def outgoing_email_requeue_due() -> int:
    """Enqueue every message whose attempt is overdue and not held by a running attempt; returns how many."""
    now = timezone.now()
    due = list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, given_up_at__isnull=True, next_attempt_at__lt=now - OVERDUE)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(enqueue_delivery(email_id) for email_id in due)

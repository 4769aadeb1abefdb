"""Confirmation mail goes through the mail outbox: a mail server that is down delays codes, never loses them,
and never changes what register and resend answer. The mail server is a real SMTP server on loopback; tasks run
on a real Celery worker over the real RabbitMQ broker."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.mail import Delivery, outgoing_email_deliver
from accounts.models import OutgoingEmail, User
from accounts.tasks import sweep_outgoing_email
from tests.accounts.factories import UserFactory
from tests.support.smtp import FakeMailServer, wait_until

PASSWORD = "s3cure-Passw0rd"


@pytest.fixture
def mail_server(settings):  # type: ignore[no-untyped-def]
    """Points the app at a mail server on loopback that starts stopped (its port refuses connections)."""
    server = FakeMailServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 2
    settings.EMAIL_RETRY_BACKOFF_SECONDS, settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS = 0.2, 0.5
    yield server
    server.stop()


def _code(message) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"\b(\d{6})\b", message.get_payload()).group(1)


@pytest.mark.postgres
def test_codes_mailed_while_the_mail_server_is_down_arrive_once_it_is_back(mail_server, celery_worker) -> None:  # type: ignore[no-untyped-def]
    client = APIClient()
    emails = [f"user{n}@example.com" for n in range(5)]

    # given a mail server that is down, every registration is still answered as documented
    for n, email in enumerate(emails):
        response = client.post("/api/auth/register/", {"username": f"user{n}", "email": email, "password": PASSWORD})
        assert response.status_code == 201, response.content
    wait_until(lambda: OutgoingEmail.objects.filter(attempts__gte=2, sent_at__isnull=True).count() == len(emails))
    assert all(email.last_error for email in OutgoingEmail.objects.all())

    # when it comes back, the retries deliver every code exactly once
    mail_server.start()
    wait_until(lambda: not OutgoingEmail.objects.filter(sent_at__isnull=True).exists())
    for email in emails:
        (message,) = mail_server.to(email)
        confirmed = client.post("/api/auth/confirm-email/", {"email": email, "code": _code(message)})
        assert confirmed.status_code == 200, confirmed.content
    assert User.objects.filter(confirmed_email=True).count() == len(emails)
    assert set(OutgoingEmail.objects.values_list("body", flat=True)) == {""}  # codes are not kept once delivered


@pytest.mark.postgres
def test_the_sweep_delivers_mail_whose_enqueue_was_lost(mail_server, celery_worker) -> None:  # type: ignore[no-untyped-def]
    # given mail written while the broker was away: its delivery was never enqueued
    mail_server.start()
    lost = OutgoingEmail.objects.create(
        to="late@example.com", subject="Hi", body="Your code is 123456.", next_attempt_at=timezone.now()
    )
    OutgoingEmail.objects.filter(pk=lost.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))

    # when the periodic sweep runs (on the worker, as beat would start it)
    sweep_outgoing_email.delay()

    # then it is delivered once
    wait_until(lambda: OutgoingEmail.objects.filter(pk=lost.pk, sent_at__isnull=False).exists())
    assert len(mail_server.to("late@example.com")) == 1


@pytest.mark.django_db(transaction=True)
def test_resend_answers_alike_for_a_known_and_an_unknown_address_while_mail_is_down(mail_server) -> None:  # type: ignore[no-untyped-def]
    UserFactory(email="pending@example.com", confirmed_email=False)
    client = APIClient()

    known = client.post("/api/auth/confirm-email/resend/", {"email": "pending@example.com"})
    unknown = client.post("/api/auth/confirm-email/resend/", {"email": "nobody@example.com"})

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.status_code == 202
    pending = OutgoingEmail.objects.get(to="pending@example.com")  # written and tried once, kept for the retries
    assert (pending.sent_at, pending.attempts) == (None, 1)
    assert pending.last_error


@pytest.mark.django_db
def test_a_delivery_attempt_is_skipped_while_another_holds_the_message(mail_server) -> None:  # type: ignore[no-untyped-def]
    mail_server.start()
    email = OutgoingEmail.objects.create(to="a@example.com", subject="Hi", body="x", next_attempt_at=timezone.now())
    OutgoingEmail.objects.filter(pk=email.pk).update(leased_until=timezone.now() + timedelta(minutes=1))

    assert outgoing_email_deliver(email_id=email.pk) == (Delivery.SKIPPED, None)
    assert mail_server.messages == []


@pytest.mark.django_db
def test_mail_older_than_the_give_up_window_is_given_up_and_its_body_dropped(mail_server, settings) -> None:  # type: ignore[no-untyped-def]
    email = OutgoingEmail.objects.create(to="a@example.com", subject="Hi", body="x", next_attempt_at=timezone.now())
    OutgoingEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - timedelta(hours=settings.EMAIL_DELIVERY_GIVE_UP_HOURS, seconds=1)
    )

    assert outgoing_email_deliver(email_id=email.pk)[0] == Delivery.GIVEN_UP
    email.refresh_from_db()
    assert email.given_up_at is not None
    assert (email.body, email.sent_at) == ("", None)

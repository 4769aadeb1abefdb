"""Expired idempotency keys are pruned by a beat task, whoever they belong to; live ones stay."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import IdempotencyKey, User
from accounts.tasks import prune_idempotency_keys
from common.idempotency import idempotency_keys_prune
from config.celery import app
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def key(user: User, name: str, expires_in: timedelta) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        user=user, key=name, fingerprint="f" * 64, status_code=201, body=b"{}", expires_at=timezone.now() + expires_in
    )


def test_the_task_deletes_every_expired_key_and_keeps_the_live_ones() -> None:
    # given: users who never came back with expired keys, and keys still within their 24 hours
    gone, active = UserFactory(), UserFactory()
    for i in range(7):
        key(gone, f"old-{i}", -timedelta(minutes=i + 1))
    key(active, "old", -timedelta(seconds=1))
    live = [key(active, "live", timedelta(hours=23)), key(gone, "live", timedelta(seconds=30))]

    # when
    deleted = prune_idempotency_keys.apply().get()

    # then
    assert deleted == 8
    assert set(IdempotencyKey.objects.values_list("pk", flat=True)) == {k.pk for k in live}


def test_the_prune_works_in_batches() -> None:
    user = UserFactory()
    for i in range(5):
        key(user, f"old-{i}", -timedelta(hours=1))

    assert idempotency_keys_prune(batch_size=2) == 5
    assert not IdempotencyKey.objects.exists()
    assert idempotency_keys_prune(batch_size=2) == 0


def test_the_beat_runs_the_prune() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["idempotency-keys-prune"]

    assert entry["task"] == prune_idempotency_keys.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 24 * 3600

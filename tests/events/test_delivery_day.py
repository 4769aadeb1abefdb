"""A scripted day of work through the real API, delivered by a real Celery worker on RabbitMQ to a receiver of
our own on loopback: every event exactly once per event id, in order per object, signed; and a receiver that
refuses for a while and then recovers gets everything."""

import time
from collections import defaultdict
from typing import Any

import pytest

from events.models import Event, WebhookAttempt, WebhookDelivery
from events.signing import signature_verify
from tests.events.conftest import Receiver
from tests.events.world import World, ok, run_day, subscribe, world_build
from tests.support.smtp import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = [
    ("customer", "user"),
    ("executor1", "user"),
    ("executor2", "user"),
    ("owner1", "organization"),
    ("dispatcher", "assignments"),
    ("hr", "appraisals"),
]


def _subscribe_all(world: World, receiver: Receiver) -> dict[str, str]:
    secrets = {}
    for name, scope in SUBSCRIBERS:
        organization = world.org1 if scope == "organization" else None
        secrets[name] = ok(subscribe(world, name, scope, receiver.url(name), organization), 201).json()["secret"]
    return secrets


def _expected(world: World) -> dict[str, set[str]]:
    """Who may read what, written from the API's rules (not from `events.visibility`)."""
    u = world.users
    expected: dict[str, set[str]] = defaultdict(set)
    for event in Event.objects.exclude(type="webhook.test"):
        data, kind = event.data, event.type.split(".")[0]
        if kind in ("marketplace_order", "review"):
            if data.get("customer_id") == u["customer"].pk:
                expected["customer"].add(str(event.id))
            for name in ("executor1", "executor2"):
                if kind == "review" and data.get("executor_id") == u[name].pk:
                    expected[name].add(str(event.id))
        elif kind == "organization_order" and event.organization_id == world.org1.pk:
            expected["owner1"].add(str(event.id))
        elif kind == "assignment":
            expected["dispatcher"].add(str(event.id))
        elif kind == "participant":
            expected["hr"].add(str(event.id))
    return expected


def _check_day(world: World, receiver: Receiver, secrets: dict[str, str], timeout: float) -> dict[str, Any]:
    expected = _expected(world)

    def everything_arrived() -> bool:
        return all({r.event["id"] for r in receiver.accepted(name)} >= ids for name, ids in expected.items())

    wait_until(everything_arrived, timeout=timeout, interval=0.1)
    time.sleep(0.5)  # anything extra would arrive now
    duplicates = 0
    for name, _ in SUBSCRIBERS:
        received = receiver.accepted(name)
        ids = [r.event["id"] for r in received]
        assert set(ids) == expected[name], name  # nothing the subscriber could not read, nothing missing
        duplicates += len(ids) - len(set(ids))
        for r in received:
            assert r.headers["webhook-id"] == r.event["id"]
            assert signature_verify(
                secret=secrets[name],
                body=r.body,
                timestamp=r.headers["webhook-timestamp"],
                header=r.headers["webhook-signature"],
            )
        # in the order of occurred_at per object (first arrival of each event)
        first_seen: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen: set[str] = set()
        for r in received:
            event = r.event
            if event["id"] not in seen:
                seen.add(event["id"])
                first_seen[f"{event['object']['type']}:{event['object']['id']}"].append(event)
        for events in first_seen.values():
            assert [e["occurred_at"] for e in events] == sorted(e["occurred_at"] for e in events)
    return {
        "events": Event.objects.exclude(type="webhook.test").count(),
        "deliveries": sum(len(ids) for ids in expected.values()),
        "duplicates": duplicates,
    }


def test_a_day_of_work_reaches_every_subscriber_once_in_order_and_signed(events_worker, receiver) -> None:  # type: ignore[no-untyped-def]
    world = world_build()
    secrets = _subscribe_all(world, receiver)
    started = time.monotonic()
    run_day(world)
    figures = _check_day(world, receiver, secrets, timeout=60)
    assert figures["events"] == 17  # marketplace 8, organization orders 3, assignments 3, participants 3
    assert figures["duplicates"] == 0  # no retries here, so no duplicates
    assert WebhookDelivery.objects.filter(state="succeeded").count() == figures["deliveries"]
    print(f"\nday of work: {figures}, {time.monotonic() - started:.1f} s")


def test_a_receiver_that_refuses_then_recovers_gets_everything(events_worker, receiver, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOKS_RETRY_BACKOFF_SECONDS = 0.2
    settings.WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS = 1.0
    world = world_build()
    secrets = _subscribe_all(world, receiver)
    receiver.refuse_until = time.monotonic() + 4.0
    run_day(world)
    figures = _check_day(world, receiver, secrets, timeout=90)
    recovered_after = max(r.at for r in receiver.accepted()) - receiver.refuse_until
    refused_ids = {r.event["id"] for r in receiver.refused}
    assert refused_ids  # it did refuse
    assert refused_ids <= {r.event["id"] for r in receiver.accepted()}  # and got every refused event later
    failed_attempts = WebhookAttempt.objects.filter(succeeded=False).count()
    assert failed_attempts == len(receiver.refused)
    assert all(a.status_code == 500 and a.error == "HTTP 500" for a in WebhookAttempt.objects.filter(succeeded=False))
    print(
        f"\nrefuse then recover: {figures}, refused attempts {failed_attempts}, recovered {recovered_after:.1f} s after"
    )

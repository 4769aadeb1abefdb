"""Webhooks and notifications through the API: registration rules, SSRF guard, give-up and re-enable, replay,
test events, notifications, signature snippet, query counts; the log written by each domain."""

import re
import time
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from events.delivery import Outcome, events_fan_out, webhook_deliver
from events.models import Event, Notification, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from events.signing import signature
from events.types import DESCRIPTIONS, EventType
from tests.events.conftest import Receiver
from tests.events.world import World, ok, run_day, subscribe, world_build

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def world() -> World:
    return world_build()


def _deliver_all() -> list[Outcome]:
    events_fan_out()
    return [
        webhook_deliver(delivery_id=pk)[0]
        for pk in WebhookDelivery.objects.order_by("occurred_at", "id").values_list("pk", flat=True)
    ]


# --- registration -----------------------------------------------------------------------------------------------
def test_register_returns_the_secret_once(world: World, receiver: Receiver) -> None:
    body = ok(subscribe(world, "customer", "user", receiver.url("c")), 201).json()
    assert body["secret"].startswith("whsec_")
    assert body["scope"] == "user"
    shown = ok(world.api("customer").get(f"/api/webhooks/{body['id']}/")).json()
    assert "secret" not in shown
    listed = ok(world.api("customer").get("/api/webhooks/")).json()
    assert [w["id"] for w in listed["results"]] == [body["id"]]
    assert "secret" not in listed["results"][0]


@pytest.mark.parametrize(
    ("name", "scope", "org", "status"),
    [
        ("owner1", "organization", "org1", 201),
        ("manager1", "organization", "org1", 403),  # every right but delete: not an owner
        ("owner2", "organization", "org1", 403),
        ("outsider", "organization", "org1", 403),
        ("dispatcher", "assignments", None, 201),
        ("hr", "assignments", None, 403),
        ("hr", "appraisals", None, 201),
        ("staff", "appraisals", None, 403),  # is_staff alone grants nothing
        ("dispatcher", "partner", None, 403),
        ("outsider", "user", None, 201),
    ],
)
def test_who_may_subscribe_to_what(world: World, name: str, scope: str, org: str | None, status: int) -> None:
    response = subscribe(world, name, scope, "http://127.0.0.1:9/hook", getattr(world, org) if org else None)
    assert response.status_code == status, response.content
    if status == 403:
        assert response.json()["code"] in ("webhook_scope_not_allowed", "permission_denied")
        assert not WebhookEndpoint.objects.exists()


def test_event_types_must_belong_to_the_scope(world: World) -> None:
    response = world.api("customer").post(
        "/api/webhooks/",
        {"url": "http://127.0.0.1:9/", "scope": "user", "event_types": ["assignment.acquired"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "event_type_not_in_scope"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://192.168.1.1/",
        "ftp://example.com/",
        "http://user:pass@example.com/",
    ],
)
def test_production_refuses_loopback_private_and_link_local_targets(world: World, settings: Any, url: str) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = world.api("customer").post(
        "/api/webhooks/", {"url": url, "scope": "user", "event_types": ["review.accepted"]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("webhook_target_not_allowed", "invalid")
    assert not WebhookEndpoint.objects.exists()


def test_production_settings_default_to_refusing_private_targets() -> None:
    from config.settings import base

    assert base.WEBHOOKS_ALLOW_PRIVATE_TARGETS is False


def test_another_users_webhook_is_404(world: World) -> None:
    webhook = ok(subscribe(world, "customer", "user", "http://127.0.0.1:9/"), 201).json()["id"]
    other = world.api("outsider")
    for method, path in [
        ("get", f"/api/webhooks/{webhook}/"),
        ("patch", f"/api/webhooks/{webhook}/"),
        ("delete", f"/api/webhooks/{webhook}/"),
        ("get", f"/api/webhooks/{webhook}/deliveries/"),
        ("post", f"/api/webhooks/{webhook}/test/"),
    ]:
        response = getattr(other, method)(path, {}, format="json")
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "webhook_not_found"
    assert WebhookEndpoint.objects.filter(pk=webhook).exists()


# --- delivery ------------------------------------------------------------------------------------------------------
def test_a_delivery_is_signed_with_the_secret(world: World, receiver: Receiver) -> None:
    secret = ok(subscribe(world, "customer", "user", receiver.url("c")), 201).json()["secret"]
    ok(world.api("customer").post("/api_v2/order/", {"name": "n", "description": "d", "price": "10", "term": 1}), 201)
    assert _deliver_all() == [Outcome.DELIVERED]
    (got,) = receiver.accepted("c")
    timestamp = int(got.headers["webhook-timestamp"])
    assert got.headers["webhook-signature"] == signature(secret=secret, timestamp=timestamp, body=got.body)
    assert got.event["type"] == "marketplace_order.created"
    assert got.headers["webhook-id"] == got.event["id"]
    assert abs(time.time() - timestamp) < 60


def test_failures_for_the_give_up_window_disable_the_endpoint_with_a_reason(
    world: World, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOKS_GIVE_UP_HOURS = 1 / 3600  # one second
    receiver.refuse_until = float("inf")
    webhook = ok(subscribe(world, "customer", "user", receiver.url("c")), 201).json()["id"]
    api = world.api("customer")
    ok(api.post("/api_v2/order/", {"name": "n", "description": "d", "price": "10", "term": 1}), 201)
    assert _deliver_all() == [Outcome.FAILED]
    time.sleep(1.1)
    WebhookDelivery.objects.update(next_attempt_at=WebhookDelivery.objects.get().created_at)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver(delivery_id=delivery.pk)[0] == Outcome.GIVEN_UP
    shown = ok(api.get(f"/api/webhooks/{webhook}/")).json()
    assert shown["is_active"] is False
    assert "Deliveries failed for" in shown["disabled_reason"]
    assert "HTTP 500" in shown["disabled_reason"]
    log = ok(api.get(f"/api/webhooks/{webhook}/deliveries/")).json()["results"]
    assert log[0]["state"] == "failed"
    assert [(a["status_code"], a["error"]) for a in log[0]["attempt_log"]] == [(500, "HTTP 500")]
    # enabled again: a replay goes out
    receiver.refuse_until = 0
    settings.WEBHOOKS_GIVE_UP_HOURS = 24
    assert ok(api.patch(f"/api/webhooks/{webhook}/", {"is_active": True}, format="json")).json()["is_active"]
    replayed = ok(api.post(f"/api/webhooks/{webhook}/deliveries/{delivery.pk}/replay/"), 202).json()
    assert replayed["state"] == "pending"
    assert webhook_deliver(delivery_id=delivery.pk)[0] == Outcome.DELIVERED
    assert [r.event["id"] for r in receiver.accepted("c")] == [str(delivery.event_id)]


def test_a_test_event_goes_to_that_endpoint_only(world: World, receiver: Receiver) -> None:
    mine = ok(subscribe(world, "customer", "user", receiver.url("mine")), 201).json()["id"]
    ok(subscribe(world, "executor1", "user", receiver.url("other")), 201)
    delivery = ok(world.api("customer").post(f"/api/webhooks/{mine}/test/"), 202).json()
    assert delivery["event"]["type"] == "webhook.test"
    events_fan_out()
    assert webhook_deliver(delivery_id=delivery["id"])[0] == Outcome.DELIVERED
    assert [r.event["type"] for r in receiver.accepted("mine")] == ["webhook.test"]
    assert receiver.accepted("other") == []


def test_deliveries_of_one_object_wait_for_the_earlier_one(world: World, receiver: Receiver) -> None:
    receiver.refuse_until = float("inf")
    ok(subscribe(world, "customer", "user", receiver.url("c")), 201)
    api = world.api("customer")
    order = ok(api.post("/api_v2/order/", {"name": "n", "description": "d", "price": "10", "term": 1}), 201).json()
    ok(world.api("executor1").get(f"/api_v2/order/{order['id']}/"))
    review = Event.objects.get(type="review.created").object_id
    ok(world.api("executor1").patch(f"/api_v2/order/review/{review}/", {"status": "reconciliation"}))
    events_fan_out()
    first, second = WebhookDelivery.objects.filter(object_key=f"review:{review}").order_by("occurred_at")
    assert webhook_deliver(delivery_id=first.pk)[0] == Outcome.FAILED
    assert webhook_deliver(delivery_id=second.pk)[0] == Outcome.SKIPPED  # waits for the first
    assert WebhookAttempt.objects.filter(delivery=second).count() == 0


# --- notifications -------------------------------------------------------------------------------------------------
def test_notifications_feed_with_unread_count_and_read_marks(world: World) -> None:
    run_day(world)
    events_fan_out()
    api = world.api("executor1")
    feed = ok(api.get("/api/notifications/")).json()
    assert list(feed) == ["count", "unread", "next", "previous", "results"]
    kinds = [n["kind"] for n in feed["results"]]
    assert kinds == ["assignment.assigned", "review.done", "review.in_progress", "review.accepted"]  # newest first
    assert feed["unread"] == 4
    first = feed["results"][0]["id"]
    read = ok(api.post(f"/api/notifications/{first}/read/")).json()
    assert read["read_at"] is not None
    assert ok(api.get("/api/notifications/")).json()["unread"] == 3
    assert ok(api.post("/api/notifications/read-all/")).json() == {"marked": 3}
    assert ok(api.get("/api/notifications/")).json()["unread"] == 0
    # the customer heard of the two responses; the other executor of the rejection
    assert sorted(Notification.objects.filter(user=world.users["customer"]).values_list("kind", flat=True)) == [
        "review.created",
        "review.created",
    ]
    assert list(Notification.objects.filter(user=world.users["executor2"]).values_list("kind", flat=True)) == [
        "review.rejected"
    ]
    response = world.api("outsider").post(f"/api/notifications/{first}/read/")
    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"


# --- query counts ----------------------------------------------------------------------------------------------
def _count_queries(django_assert_max_num_queries: Any, api: APIClient, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        ok(api.get(path))
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ["/api/webhooks/", "deliveries", "/api/notifications/"])
def test_lists_cost_the_same_for_1_and_30_rows(world: World, path: str, django_assert_max_num_queries: Any) -> None:
    user = world.users["customer"]
    endpoint = WebhookEndpoint.objects.create(
        owner=user, scope="user", url="http://127.0.0.1:9/", event_types=["review.created"], secret="s"
    )
    api = world.api("customer")
    url = f"/api/webhooks/{endpoint.pk}/deliveries/" if path == "deliveries" else path

    def add(n: int) -> None:
        from django.utils import timezone

        for _ in range(n):
            event = Event.objects.create(
                type="review.created", domain="marketplace", object_type="review", object_id="1"
            )
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event=event,
                object_key="review:1",
                occurred_at=event.occurred_at,
                deadline_at=timezone.now(),
            )
            WebhookAttempt.objects.create(delivery=delivery, status_code=500, error="HTTP 500")
            Notification.objects.create(user=user, event=event, kind=event.type, text="t")
            if path == "/api/webhooks/":
                WebhookEndpoint.objects.create(
                    owner=user, scope="user", url="http://127.0.0.1:9/", event_types=[], secret="s"
                )

    add(1)
    one = _count_queries(django_assert_max_num_queries, api, url)
    add(29)
    thirty = _count_queries(django_assert_max_num_queries, api, url)
    assert one == thirty


# --- the signature snippet of the README ----------------------------------------------------------------------
def test_the_readme_snippet_verifies_a_real_delivery(world: World, receiver: Receiver) -> None:
    snippet = re.search(r"<!-- webhook-verify -->\s*```python\n(.*?)```", README.read_text(), re.S)
    assert snippet is not None
    namespace: dict[str, Any] = {}
    exec(snippet.group(1), namespace)  # the reader's code, as printed
    verify = namespace["verify"]
    secret = ok(subscribe(world, "customer", "user", receiver.url("c")), 201).json()["secret"]
    ok(world.api("customer").post("/api_v2/order/", {"name": "n", "description": "d", "price": "10", "term": 1}), 201)
    _deliver_all()
    (got,) = receiver.accepted("c")
    headers = {
        "Webhook-Timestamp": got.headers["webhook-timestamp"],
        "Webhook-Signature": got.headers["webhook-signature"],
    }
    assert verify(got.body, headers, secret) is True
    assert verify(got.body + b" ", headers, secret) is False  # a changed body
    assert verify(got.body, headers, "whsec_other") is False
    old = {**headers, "Webhook-Timestamp": str(int(headers["Webhook-Timestamp"]) - 600)}
    assert verify(got.body, old, secret) is False  # outside the tolerance window


def test_every_event_type_is_documented_in_the_readme_and_schema(client: Any) -> None:
    readme = README.read_text()
    schema = client.get("/api/schema/?format=json").content.decode()
    for event_type in EventType:
        assert f"`{event_type}`" in readme, event_type
        assert event_type.value in schema, event_type
        assert event_type in DESCRIPTIONS


# --- the partner outbox is one producer of the log --------------------------------------------------------------
def test_the_partner_outbox_records_its_events_in_the_log_under_the_same_id() -> None:
    from partner.models import OutboxEvent
    from partner.services import _outbox_write
    from tests.partner.factories import PartnerOrderFactory

    order = PartnerOrderFactory()
    outbox = _outbox_write(order=order, event_type=OutboxEvent.EventType.STATUS_CHANGED)
    event = Event.objects.get(pk=outbox.event_id)
    assert (event.type, event.object_type, event.object_id) == (
        "partner_order.status_changed",
        "partner_order",
        str(order.order_id),
    )
    assert set(outbox.payload) == {
        "event_id",
        "event",
        "source_project_id",
        "kodpost",
        "order_id",
        "their_order_id",
        "status_id",
        "their_status_id",
        "their_items",
        "time",
    }  # the RabbitMQ contract is unchanged

"""The outbox relay against the real RabbitMQ (unique exchange per test)."""

import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from partner.conf import partner_settings
from partner.models import OutboxEvent
from partner.outbox import RabbitPublisher, relay_publish_batch
from tests.partner.conftest import closed_port, consume_all, place
from tests.partner.factories import OutboxEventFactory

pytestmark = pytest.mark.django_db


def test_an_order_event_is_published_persistent_with_its_id_and_body(
    service_client: APIClient, fake_partner, rabbit, settings
) -> None:
    # given
    settings.PARTNERAPI_SOURCE_PROJECT_ID = 8
    settings.PARTNERAPI_KODPOST = 116897
    place(service_client, 10)
    event = OutboxEvent.objects.get()
    # when
    call_command("partner_relay", "--once")
    # then
    [(method, properties, body)] = consume_all(rabbit)
    assert method.routing_key == "partner.order.created"
    assert properties.message_id == str(event.event_id)
    assert properties.delivery_mode == 2
    assert properties.content_type == "application/json"
    payload = json.loads(body)
    assert payload == {
        "event_id": str(event.event_id),
        "event": "created",
        "source_project_id": 8,
        "kodpost": 116897,
        "order_id": 10,
        "their_order_id": "5001",
        "status_id": 0,
        "their_status_id": "created",
        "their_items": None,
        "time": payload["time"],
    }
    event.refresh_from_db()
    assert event.sent_at is not None
    assert event.attempts == 1
    # nothing is sent twice
    call_command("partner_relay", "--once")
    assert consume_all(rabbit) == []


def test_a_status_move_and_a_cancellation_are_published_in_order(
    service_client: APIClient, fake_partner, rabbit
) -> None:
    their_id = place(service_client, 10)["data"]["their_order_id"]
    fake_partner.set_status(their_id, "accepted")
    service_client.get("/v2/orders/10")
    service_client.delete("/v2/orders/", {"order_id": 10, "their_order_id": their_id}, format="json")
    call_command("partner_relay", "--once")
    messages = [json.loads(body) for _, _, body in consume_all(rabbit)]
    assert [(m["event"], m["status_id"], m["their_status_id"]) for m in messages] == [
        ("created", 0, "created"),
        ("status_changed", 1, "accepted"),
        ("cancelled", 3, "cancelled"),
    ]


def test_with_the_broker_down_the_event_waits_and_is_delivered_later(
    service_client: APIClient, fake_partner, rabbit, settings
) -> None:
    # given: the relay points at a port nobody listens on, one retry
    place(service_client, 10)
    event = OutboxEvent.objects.get()
    real_url = settings.PARTNERAPI_RABBITMQ_URL
    settings.PARTNERAPI_RABBITMQ_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}/%2F"
    settings.PARTNERAPI_RABBITMQ_RETRIES_COUNT = 1
    failures = REGISTRY.get_sample_value("partnerapi_outbox_publish_failures_total") or 0
    # when
    with pytest.raises(CommandError, match="events stay in the outbox"):
        call_command("partner_relay", "--once")
    # then: kept, with the attempts counted
    event.refresh_from_db()
    assert event.sent_at is None
    assert event.attempts == 2
    assert event.last_error
    assert REGISTRY.get_sample_value("partnerapi_outbox_publish_failures_total") == failures + 2
    # when the broker is reachable again
    settings.PARTNERAPI_RABBITMQ_URL = real_url
    call_command("partner_relay", "--once")
    # then
    [(_, properties, body)] = consume_all(rabbit)
    assert properties.message_id == str(event.event_id)
    assert json.loads(body)["order_id"] == 10
    event.refresh_from_db()
    assert event.sent_at is not None
    assert event.last_error == ""


@pytest.mark.parametrize("count", [1, 30])
def test_a_batch_costs_the_same_queries_for_1_and_30_events(rabbit, django_assert_num_queries, count: int) -> None:
    OutboxEventFactory.create_batch(count)
    publisher = RabbitPublisher(partner_settings())
    try:
        # the lease (savepoint, SELECT ... FOR UPDATE SKIP LOCKED, one UPDATE, release), committed before the
        # broker is contacted; then one UPDATE for the sent ones
        with django_assert_num_queries(5):
            assert relay_publish_batch(publisher=publisher, batch_size=100) == count
    finally:
        publisher.close()
    assert len(consume_all(rabbit)) == count


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_relays_running_at_once_publish_each_event_once(rabbit, settings) -> None:
    settings.PARTNERAPI_RELAY_BATCH_SIZE = 5
    events = OutboxEventFactory.create_batch(40)
    errors: list[BaseException] = []

    def relay() -> None:
        try:
            call_command("partner_relay", "--once")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [properties.message_id for _, properties, _ in consume_all(rabbit)]
    assert sorted(ids) == sorted(str(e.event_id) for e in events)
    assert not OutboxEvent.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.parametrize(("retries", "attempts"), [(0, 1), (2, 3)])
def test_rabbitmq_retries_count_is_the_number_of_retries_after_the_first_attempt(
    rabbit, settings, retries: int, attempts: int
) -> None:
    event = OutboxEventFactory()
    settings.PARTNERAPI_RABBITMQ_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}/%2F"
    settings.PARTNERAPI_RABBITMQ_RETRIES_COUNT = retries
    with pytest.raises(CommandError):
        call_command("partner_relay", "--once")
    event.refresh_from_db()
    assert (event.sent_at, event.attempts) == (None, attempts)

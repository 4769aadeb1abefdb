"""The partner integration when the partner or the broker misbehaves, with real faults: a slow, dripping, hanging
or disconnecting partner (FakePartner over real HTTP, behind the project's TCP proxy where the fault is on the
wire) and a refusing or stalled RabbitMQ (the proxy between the publisher and the real broker)."""

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pika
import pytest
from django.db import connection, transaction
from django.utils import timezone

from partner.fake_partner import FakePartner
from partner.models import OutboxEvent, PartnerDuplicateOrder, PartnerOrder, PartnerOrderStatusChange, Placement
from partner.tasks import publish_outbox_events, reconcile_partner_orders, sweep_partner_outbox
from tests.partner.conftest import RABBITMQ_URL, closed_port, consume_all, order_body
from tests.partner.factories import OutboxEventFactory, PartnerOrderFactory, partner_service_user
from tests.support.auth import client_for
from tests.support.proxy import Mode, TcpProxy
from tests.support.smtp import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARTNER_ERROR = {"partner_error": True, "service_error": None, "quantity_errors": None, "price_errors": None}
DEADLINE = 1.5  # PARTNERAPI_HTTP_DEADLINE of these tests
MARGIN = 1.0  # what a call may take beyond its deadline: one socket operation, storing the outcome (a busy CI machine)


@pytest.fixture
def fake_partner_settings(fake_partner_settings: dict[str, Any]) -> dict[str, Any]:
    return {
        **fake_partner_settings,
        "PARTNERAPI_HTTP_TIMEOUT_ORDER": 0.5,
        "PARTNERAPI_HTTP_DEADLINE": DEADLINE,
        "PARTNERAPI_HTTP_DEADLINE_ORDER": DEADLINE,
        "PARTNERAPI_RECONCILE_AFTER": 5,
        # Events are published only in the tests about publishing; elsewhere they stay pending.
        "PARTNERAPI_RABBITMQ_URL": f"amqp://guest:guest@127.0.0.1:{closed_port()}/%2F",
        "PARTNERAPI_RABBITMQ_TIMEOUT": 2,
    }


@pytest.fixture
def partner_proxy(fake_partner: FakePartner, settings) -> Iterator[TcpProxy]:  # type: ignore[no-untyped-def]
    """The app reaches the fake partner through a TcpProxy."""
    host, port = fake_partner.url.removeprefix("http://").split(":")
    with TcpProxy((host, int(port)), drip_interval=0.05) as proxy:
        settings.PARTNERAPI_URL = f"http://{proxy.address}"
        yield proxy
        proxy.mode = Mode.PASS


@pytest.fixture
def service_user(transactional_db):  # type: ignore[no-untyped-def]
    return partner_service_user()


def _place(user: Any, order_id: int = 10) -> tuple[dict[str, Any], float]:
    client = client_for(user)
    started = time.monotonic()
    response = client.post("/v2/orders/", order_body(order_id), format="json")
    assert response.status_code == 200, response.content
    return response.json(), time.monotonic() - started


def _idle_in_transaction() -> int:
    """Sessions of this database (other than ours) sitting in an open transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _in_thread(target: Any) -> tuple[threading.Thread, list[Any]]:
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(target())
        except BaseException as exc:
            results.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


# --- 1. a slow partner never gets a second /create -----------------------------------------------------------
@pytest.mark.parametrize("create_attempts", [1, 3])
def test_a_create_answered_after_our_timeout_makes_one_partner_order_over_repeated_tries(
    fake_partner: FakePartner, service_user: Any, settings, create_attempts: int
) -> None:
    # given: the partner takes 1 s to create an order (find-orders shows nothing meanwhile); we wait 0.5 s
    settings.PARTNERAPI_HTTP_RETRIES_COUNT_ORDER = create_attempts
    fake_partner.work_slowly("/create", 1.0)
    # when: the caller tries again and again, as a client seeing partner_error does
    answers = []
    give_up = time.monotonic() + 8
    while time.monotonic() < give_up:
        body, _ = _place(service_user)
        answers.append(body)
        if body["result"] == "success":
            break
        time.sleep(0.15)
    # then: the first answers are partner_error, the last one the partner's single order
    assert answers[0] == {"result": "error", "data": PARTNER_ERROR}
    assert answers[-1]["result"] == "success"
    assert answers[-1]["data"]["their_order_id"] == "5001"
    assert fake_partner.orders_for(10) == ["5001"]
    assert fake_partner.calls("/create") == 1
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.placement, order.their_order_id, order.lease_until) == (Placement.PLACED, "5001", None)
    assert OutboxEvent.objects.filter(order=order, event_type="created").count() == 1
    assert len(answers) >= 2


def test_an_unknown_outcome_is_recorded_and_a_retry_asks_find_orders_first(
    fake_partner: FakePartner, service_user: Any
) -> None:
    fake_partner.work_slowly("/create", 1.0)
    body, elapsed = _place(service_user)
    assert body == {"result": "error", "data": PARTNER_ERROR}
    assert elapsed < 0.5 + MARGIN + 0.3  # the /create timeout, not the partner's second
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.placement, order.their_order_id) == (Placement.UNKNOWN, None)
    assert order.create_sent_at is not None
    assert order.last_error.startswith("outcome unknown")
    # an immediate retry, before the partner is done: find-orders only, no second /create
    again, _ = _place(service_user)
    assert again == {"result": "error", "data": PARTNER_ERROR}
    assert (fake_partner.calls("/find-orders"), fake_partner.calls("/create")) == (2, 1)
    # and v1 says the same in its own words
    v1_body = {
        "OrderId": 10,
        "TheirPharmacyId": "1086",
        "Client": {"FIO": "Test", "Phone": "79997772211"},
        "Items": [{"TheirId": "58", "Price": 10, "Count": 10}],
    }
    v1 = client_for(service_user).post("/v1/SendOrder", v1_body, format="json")
    assert (v1.status_code, v1.json()) == (
        200,
        {
            "Result": "transient_error",
            "Message": "The partner has not confirmed the order yet; send it again later, it will not be placed twice.",
        },
    )
    assert fake_partner.calls("/create") == 1


def test_extra_partner_orders_for_one_order_id_are_cancelled_and_recorded(
    fake_partner: FakePartner, service_user: Any
) -> None:
    # given: the partner holds two orders for our order 10 (an earlier /create went through twice)
    for their_id in ("4243", "4242"):
        fake_partner.orders[their_id] = {"external_id": "10", "shop_id": "1086", "status": "created", "items": []}
    # when
    body, _ = _place(service_user)
    # then: the first one is ours, the extra one is cancelled at the partner and recorded
    assert body["data"]["their_order_id"] == "4242"
    assert fake_partner.orders["4243"]["status"] == "cancelled"
    assert fake_partner.orders["4242"]["status"] == "created"
    duplicate = PartnerDuplicateOrder.objects.get()
    assert (duplicate.order.order_id, duplicate.their_order_id, duplicate.attempts) == (10, "4243", 1)
    assert duplicate.cancelled_at is not None
    assert fake_partner.calls("/create") == 0


# --- 2. deadlines, and no transaction or lock held while the partner is asked -----------------------------------
@pytest.mark.parametrize("call", ["place", "status"])
def test_a_dripping_partner_is_cut_off_at_the_calls_total_deadline(
    fake_partner: FakePartner, partner_proxy: TcpProxy, service_user: Any, call: str
) -> None:
    # given: each answer arrives a byte every 0.05 s (~8 s for one answer; no single read ever times out)
    if call == "status":
        _place(service_user)
    partner_proxy.mode = Mode.DRIP
    # when
    client = client_for(service_user)
    started = time.monotonic()
    if call == "place":
        response = client.post("/v2/orders/", order_body(11), format="json")
    else:
        response = client.get("/v2/orders/10")
    elapsed = time.monotonic() - started
    # then: the call ends at its deadline, retries included, with the partner's error
    assert elapsed < DEADLINE + MARGIN, elapsed
    if call == "place":
        assert response.json() == {"result": "error", "data": PARTNER_ERROR}
    else:
        assert response.json() == {"result": "error", "message": "The partner is unavailable, try again later."}


@pytest.mark.parametrize("call", ["place", "cancel"])
def test_a_hanging_partner_holds_no_row_lock_or_transaction(
    fake_partner: FakePartner, partner_proxy: TcpProxy, service_user: Any, call: str
) -> None:
    # given: a partner that accepts connections and never answers
    if call == "cancel":
        _place(service_user)
    partner_proxy.mode = Mode.STALL
    accepted = partner_proxy.accepted
    client = client_for(service_user)
    if call == "place":
        thread, results = _in_thread(lambda: client.post("/v2/orders/", order_body(10), format="json"))
    else:
        body = {"order_id": 10, "their_order_id": "5001"}
        thread, results = _in_thread(lambda: client.delete("/v2/orders/", body, format="json"))
    # when: the call is waiting on the partner
    wait_until(lambda: partner_proxy.accepted > accepted and PartnerOrder.objects.filter(order_id=10).exists())
    time.sleep(0.2)
    # then: the order's row can be locked at once, and nobody sits in an open transaction
    with transaction.atomic():
        locked = PartnerOrder.objects.select_for_update(nowait=True).get(order_id=10)
    assert locked.lease_until is not None  # the call holds the order's lease, not a lock
    assert _idle_in_transaction() == 0
    thread.join(10)
    [response] = results
    assert response.status_code == 200
    assert response.json()["result"] in ("error", "transient_error")
    assert PartnerOrder.objects.get(order_id=10).lease_until is None


# --- 3. publishing the outbox through a refusing or stalled broker -----------------------------------------
@pytest.fixture
def rabbit_queue(settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A unique exchange and an exclusive queue bound to it on the real broker; the publisher reaches the broker
    through a TcpProxy (yielded with the consuming channel)."""
    exchange = f"partnerapi.test.{uuid.uuid4().hex}"
    settings.PARTNERAPI_RABBITMQ_EXCHANGE = exchange
    settings.PARTNERAPI_RABBITMQ_TIMEOUT = 2
    parameters = pika.URLParameters(RABBITMQ_URL)
    consumer = pika.BlockingConnection(parameters)
    channel = consumer.channel()
    channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare(queue="", exclusive=True).method.queue
    channel.queue_bind(queue=queue, exchange=exchange, routing_key="partner.order.#")
    channel.test_queue = queue
    with TcpProxy((parameters.host, parameters.port)) as proxy:
        settings.PARTNERAPI_RABBITMQ_URL = f"amqp://guest:guest@{proxy.address}/%2F"
        yield proxy, channel
        proxy.mode = Mode.PASS
    channel.exchange_delete(exchange=exchange)
    consumer.close()


def test_events_written_while_the_broker_refuses_are_published_exactly_once_when_it_is_back(
    celery_worker: Any, fake_partner: FakePartner, service_user: Any, rabbit_queue: Any, settings
) -> None:
    proxy, channel = rabbit_queue
    settings.PARTNERAPI_RABBITMQ_RETRIES_COUNT = -1
    settings.PARTNERAPI_RABBITMQ_RETRIES_SLEEP = 0.3
    # given: the broker refuses the publisher; orders are placed and cancelled meanwhile
    proxy.mode = Mode.REFUSE
    for order_id in (10, 11, 12):
        assert _place(service_user, order_id)[0]["result"] == "success"
    cancel = {"order_id": 11, "their_order_id": "5002"}
    assert client_for(service_user).delete("/v2/orders/", cancel, format="json").json() == {"result": "success"}
    wait_until(lambda: OutboxEvent.objects.filter(attempts__gte=2).count() == 4)  # each publish failed, retried
    assert not OutboxEvent.objects.filter(sent_at__isnull=False).exists()
    # when: the broker is back
    proxy.mode = Mode.PASS
    wait_until(lambda: not OutboxEvent.objects.filter(sent_at__isnull=True).exists(), timeout=10)
    sweep_partner_outbox.delay(0)  # a sweep finds nothing left to send
    time.sleep(0.5)
    # then: every event once
    counts = Counter(properties.message_id for _, properties, _ in consume_all(channel))
    assert counts == Counter({str(event_id): 1 for event_id in OutboxEvent.objects.values_list("event_id", flat=True)})


def test_the_sweep_publishes_events_whose_enqueue_was_missed(celery_worker: Any, rabbit_queue: Any, settings) -> None:
    _proxy, channel = rabbit_queue
    events = OutboxEventFactory.create_batch(3)  # written without a publish task (as when the broker was down)
    sweep_partner_outbox.delay(0)
    wait_until(lambda: not OutboxEvent.objects.filter(sent_at__isnull=True).exists(), timeout=10)
    ids = [properties.message_id for _, properties, _ in consume_all(channel)]
    assert sorted(ids) == sorted(str(event.event_id) for event in events)


def test_publishing_holds_no_transaction_while_the_broker_stalls(rabbit_queue: Any, settings) -> None:
    proxy, channel = rabbit_queue
    event = OutboxEventFactory()
    # given: a broker that accepts the connection and then says nothing
    proxy.mode = Mode.STALL
    thread, results = _in_thread(lambda: publish_outbox_events.apply(args=[None]).get())
    wait_until(lambda: OutboxEvent.objects.filter(pk=event.pk, leased_until__isnull=False).exists())
    time.sleep(0.3)
    # then: while it waits on the broker, the event's row is free and no transaction is open
    assert _idle_in_transaction() == 0
    with transaction.atomic():
        OutboxEvent.objects.select_for_update(nowait=True).get(pk=event.pk)
    thread.join(10)
    assert results == [0]
    event.refresh_from_db()
    assert (event.sent_at, event.leased_until, event.attempts) == (None, None, 1)
    assert "AMQPConnectionError" in event.last_error or event.last_error
    # when the broker answers again, it is published once
    proxy.mode = Mode.PASS
    assert publish_outbox_events.apply(args=[None]).get() == 1
    assert [properties.message_id for _, properties, _ in consume_all(channel)] == [str(event.event_id)]


# --- 4. reconciliation ---------------------------------------------------------------------------------------
def test_an_order_whose_create_answer_was_lost_is_settled_by_the_reconciliation_task(
    fake_partner: FakePartner, partner_proxy: TcpProxy, service_user: Any, settings
) -> None:
    # given: the partner creates the order, and the connection is cut before its answer arrives
    settings.PARTNERAPI_HTTP_TIMEOUT_ORDER = 5
    settings.PARTNERAPI_HTTP_DEADLINE_ORDER = 5
    fake_partner.delay("/create", 2)
    thread, results = _in_thread(lambda: _place(service_user))
    wait_until(lambda: fake_partner.orders_for(10))
    partner_proxy.cut()
    thread.join(10)
    [(body, elapsed)] = results
    assert body == {"result": "error", "data": PARTNER_ERROR}
    assert elapsed < 2
    assert PartnerOrder.objects.get(order_id=10).placement == Placement.UNKNOWN
    # when: the reconciliation runs once the grace period has passed (nobody retried)
    settings.PARTNERAPI_RECONCILE_AFTER = 0
    summary = reconcile_partner_orders.delay().get()
    # then: placed with the partner's order, recorded and announced once
    assert summary == {"placed": 1, "not_created": 0, "failed": 0, "duplicates_cancelled": 0}
    order = PartnerOrder.objects.get(order_id=10)
    assert (order.placement, order.their_order_id, order.status_id) == (Placement.PLACED, "5001", 0)
    assert PartnerOrderStatusChange.objects.get(order=order).source == "reconcile"
    assert list(OutboxEvent.objects.filter(order=order).values_list("event_type", flat=True)) == ["created"]
    assert fake_partner.calls("/create") == 1
    # and the client's retry gets it without another call to the partner
    assert _place(service_user)[0]["data"]["their_order_id"] == "5001"
    assert fake_partner.calls("/create") == 1


@pytest.mark.parametrize("at_partner", [True, False])
def test_an_order_left_unknown_by_a_dead_worker_is_settled_by_find_orders(
    fake_partner: FakePartner, service_user: Any, settings, at_partner: bool
) -> None:
    # given: the intent was recorded and /create sent, then the process died: its lease ran out, no their_order_id
    sent = timezone.now() - timedelta(minutes=5)
    PartnerOrderFactory(
        order_id=20,
        their_order_id=None,
        status_id=None,
        their_status_id="",
        placement=Placement.UNKNOWN,
        create_sent_at=sent,
        lease_until=sent + timedelta(seconds=30),
    )
    if at_partner:
        fake_partner.orders["7001"] = {"external_id": "20", "shop_id": "1086", "status": "created", "items": []}
    # when
    summary = reconcile_partner_orders.delay().get()
    # then
    order = PartnerOrder.objects.get(order_id=20)
    if at_partner:
        assert summary["placed"] == 1
        assert (order.placement, order.their_order_id) == (Placement.PLACED, "7001")
    else:
        assert summary["not_created"] == 1
        assert (order.placement, order.their_order_id) == (Placement.NEW, None)
        # the client's next request sends /create, once
        assert _place(service_user, 20)[0]["result"] == "success"
        assert fake_partner.orders_for(20) == ["5001"]
    assert fake_partner.calls("/create") == (0 if at_partner else 1)

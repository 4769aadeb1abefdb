"""The partner is faked over real HTTP on loopback: the `fake_partner` fixture (tests/conftest.py)."""

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pika
import pytest
from rest_framework.test import APIClient

from partner.conf import DEFAULT_RABBITMQ_URL
from tests.partner.factories import partner_service_user
from tests.support.auth import client_for

RABBITMQ_URL = DEFAULT_RABBITMQ_URL


@pytest.fixture
def service_client(db) -> APIClient:  # type: ignore[no-untyped-def]
    return client_for(partner_service_user())


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def order_body(order_id: int = 10, **overrides: Any) -> dict[str, Any]:
    body = {
        "order_id": order_id,
        "date": "2024-06-20T03:14:44.615Z",
        "client": {"name": "Test", "phone": "79997772211", "email": "example@example.com"},
        "their_pharmacy_id": "1086",
        "order_type": 2,
        "items": [{"their_id": "58", "price": 10, "count": 10}, {"their_id": "21737", "price": 10, "count": 12}],
        "comment": "",
        "extra": {},
    }
    body.update(overrides)
    return body


def place(client: APIClient, order_id: int = 10, **overrides: Any) -> dict[str, Any]:
    response = client.post("/v2/orders/", order_body(order_id, **overrides), format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def rabbit(settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """A unique exchange per test and an exclusive queue bound to it on the real broker; yields the channel."""
    exchange = f"partnerapi.test.{uuid.uuid4().hex}"
    settings.PARTNERAPI_RABBITMQ_URL = RABBITMQ_URL
    settings.PARTNERAPI_RABBITMQ_EXCHANGE = exchange
    settings.PARTNERAPI_RABBITMQ_TIMEOUT = 2
    settings.PARTNERAPI_RABBITMQ_RETRIES_COUNT = 0
    settings.PARTNERAPI_RABBITMQ_RETRIES_SLEEP = 0
    connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
    channel = connection.channel()
    channel.exchange_declare(exchange=exchange, exchange_type="topic", durable=True)
    queue = channel.queue_declare(queue="", exclusive=True).method.queue
    channel.queue_bind(queue=queue, exchange=exchange, routing_key="partner.order.#")
    channel.test_queue = queue
    yield channel
    channel.exchange_delete(exchange=exchange)
    connection.close()


def consume_all(channel: Any) -> list[tuple[Any, Any, bytes]]:
    messages = []
    while True:
        method, properties, body = channel.basic_get(queue=channel.test_queue, auto_ack=True)
        if method is None:
            return messages
        messages.append((method, properties, body))

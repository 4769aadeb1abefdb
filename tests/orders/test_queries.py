"""The organization order lists answer the bytes DRF's own path does (the selector, the view's filter backends and
paginator, OrderOutputSerializer, DRF's JSONRenderer) on the same data: fixed SQL without filters
(orders/queries.py), the ORM with them, a bare array streamed batch by batch when it is longer than one."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory, force_authenticate

from orders.api import views
from orders.models import Order
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db


class DrfOrderListView(views.OrderListView):
    renderer_classes = [JSONRenderer]  # not the fast renderer: the view takes DRF's path


class DrfOrderCreatorListView(views.OrderCreatorListView):
    renderer_classes = [JSONRenderer]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """An organization with JSON contacts, people with and without avatars, several services, and orders with
    distinct times (microseconds), creators and executors; one order of another organization."""
    owner = UserFactory(avatar="avatars/owner é.png", patronymic="Ivanovich", phone=None, address="Main st. 1")
    organization = OrganizationFactory(
        creator=owner,
        numbers={"main": "+7 999 000-00-00", "extra": ["1", "2"], "rate": 1.5},
        links={"site": "https://example.com/ü", "empty": {}},
        description="line\u2028separator",
    )
    manager = MembershipFactory(organization=organization, role=role("manager")).user
    worker = MembershipFactory(organization=organization, role=role("manager")).user
    worker.avatar = "avatars/w.png"
    worker.save()
    services = [ServiceFactory(organization=organization, phone=f"+7{n}") for n in range(3)]
    clients = [ClientFactory(organization=organization) for _ in range(2)]
    now = timezone.now()
    orders = []
    for n in range(7):
        creator = owner if n % 3 else manager
        executor = [owner, manager, worker][n % 3]
        order = OrderFactory(
            organization=organization,
            creator=creator,
            executor=executor,
            service=services[n % 3],
            client=clients[n % 2],
            description=f"Order {n} {'roof' if n == 4 else 'wall'} «é»",
            done=n % 2 == 0,
        )
        Order.objects.filter(pk=order.pk).update(created_at=now - timedelta(hours=n, microseconds=7 * n))
        orders.append(order)
    OrderFactory()  # another organization's
    return {"organization": organization, "owner": owner, "manager": manager, "orders": orders}


def _body(response: HttpResponseBase) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]


def _drf(view_class: type, user: Any, path: str, params: dict[str, Any], organization_id: int) -> HttpResponseBase:
    request = APIRequestFactory().get(path, params)
    force_authenticate(request, user=user)
    response = view_class.as_view()(request, organization_id=organization_id)
    response.render()
    return response


CASES = [
    {},
    {"page": 1},
    {"page": 2, "page_size": 3},
    {"page": 3, "page_size": 3},
    {"page": 9},
    {"page_size": 3},
    {"done": "true"},
    {"done": "false", "page": 1, "page_size": 2},
    {"search": "roof"},
    {"search": "«é»"},
    {"ordering": "order_code"},
    {"ordering": "-done", "page": 2, "page_size": 2},
    {"ordering": "updated_at"},
    {"created_after": "2000-01-01T00:00:00Z", "ordering": "-created_at"},
]


@pytest.mark.parametrize("batch", [500, 2])
@pytest.mark.parametrize("params", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("who", ["owner", "manager"])
@pytest.mark.parametrize(
    ("path", "drf_view"), [("order-l", DrfOrderListView), ("order-creator-l", DrfOrderCreatorListView)]
)
def test_lists_answer_drfs_bytes(world, monkeypatch, batch, params, who, path, drf_view) -> None:  # type: ignore[no-untyped-def]
    # given the lists streamed `batch` rows at a time
    monkeypatch.setattr(views, "STREAM_BATCH", batch)
    user, organization_id = world[who], world["organization"].pk
    url = f"/orders/{path}/{organization_id}/"
    api = client_for(user)

    # when the endpoint and DRF's path answer the same request
    response = api.get(url, params)
    expected = _drf(drf_view, user, url, params, organization_id)

    # then they answer the same status, type and bytes
    assert (response.status_code, response["Content-Type"]) == (expected.status_code, expected["Content-Type"])
    assert _body(response) == expected.content
    # and a bare array longer than one batch is streamed
    longer = "page" not in params and len(expected.data) > batch
    assert response.streaming == longer


def test_a_streamed_list_reads_in_one_statement(world, monkeypatch, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "STREAM_BATCH", 2)
    api = client_for(world["owner"])
    url = f"/orders/order-l/{world['organization'].pk}/"
    for params in ({}, {"done": "false"}):
        # session+user, rights, orders (one server-side cursor, fetched a batch at a time)
        with django_assert_num_queries(3) as captured:
            response = api.get(url, params)
            rows = len(json.loads(_body(response)))
        assert response.streaming
        fixed_sql = "FROM orders_order o " in captured.captured_queries[-1]["sql"]
        assert fixed_sql == (not params)  # a filtered list is the ORM's
        assert rows == (7 if not params else 3)


def test_the_browsable_api_and_indented_json_take_drfs_path(world) -> None:  # type: ignore[no-untyped-def]
    api = client_for(world["owner"])
    url = f"/orders/order-l/{world['organization'].pk}/"
    indented = api.get(url, HTTP_ACCEPT="application/json; indent=2")
    assert indented.status_code == 200
    assert indented.content.startswith(b"[\n  {")
    assert api.get(url, HTTP_ACCEPT="text/html").status_code == 200

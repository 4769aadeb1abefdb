"""Every request/response pair of document 001, in the document's order."""

import pytest
from rest_framework.test import APIClient

from orders.models import Order
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db

NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
REQUIRED = ["This field is required."]

USER_KEYS = {
    "id",
    "surname",
    "name",
    "patronymic",
    "address",
    "email",
    "phone",
    "image",
    "confirmed_email",
    "confirmed_phone",
    "created_at",
    "updated_at",
}
ORGANIZATION_KEYS = {"id", "name", "description", "address", "creator", "created_at", "numbers", "links", "updated_at"}
SERVICE_KEYS = {"id", "name", "address", "phone", "organization", "created_at", "updated_at"}
ORDER_KEYS = {
    "id",
    "order_code",
    "description",
    "creator",
    "executor",
    "organization",
    "client",
    "done",
    "service",
    "created_at",
    "updated_at",
}


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """Organization2 of document 001: creator "a" (unconfirmed), member user3 who creates orders."""
    creator = UserFactory(
        username="a", first_name="a", last_name="a", patronymic="a", address="a", email="a@gmail.com", phone=None
    )
    creator.confirmed_email = False
    creator.save(update_fields=["confirmed_email"])
    organization = OrganizationFactory(
        name="Organization2",
        description="Organization2",
        address="Organization2",
        creator=creator,
        numbers={"main": "+79999999999"},
        links={"vk": "vk.com"},
    )
    user3 = UserFactory(
        username="user3",
        first_name="user3",
        last_name="user3",
        patronymic="user3",
        address="user3address",
        email="user3@gmail.com",
        phone="+79137779135",
    )
    MembershipFactory(organization=organization, user=user3, role=role("owner"))
    executor2 = MembershipFactory(organization=organization, role=role("employee")).user
    service = ServiceFactory(
        organization=organization, name="Programming", address="Gdeto v rossii", phone="+79518472961"
    )
    client = ClientFactory(organization=organization)
    api = client_for(user3)
    return {
        "api": api,
        "organization": organization,
        "creator": creator,
        "user3": user3,
        "executor2": executor2,
        "service": service,
        "client": client,
    }


def _assert_user(body: dict, user) -> None:  # type: ignore[no-untyped-def]
    assert set(body) == USER_KEYS
    assert body["id"] == user.pk
    assert body["surname"] == user.last_name
    assert body["name"] == user.first_name
    assert body["patronymic"] == user.patronymic
    assert body["address"] == user.address
    assert body["email"] == user.email
    assert body["phone"] == user.phone
    assert body["confirmed_email"] is user.confirmed_email
    assert body["confirmed_phone"] is False
    # an absolute URL of the default avatar, not the document's broken `host/...` path
    assert body["image"].startswith("http://testserver/static/")
    assert body["image"].endswith("default-user-image.svg")
    assert body["created_at"].endswith("Z")


def _assert_organization(body: dict, world: dict) -> None:
    assert set(body) == ORGANIZATION_KEYS
    assert body["id"] == world["organization"].pk
    assert body["name"] == body["description"] == body["address"] == "Organization2"
    assert body["numbers"] == {"main": "+79999999999"}
    assert body["links"] == {"vk": "vk.com"}
    _assert_user(body["creator"], world["creator"])


def _assert_order(body: dict, world: dict, order: Order) -> None:
    assert set(body) == ORDER_KEYS
    assert body["id"] == order.pk
    assert body["order_code"] == order.order_code
    assert isinstance(body["order_code"], int)
    assert len(str(body["order_code"])) == 15
    assert body["description"] == order.description
    _assert_user(body["creator"], world["user3"])
    _assert_user(body["executor"], world["user3"])
    _assert_organization(body["organization"], world)
    assert body["client"] == world["client"].pk
    assert body["done"] is False
    assert set(body["service"]) == SERVICE_KEYS
    assert body["service"]["id"] == world["service"].pk
    assert body["service"]["name"] == "Programming"
    assert body["service"]["address"] == "Gdeto v rossii"
    assert body["service"]["phone"] == "+79518472961"
    _assert_organization(body["service"]["organization"], world)


def _order(world: dict, **extra) -> Order:  # type: ignore[no-untyped-def]
    fields = {
        "organization": world["organization"],
        "creator": world["user3"],
        "executor": world["user3"],
        "service": world["service"],
        "client": world["client"],
        **extra,
    }
    return OrderFactory(**fields)


def test_token_errors(world: dict) -> None:
    response = APIClient().get(f"/orders/order-l/{world['organization'].pk}/")
    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS


def test_post_order_c(world: dict) -> None:
    api, organization = world["api"], world["organization"]

    # Empty request data
    response = api.post("/orders/order-c/", {})
    assert response.status_code == 403
    assert response.json() == FORBIDDEN

    # Only the organization
    response = api.post("/orders/order-c/", {"organization": organization.pk})
    assert response.status_code == 400
    assert response.json() == {
        "description": REQUIRED,
        "creator": REQUIRED,
        "executor": REQUIRED,
        "client": REQUIRED,
        "service": REQUIRED,
    }

    # The correct request
    body = {
        "description": "New order",
        "organization": organization.pk,
        "creator": world["user3"].pk,
        "executor": world["user3"].pk,
        "client": world["client"].pk,
        "service": world["service"].pk,
    }
    response = api.post("/orders/order-c/", body)
    assert response.status_code == 201, response.content
    data = response.json()
    order = Order.objects.get()
    assert data == {
        "id": order.pk,
        "order_code": order.order_code,
        "description": "New order",
        "creator": world["user3"].pk,
        "executor": world["user3"].pk,
        "client": world["client"].pk,
        "service": world["service"].pk,
        "organization": organization.pk,
    }
    assert 10**14 <= order.order_code < 10**15
    assert order.done is False


def test_get_order_l(world: dict) -> None:
    order = _order(world, description="New order")
    response = world["api"].get(f"/orders/order-l/{world['organization'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == 1
    _assert_order(body[0], world, order)


def test_get_order_creator_l(world: dict) -> None:
    order = _order(world, description="New order")
    # someone else's order in the same organization is not listed
    OrderFactory(organization=world["organization"], service=world["service"], client=world["client"])
    response = world["api"].get(f"/orders/order-creator-l/{world['organization'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [row["id"] for row in body] == [order.pk]
    _assert_order(body[0], world, order)


def test_get_order_r(world: dict) -> None:
    order = _order(world, description="Description")
    response = world["api"].get(f"/orders/order-r/{order.pk}/")
    assert response.status_code == 200
    _assert_order(response.json(), world, order)

    # the original client's path with the organization
    response = world["api"].get(f"/orders/order-r/{order.pk}/{world['organization'].pk}/")
    assert response.status_code == 200
    _assert_order(response.json(), world, order)


def test_put_order_ud(world: dict) -> None:
    api, organization = world["api"], world["organization"]
    order = _order(world)

    response = api.put(f"/orders/order-ud/{order.pk}/", {})
    assert response.status_code == 403
    assert response.json() == FORBIDDEN

    response = api.put(f"/orders/order-ud/{order.pk}/", {"organization": organization.pk})
    assert response.status_code == 400
    assert response.json() == {"description": REQUIRED, "executor": REQUIRED}

    executor2 = world["executor2"]
    response = api.put(
        f"/orders/order-ud/{order.pk}/",
        {"description": "Changed descr", "executor": executor2.pk, "organization": organization.pk},
    )
    assert response.status_code == 200
    assert response.json() == {"description": "Changed descr", "executor": executor2.pk}
    order.refresh_from_db()
    assert (order.description, order.executor_id) == ("Changed descr", executor2.pk)


def test_patch_order_ud(world: dict) -> None:
    api, organization = world["api"], world["organization"]
    executor2 = world["executor2"]
    order = _order(world, description="Changed descr", executor=executor2)

    response = api.patch(f"/orders/order-ud/{order.pk}/", {})
    assert response.status_code == 403
    assert response.json() == FORBIDDEN

    response = api.patch(f"/orders/order-ud/{order.pk}/", {"organization": organization.pk})
    assert response.status_code == 200
    assert response.json() == {"description": "Changed descr", "executor": executor2.pk}

    response = api.patch(
        f"/orders/order-ud/{order.pk}/",
        {"description": "Description", "executor": world["user3"].pk, "organization": organization.pk},
    )
    assert response.status_code == 200
    assert response.json() == {"description": "Description", "executor": world["user3"].pk}
    order.refresh_from_db()
    assert (order.description, order.executor_id) == ("Description", world["user3"].pk)


def test_delete_order_ud(world: dict) -> None:
    api, organization = world["api"], world["organization"]
    order = _order(world)

    response = api.delete(f"/orders/order-ud/{order.pk}/", {})
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert Order.objects.filter(pk=order.pk).exists()

    response = api.delete(f"/orders/order-ud/{order.pk}/", {"organization": organization.pk})
    assert response.status_code == 204
    assert response.content == b""
    assert not Order.objects.filter(pk=order.pk).exists()

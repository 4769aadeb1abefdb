"""The order services keep the organization's rules whoever calls them (API, admin, tasks)."""

import pytest

from orders.errors import OrderErrorCode
from orders.models import Order
from orders.services import OrderRulesError, order_create, order_update
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():  # type: ignore[no-untyped-def]
    return OrganizationFactory()


def _fields(organization, **overrides):  # type: ignore[no-untyped-def]
    return {
        "organization_id": organization.pk,
        "creator": organization.creator,
        "executor": organization.creator,
        "client": ClientFactory(organization=organization),
        "service": ServiceFactory(organization=organization),
        "description": "An order",
        **overrides,
    }


def test_create_refuses_an_outsider_and_another_organizations_objects(organization) -> None:  # type: ignore[no-untyped-def]
    # given an outsider and another organization's client and service
    other = OrganizationFactory()
    outsider = UserFactory()
    client, service = ClientFactory(organization=other), ServiceFactory(organization=other)

    # when an order names them
    with pytest.raises(OrderRulesError) as refused:
        order_create(**_fields(organization, executor=outsider, client=client, service=service))

    # then every broken rule is named, in the order of the input, worded as the API words it
    assert refused.value.status == 400
    assert refused.value.code == OrderErrorCode.EXECUTOR_NOT_MEMBER
    assert refused.value.fields == {
        "executor": [f"User {outsider.pk} is not a member of the organization."],
        "client": [f"Client {client.pk} does not belong to the organization."],
        "service": [f"Service {service.pk} does not belong to the organization."],
    }
    assert not Order.objects.exists()


def test_create_accepts_a_member_and_the_organizations_creator_as_executor(organization) -> None:  # type: ignore[no-untyped-def]
    member = MembershipFactory(organization=organization).user

    assert order_create(**_fields(organization, executor=member)).executor_id == member.pk
    assert order_create(**_fields(organization)).executor_id == organization.creator_id


def test_create_in_someone_elses_name_is_refused_for_a_requester(organization) -> None:  # type: ignore[no-untyped-def]
    member = MembershipFactory(organization=organization).user

    with pytest.raises(OrderRulesError) as refused:
        order_create(**_fields(organization, creator=member), requested_by=organization.creator)

    assert refused.value.code == OrderErrorCode.CREATOR_NOT_REQUESTER
    assert refused.value.fields == {"creator": ["The creator must be the requester."]}
    # without a requester (admin, tasks, demo data) the creator is whoever the caller names
    assert order_create(**_fields(organization, creator=member)).creator_id == member.pk


def test_update_refuses_an_executor_outside_the_orders_organization() -> None:
    order = OrderFactory()
    outsider = MembershipFactory().user  # a member of another organization

    with pytest.raises(OrderRulesError) as refused:
        order_update(order_id=order.pk, executor=outsider, description="changed")

    assert refused.value.fields == {"executor": [f"User {outsider.pk} is not a member of the organization."]}
    order.refresh_from_db()
    assert (order.executor_id, order.description) != (outsider.pk, "changed")


def test_update_changes_only_what_is_given() -> None:
    order = OrderFactory()
    member = MembershipFactory(organization=order.organization).user

    order_update(order_id=order.pk, executor=member)
    order_update(order_id=order.pk, done=True)

    order.refresh_from_db()
    assert (order.executor_id, order.done, order.description.startswith("Order")) == (member.pk, True, True)

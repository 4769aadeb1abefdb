"""Organization orders beyond the document's examples: validation, isolation, filters, query counts,
order codes and concurrency."""

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import NotFoundError
from orders.models import Order
from orders.services import ORDER_CODE_ATTEMPTS, OrderCodeUnavailableError, order_create, order_update
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.reviews.factories import MarketplaceOrderFactory
from tests.support.auth import client_for
from tests.support.threads import run_at_once

pytestmark = pytest.mark.django_db

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    organization = OrganizationFactory()
    api = client_for(organization.creator)
    return {
        "organization": organization,
        "owner": organization.creator,
        "api": api,
        "service": ServiceFactory(organization=organization),
        "client": ClientFactory(organization=organization),
    }


def _body(org: dict, **overrides) -> dict:  # type: ignore[no-untyped-def]
    return {
        "organization": org["organization"].pk,
        "description": "New order",
        "creator": org["owner"].pk,
        "executor": org["owner"].pk,
        "client": org["client"].pk,
        "service": org["service"].pk,
        **overrides,
    }


# --- create: validation ---------------------------------------------------------------


def test_create_refuses_objects_of_another_organization(org: dict) -> None:
    other = OrganizationFactory()
    outsider = UserFactory()
    response = org["api"].post(
        "/orders/order-c/",
        _body(
            org,
            executor=outsider.pk,
            service=ServiceFactory(organization=other).pk,
            client=ClientFactory(organization=other).pk,
        ),
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"executor", "service", "client"}
    assert body["executor"] == [f"User {outsider.pk} is not a member of the organization."]
    assert "does not belong to the organization" in body["service"][0]
    assert "does not belong to the organization" in body["client"][0]
    assert not Order.objects.exists()


def test_create_creator_must_be_the_requester(org: dict) -> None:
    member = MembershipFactory(organization=org["organization"]).user
    response = org["api"].post("/orders/order-c/", _body(org, creator=member.pk, executor=member.pk))
    assert response.status_code == 400
    assert response.json() == {"creator": ["The creator must be the requester."]}


def test_create_executor_may_be_any_member(org: dict) -> None:
    member = MembershipFactory(organization=org["organization"]).user
    response = org["api"].post("/orders/order-c/", _body(org, executor=member.pk))
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    assert (order.creator_id, order.executor_id, order.organization_id) == (
        org["owner"].pk,
        member.pk,
        org["organization"].pk,
    )


@pytest.mark.parametrize("organization", ["abc", None, True, 0, -1, 10**30, [1], {"id": 1}])
def test_create_with_a_bad_organization_is_403(org: dict, organization: object) -> None:
    response = org["api"].post("/orders/order-c/", _body(org, organization=organization))
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


def test_create_in_an_organization_i_do_not_belong_to_is_403(org: dict) -> None:
    other = OrganizationFactory()
    response = org["api"].post(
        "/orders/order-c/",
        _body(
            org,
            organization=other.pk,
            service=ServiceFactory(organization=other).pk,
            client=ClientFactory(organization=other).pk,
        ),
    )
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_non_object_bodies_are_refused_not_crashing(org: dict) -> None:
    order = OrderFactory(organization=org["organization"])
    assert org["api"].post("/orders/order-c/", [1, 2], format="json").status_code == 403
    assert org["api"].patch(f"/orders/order-ud/{order.pk}/", [1], format="json").status_code == 403
    response = org["api"].generic("POST", "/orders/order-c/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_bad_field_types_are_400(org: dict) -> None:
    response = org["api"].post(
        "/orders/order-c/", _body(org, executor="x", service=10**30, client=None, description="")
    )
    assert response.status_code == 400
    assert set(response.json()) == {"executor", "service", "client", "description"}


# --- update and delete ----------------------------------------------------------------


def test_patch_sets_done_and_put_checks_the_executor(org: dict) -> None:
    order = OrderFactory(organization=org["organization"], service=org["service"], client=org["client"])
    url = f"/orders/order-ud/{order.pk}/"
    response = org["api"].patch(url, {"organization": org["organization"].pk, "done": True})
    assert response.status_code == 200
    assert response.json() == {"description": order.description, "executor": order.executor_id}
    order.refresh_from_db()
    assert order.done is True

    outsider = UserFactory()
    response = org["api"].put(
        url, {"organization": org["organization"].pk, "description": "x", "executor": outsider.pk}
    )
    assert response.status_code == 400
    assert response.json() == {"executor": [f"User {outsider.pk} is not a member of the organization."]}


def test_delete_accepts_the_organization_in_the_query_string(org: dict) -> None:
    order = OrderFactory(organization=org["organization"])
    response = org["api"].delete(f"/orders/order-ud/{order.pk}/?organization={org['organization'].pk}")
    assert response.status_code == 204
    assert not Order.objects.filter(pk=order.pk).exists()


def test_no_one_touches_another_organizations_order(org: dict) -> None:
    # given an order of another organization, and my own organization where I hold every right
    foreign = OrderFactory()
    mine = org["organization"].pk

    # then it is neither shown nor changed through my organization
    assert org["api"].get(f"/orders/order-r/{foreign.pk}/").status_code == 403
    assert org["api"].get(f"/orders/order-r/{foreign.pk}/{mine}/").status_code == 404
    url = f"/orders/order-ud/{foreign.pk}/"
    body = {"organization": mine, "description": "hijacked", "executor": org["owner"].pk}
    assert org["api"].put(url, body).status_code == 404
    assert org["api"].patch(url, body).status_code == 404
    assert org["api"].delete(url, {"organization": mine}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.description != "hijacked"
    # and it never appears in my lists
    assert org["api"].get(f"/orders/order-l/{mine}/").json() == []
    assert org["api"].get(f"/orders/order-l/{foreign.organization_id}/").status_code == 403


def test_unknown_and_marketplace_orders_are_404(org: dict) -> None:
    marketplace = MarketplaceOrderFactory(creator=org["owner"])  # a marketplace order: not served under /orders/
    assert not Order.objects.filter(pk=marketplace.pk).exists()
    assert org["api"].get(f"/orders/order-r/{marketplace.pk}/").status_code == 404
    assert org["api"].get("/orders/order-r/999999/").status_code == 404
    response = org["api"].patch(
        f"/orders/order-ud/{marketplace.pk}/", {"organization": org["organization"].pk, "done": True}
    )
    assert response.status_code == 404


# --- lists: filters, search, ordering, pagination, query counts -------------------------


def _orders(org: dict, count: int) -> list[Order]:
    """Orders with distinct creators, executors, services and clients: any per-row query would show."""
    orders = []
    for _ in range(count):
        member = MembershipFactory(organization=org["organization"], role=role("manager")).user
        orders.append(
            OrderFactory(
                organization=org["organization"],
                creator=org["owner"],
                executor=member,
                service=ServiceFactory(organization=org["organization"]),
                client=ClientFactory(organization=org["organization"]),
            )
        )
    return orders


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize("path", ["order-l", "order-creator-l"])
def test_list_query_count_is_flat(org: dict, django_assert_num_queries, path: str, count: int) -> None:  # type: ignore[no-untyped-def]
    _orders(org, count)
    url = f"/orders/{path}/{org['organization'].pk}/"
    # session+user, rights, orders
    with django_assert_num_queries(3):
        response = org["api"].get(url)
    assert response.status_code == 200
    assert len(response.json()) == count
    # paginated: one more for the count
    with django_assert_num_queries(4):
        response = org["api"].get(url, {"page": 1, "page_size": 100})
    assert response.json()["count"] == count


@pytest.mark.parametrize("ordering", ["done", "-done"])
def test_pages_ordered_by_a_column_with_ties_show_every_order_once(org: dict, ordering: str) -> None:
    created = [OrderFactory(organization=org["organization"], creator=org["owner"]) for _ in range(25)]
    Order.objects.filter(pk__in=[o.pk for o in created[::3]]).update(done=True)
    url = f"/orders/order-l/{org['organization'].pk}/"

    seen = []
    for page in (1, 2, 3):
        seen += [
            row["id"]
            for row in org["api"].get(url, {"ordering": ordering, "page": page, "page_size": 10}).json()["results"]
        ]

    assert sorted(seen) == sorted(o.pk for o in created)  # the primary key breaks the ties, page after page
    done_first = ordering == "-done"
    assert [row_done for row_done in Order.objects.filter(pk__in=seen[:9]).values_list("done", flat=True)] == [
        done_first
    ] * 9


def test_list_pagination_envelope(org: dict) -> None:
    _orders(org, 3)
    url = f"/orders/order-l/{org['organization'].pk}/"
    body = org["api"].get(url, {"page": 1, "page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].startswith("http://testserver/orders/order-l/")
    assert org["api"].get(url, {"page": 9}).status_code == 404


def test_list_filters_search_and_ordering(org: dict) -> None:
    first, second, third = _orders(org, 3)
    Order.objects.filter(pk=second.pk).update(done=True, description="Repair the roof")
    Order.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=10))
    url = f"/orders/order-l/{org['organization'].pk}/"

    def ids(**params: object) -> list[int]:
        response = org["api"].get(url, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()]

    assert ids() == [third.pk, second.pk, first.pk]
    assert ids(done="true") == [second.pk]
    assert ids(done="false") == [third.pk, first.pk]
    assert ids(service=first.service_id) == [first.pk]
    assert ids(executor=third.executor_id) == [third.pk]
    assert ids(client=second.client_id) == [second.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(created_after=since) == [third.pk, second.pk]
    assert ids(created_before=since) == [first.pk]
    assert ids(search="roof") == [second.pk]
    assert ids(search=str(third.order_code)[3:12]) == [third.pk]
    assert ids(search="abc") == []
    assert ids(ordering="created_at") == [first.pk, second.pk, third.pk]
    expected_by_code = [o.pk for o in sorted([first, second, third], key=lambda o: o.order_code)]
    assert ids(ordering="order_code") == expected_by_code
    # bad filter values are a 400, not a crash
    response = org["api"].get(url, {"created_after": "yesterday", "executor": "me"})
    assert response.status_code == 400
    assert set(response.json()) == {"created_after", "executor"}


def test_creator_list_shows_only_my_orders(org: dict) -> None:
    member = MembershipFactory(organization=org["organization"], role=role("manager")).user
    mine = OrderFactory(organization=org["organization"], creator=member)
    OrderFactory(organization=org["organization"])  # the owner's
    api = client_for(member)
    body = api.get(f"/orders/order-creator-l/{org['organization'].pk}/").json()
    assert [row["id"] for row in body] == [mine.pk]


# --- order codes ----------------------------------------------------------------------


def test_order_code_collision_is_retried(org: dict) -> None:
    taken = OrderFactory(organization=org["organization"]).order_code
    codes = iter([taken, taken, 555555555555555])
    order = order_create(
        organization_id=org["organization"].pk,
        creator=org["owner"],
        executor=org["owner"],
        client=org["client"],
        service=org["service"],
        description="retry",
        generate_code=lambda: next(codes),
    )
    assert order.order_code == 555555555555555
    assert Order.objects.count() == 2


def test_order_code_gives_up_after_repeated_collisions(org: dict) -> None:
    taken = OrderFactory(organization=org["organization"]).order_code
    with pytest.raises(OrderCodeUnavailableError):
        order_create(
            organization_id=org["organization"].pk,
            creator=org["owner"],
            executor=org["owner"],
            client=org["client"],
            service=org["service"],
            description="never",
            generate_code=itertools.repeat(taken).__next__,
        )
    assert Order.objects.count() == 1
    assert ORDER_CODE_ATTEMPTS >= 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_codes() -> None:
    organization = OrganizationFactory()
    service = ServiceFactory(organization=organization)
    client = ClientFactory(organization=organization)
    members = [MembershipFactory(organization=organization, role=role("manager")).user for _ in range(8)]

    def create(member) -> Callable[[], int]:  # type: ignore[no-untyped-def]
        api = client_for(member)
        body = {
            "organization": organization.pk,
            "description": "race",
            "creator": member.pk,
            "executor": member.pk,
            "client": client.pk,
            "service": service.pk,
        }
        return lambda: api.post("/orders/order-c/", body).status_code

    statuses = run_at_once([create(member) for member in members])

    assert statuses == [201] * len(members)
    codes = list(Order.objects.values_list("order_code", flat=True))
    assert len(codes) == len(set(codes)) == len(members)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_keep_every_write_whole() -> None:
    organization = OrganizationFactory()
    order = OrderFactory(organization=organization)
    members = [MembershipFactory(organization=organization, role=role("manager")).user for _ in range(6)]

    def patch(member) -> Callable[[], int]:  # type: ignore[no-untyped-def]
        api = client_for(member)
        body = {"organization": organization.pk, "description": f"by {member.pk}", "executor": member.pk}
        return lambda: api.patch(f"/orders/order-ud/{order.pk}/", body).status_code

    statuses = run_at_once([patch(member) for member in members])

    assert statuses == [200] * len(members)
    order.refresh_from_db()
    # one writer won entirely: description and executor come from the same request
    assert order.description == f"by {order.executor_id}"


@pytest.mark.django_db
def test_an_order_deleted_after_the_view_found_it_is_a_404_for_the_update() -> None:
    order = OrderFactory()
    order_id = order.pk
    order.delete()

    with pytest.raises(NotFoundError) as refused:
        order_update(order_id=order_id, description="late")

    assert refused.value.message == "No Order matches the given query."

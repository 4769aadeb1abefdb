"""Query parameters are what the schema says. `?page_size` is a whole number of at least 1 (above 100 gives 100);
anything else is a 400 naming it, in the list's own error contract, never silently the default page. A typed filter
or page parameter is given once and not empty (common.query)."""

import pytest

from common.pagination import PAGE_SIZE_INVALID
from common.query import GIVE_ONCE, NOT_EMPTY
from tests.accounts.factories import UserFactory
from tests.organizations.factories import OrganizationFactory
from tests.reviews.factories import MarketplaceOrderFactory
from tests.support import openapi
from tests.support.auth import bearer

pytestmark = pytest.mark.django_db

#: a list a plain user reads, and the error contract of its 400
LISTS = {
    "/api/auth/sessions/": "product",
    "/api/notifications/": "product",
    "/api/organizations/": "product",
    "/api/webhooks/": "product",
    "/api_v2/order/": "document",
    "/api_v2/order/mine/": "document",
    "/api_v2/order_for_personal_area/": "document",
}
BAD = ["0", "-1", "null", "abc", "1.5", "٣"]


@pytest.fixture
def reader(api_client):  # type: ignore[no-untyped-def]
    user = UserFactory()
    MarketplaceOrderFactory.create_batch(3, creator=user)
    api_client.credentials(HTTP_AUTHORIZATION=bearer(user))
    return api_client


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("path", LISTS)
def test_a_page_size_that_is_not_a_whole_number_of_at_least_1_is_a_400_naming_it(reader, path, value) -> None:
    response = reader.get(path, {"page_size": value})

    assert response.status_code == 400, response.content
    body = response.json()
    errors = body["fields"] if LISTS[path] == "product" else body
    assert errors == {"page_size": [PAGE_SIZE_INVALID]}


def test_a_page_size_sets_the_rows_per_page_and_above_100_gives_100(reader) -> None:
    path = "/api_v2/order/mine/"
    one = reader.get(path, {"page_size": "1"}).json()
    many = reader.get(path, {"page_size": "1000"}).json()

    assert (one["count"], len(one["results"]), one["next"] is not None) == (3, 1, True)
    assert (many["count"], len(many["results"]), many["next"]) == (3, 3, None)


def test_a_bare_organization_order_list_checks_page_size_too(api_client) -> None:
    organization = OrganizationFactory()
    api_client.credentials(HTTP_AUTHORIZATION=bearer(organization.creator))

    response = api_client.get(f"/orders/order-l/{organization.pk}/", {"page_size": "0"})

    assert response.status_code == 400
    assert response.json() == {"page_size": [PAGE_SIZE_INVALID]}


def test_every_list_with_page_size_documents_the_400_and_the_minimum() -> None:
    lists = [
        (path, operation)
        for method, path, operation in openapi.operations()
        if method == "GET" and any(p["name"] == "page_size" for p in operation.get("parameters", []))
    ]

    assert len(lists) >= 15
    assert [path for path, operation in lists if "400" not in operation["responses"]] == []
    assert [
        (path, p["name"])
        for path, operation in lists
        for p in operation["parameters"]
        if p["name"] in ("page", "page_size") and p["schema"].get("minimum") != 1
    ] == []


@pytest.mark.parametrize(
    ("query", "name", "message"),
    [
        ("page=", "page", NOT_EMPTY),
        ("page=1&page=2", "page", GIVE_ONCE),
        ("page_size=", "page_size", NOT_EMPTY),
        ("page_size=5&page_size=5", "page_size", GIVE_ONCE),
        ("term_min=", "term_min", NOT_EMPTY),
        ("term=7&term=8", "term", GIVE_ONCE),
        ("search=a&search=b", "search", GIVE_ONCE),
    ],
)
def test_a_typed_parameter_is_given_once_and_not_empty(reader, query, name, message) -> None:
    response = reader.get(f"/api_v2/order/?{query}")

    assert response.status_code == 400, response.content
    assert response.json() == {name: [message]}


def test_free_text_may_be_empty(reader) -> None:
    assert reader.get("/api_v2/order/?search=").status_code == 200


@pytest.mark.parametrize("name", ["search", "ordering"])
def test_search_and_ordering_are_given_once(api_client, name) -> None:
    organization = OrganizationFactory()
    api_client.credentials(HTTP_AUTHORIZATION=bearer(organization.creator))

    response = api_client.get(f"/orders/order-l/{organization.pk}/?{name}=id&{name}=id")

    assert response.status_code == 400
    assert response.json() == {name: [GIVE_ONCE]}


@pytest.mark.parametrize(
    ("query", "name"),
    [("done=AAA", "done"), ("client=1.5", "client"), ("service=1e3", "service"), ("executor=%205", "executor")],
)
def test_organization_order_filters_take_their_schema_types(api_client, query, name) -> None:
    organization = OrganizationFactory()
    api_client.credentials(HTTP_AUTHORIZATION=bearer(organization.creator))

    response = api_client.get(f"/orders/order-l/{organization.pk}/?{query}")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [name]


def test_an_id_filter_past_any_row_matches_none(api_client) -> None:
    organization = OrganizationFactory()
    api_client.credentials(HTTP_AUTHORIZATION=bearer(organization.creator))

    response = api_client.get(f"/orders/order-l/{organization.pk}/?client=99999999999999999999999&done=true")

    assert response.status_code == 200, response.content
    assert response.json() == []


def test_search_refuses_nul_under_its_name_and_the_schema_says_so(api_client) -> None:
    organization = OrganizationFactory()
    api_client.credentials(HTTP_AUTHORIZATION=bearer(organization.creator))

    response = api_client.get(f"/orders/order-l/{organization.pk}/?search=a%00b")

    assert response.status_code == 400
    assert response.json() == {"search": ["Null characters are not allowed."]}
    searched = {
        path: parameter["schema"]
        for method, path, operation in openapi.operations()
        for parameter in operation.get("parameters", [])
        if method == "GET" and parameter["name"] == "search"
    }
    assert "/api/assignments/" not in searched  # no search_fields: nothing to document
    assert {schema.get("pattern") for schema in searched.values()} == {r"^[^\u0000]*$"}

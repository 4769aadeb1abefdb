"""Marketplace orders: publish, feed, my orders, open an order (first view creates the response), personal area."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reviews.models import MarketplaceOrder, OrderReview, OrderReviewStatusChange, ReviewStatus
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory, review_in_status
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db

FEED = "/api_v2/order/"
MINE = "/api_v2/order/mine/"
PERSONAL = "/api_v2/order_for_personal_area/"
REVIEW_KEYS = {"id", "status", "to_price", "to_deadline", "cancel_reason", "show"}


def detail(order_id: int) -> str:
    return f"/api_v2/order/{order_id}/"


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [row["id"] for row in response.json()["results"]]


# --- publish -------------------------------------------------------------------------------------


def test_customer_publishes_a_marketplace_order() -> None:
    customer = UserFactory()
    deadline = timezone.now() + timedelta(days=10)

    response = client_for(customer).post(
        FEED,
        {"name": "Landing", "description": "A page", "price": "1500.50", "term": 5, "deadline": deadline.isoformat()},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    order = MarketplaceOrder.objects.get(pk=body["id"])
    assert (order.creator, order.executor, order.done) == (customer, None, False)
    assert order.price == Decimal("1500.50")
    assert order.term == 5
    assert order.deadline == deadline
    assert body["price"] == 1500.5
    assert body["term"] == 5
    assert body["customer_score"] is None
    assert body["customer"]["id"] == customer.pk
    assert body["executor"] is None
    assert body["order_in_order_review"] == []
    assert len(str(body["order_code"])) == 15


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "x", "price": "10", "term": 3}, "name"),
        ({"name": "x", "price": "10", "term": 3}, "description"),
        ({"name": "x", "description": "x", "price": "-1", "term": 3}, "price"),
        ({"name": "x", "description": "x", "price": "abc", "term": 3}, "price"),
        ({"name": "x", "description": "x", "price": "10", "term": 0}, "term"),
        ({"name": "x", "description": "x", "price": "10"}, "term"),
        ({"name": "x", "description": "x", "price": "10", "term": 3, "deadline": "2000-01-01T00:00:00Z"}, "deadline"),
        ({"name": "x", "description": "x", "price": "10", "term": 3, "deadline": "tomorrow"}, "deadline"),
    ],
)
def test_publishing_validates_every_field(payload, field) -> None:  # type: ignore[no-untyped-def]
    response = client_for(UserFactory()).post(FEED, payload)

    assert response.status_code == 400
    assert field in response.json()
    assert not MarketplaceOrder.objects.exists()


def test_orders_need_a_confirmed_login(api_client) -> None:  # type: ignore[no-untyped-def]
    assert api_client.get(FEED).status_code == 401
    assert api_client.post(FEED, {}).status_code == 401
    unconfirmed = client_for(UserFactory(confirmed_email=False))
    assert unconfirmed.get(FEED).status_code == 403
    assert unconfirmed.get(detail(MarketplaceOrderFactory().pk)).status_code == 403
    assert not OrderReview.objects.exists()


# --- feed ----------------------------------------------------------------------------------------


def test_feed_shows_only_open_marketplace_orders_of_others_not_hidden_by_me() -> None:
    me = UserFactory()
    visible = MarketplaceOrderFactory()
    looked_at = OrderReviewFactory(executor=me, show=True).order
    MarketplaceOrderFactory(creator=me)  # mine
    MarketplaceOrderFactory(executor=UserFactory())  # taken
    MarketplaceOrderFactory(executor=UserFactory(), done=True)  # done
    OrderFactory()  # an organization's order (document 001) lives in its own table
    OrderReviewFactory(executor=me, show=False)  # hidden by me
    OrderReviewFactory(executor=me, status=ReviewStatus.REJECTED)  # declined by me

    response = client_for(me).get(FEED)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert ids(response) == [looked_at.pk, visible.pk]  # newest first
    row = body["results"][0]
    assert row["customer"]["id"] == looked_at.creator_id
    assert {"name", "description", "price", "term", "deadline", "customer_score", "done"} <= set(row)


def test_feed_filters_by_price_term_and_search() -> None:
    cheap_quick = MarketplaceOrderFactory(price=Decimal(100), term=2, name="Logo design", description="vector")
    mid = MarketplaceOrderFactory(price=Decimal(500), term=7, name="Landing page", description="one page site")
    pricey_slow = MarketplaceOrderFactory(price=Decimal(5000), term=30, name="Shop", description="a web shop")
    client = client_for(UserFactory())

    assert set(ids(client.get(FEED, {"price_min": 200}))) == {mid.pk, pricey_slow.pk}
    assert set(ids(client.get(FEED, {"price_max": 500}))) == {cheap_quick.pk, mid.pk}
    assert set(ids(client.get(FEED, {"price_min": 200, "price_max": 1000}))) == {mid.pk}
    assert set(ids(client.get(FEED, {"term": 7}))) == {mid.pk}
    assert set(ids(client.get(FEED, {"term_max": 7}))) == {cheap_quick.pk, mid.pk}
    assert set(ids(client.get(FEED, {"term_min": 7}))) == {mid.pk, pricey_slow.pk}
    assert set(ids(client.get(FEED, {"search": "PAGE"}))) == {mid.pk}
    assert set(ids(client.get(FEED, {"search": "web shop"}))) == {pricey_slow.pk}
    assert ids(client.get(FEED, {"search": "nothing-like-this"})) == []


@pytest.mark.parametrize("params", [{"price_min": "abc"}, {"term": "x"}, {"page_size": 0, "page": "last-ish"}])
def test_feed_rejects_bad_filters(params) -> None:  # type: ignore[no-untyped-def]
    MarketplaceOrderFactory()
    response = client_for(UserFactory()).get(FEED, params)
    assert response.status_code in (400, 404)
    assert response.status_code != 500


@pytest.mark.parametrize("rows", [1, 30])
def test_feed_query_count_is_constant(django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    me = UserFactory()
    for _ in range(rows):
        MarketplaceOrderFactory(executor=None)
        OrderReviewFactory(executor=me, show=True)
    client = client_for(me)

    with django_assert_num_queries(3):  # session+user, count, page (customer and executor joined)
        response = client.get(FEED, {"page_size": 100})

    assert response.json()["count"] == 2 * rows


# --- my orders (customer) ------------------------------------------------------------------------


def test_customer_lists_their_own_orders_with_filters() -> None:
    me = UserFactory()
    open_order = MarketplaceOrderFactory(creator=me)
    taken = MarketplaceOrderFactory(creator=me, executor=UserFactory())
    finished = MarketplaceOrderFactory(creator=me, executor=UserFactory(), done=True, customer_score=4)
    MarketplaceOrderFactory()  # someone else's
    client = client_for(me)

    assert set(ids(client.get(MINE))) == {open_order.pk, taken.pk, finished.pk}
    assert set(ids(client.get(MINE, {"done": "true"}))) == {finished.pk}
    assert set(ids(client.get(MINE, {"done": "false"}))) == {open_order.pk, taken.pk}
    assert set(ids(client.get(MINE, {"has_executor": "false"}))) == {open_order.pk}
    assert set(ids(client.get(MINE, {"has_executor": "true", "done": "false"}))) == {taken.pk}


@pytest.mark.parametrize("rows", [1, 30])
def test_my_orders_query_count_is_constant(django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    me = UserFactory()
    for _ in range(rows):
        MarketplaceOrderFactory(creator=me, executor=UserFactory())
    client = client_for(me)

    with django_assert_num_queries(3):
        response = client.get(MINE, {"page_size": 100})

    assert response.json()["count"] == rows


# --- open an order -------------------------------------------------------------------------------


def test_first_view_creates_a_looked_response_as_document_000_shows() -> None:
    executor = UserFactory()
    order = MarketplaceOrderFactory(term=5, customer_score=None)
    client = client_for(executor)

    response = client.get(detail(order.pk))

    assert response.status_code == 200
    body = response.json()
    review = OrderReview.objects.get(order=order, executor=executor)
    assert body["term"] == 5
    assert "customer_score" in body
    assert body["order_in_order_review"] == [
        {
            "id": review.pk,
            "status": "looked",
            "to_price": None,
            "to_deadline": None,
            "cancel_reason": None,
            "show": None,
        }
    ]
    history = OrderReviewStatusChange.objects.get(review=review)
    assert (history.actor, history.from_status, history.to_status) == (executor, None, "looked")

    again = client.get(detail(order.pk))
    assert again.json()["order_in_order_review"][0]["id"] == review.pk
    assert OrderReview.objects.count() == 1
    assert OrderReviewStatusChange.objects.count() == 1


@pytest.mark.parametrize("responses", [1, 30])
def test_opening_an_order_again_costs_three_queries_whatever_its_responses(  # type: ignore[no-untyped-def]
    django_assert_num_queries, responses
) -> None:
    order = MarketplaceOrderFactory(executor=None)
    OrderReviewFactory.create_batch(responses - 1, order=order)
    mine = OrderReviewFactory(order=order)
    client = client_for(mine.executor)

    with django_assert_num_queries(3):  # session+user, order with customer and executor, my response
        body = client.get(detail(order.pk)).json()

    assert [r["id"] for r in body["order_in_order_review"]] == [mine.pk]


def test_customer_sees_every_response_in_three_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    order = MarketplaceOrderFactory()
    OrderReviewFactory.create_batch(30, order=order)
    client = client_for(order.creator)

    with django_assert_num_queries(3):
        body = client.get(detail(order.pk)).json()

    assert len(body["order_in_order_review"]) == 30


def test_each_executor_sees_only_their_own_response() -> None:
    order = MarketplaceOrderFactory()
    other = OrderReviewFactory(order=order, status=ReviewStatus.RECONCILIATION, to_price=Decimal(900))
    me = UserFactory()

    body = client_for(me).get(detail(order.pk)).json()

    assert len(body["order_in_order_review"]) == 1
    mine = body["order_in_order_review"][0]
    assert mine["id"] != other.pk
    assert set(mine) == REVIEW_KEYS


def test_customer_view_creates_nothing_and_lists_every_response() -> None:
    order = MarketplaceOrderFactory()
    first = OrderReviewFactory(order=order, to_price=Decimal("900.00"))
    second = OrderReviewFactory(order=order, status=ReviewStatus.REJECTED, cancel_reason="Im_busy")

    response = client_for(order.creator).get(detail(order.pk))

    assert response.status_code == 200
    reviews = response.json()["order_in_order_review"]
    assert [r["id"] for r in reviews] == [first.pk, second.pk]
    assert reviews[0]["to_price"] == 900.0
    assert reviews[1]["cancel_reason"] == "Im_busy"
    assert OrderReview.objects.count() == 2


def test_a_taken_or_done_order_cannot_be_opened_by_a_newcomer() -> None:
    accepted = review_in_status(ReviewStatus.ACCEPTED)
    finished = review_in_status(ReviewStatus.DONE)
    newcomer = client_for(UserFactory())

    assert newcomer.get(detail(accepted.order_id)).status_code == 404
    assert newcomer.get(detail(finished.order_id)).status_code == 404
    assert OrderReview.objects.count() == 2
    # ...while the winner still sees it with their response.
    body = client_for(accepted.executor).get(detail(accepted.order_id)).json()
    assert body["order_in_order_review"][0]["status"] == "accepted"
    assert body["executor"]["id"] == accepted.executor_id


def test_unknown_and_crm_orders_are_404() -> None:
    crm = OrderFactory()  # an organization's order: not a marketplace order, whatever its id
    assert not MarketplaceOrder.objects.filter(pk=crm.pk).exists()
    client = client_for(UserFactory())

    assert client.get(detail(crm.pk)).status_code == 404
    assert client.get(detail(999999)).status_code == 404
    assert not OrderReview.objects.exists()


# --- personal area (executor) --------------------------------------------------------------------


def test_personal_area_lists_orders_i_won_with_my_response() -> None:
    me = UserFactory()
    accepted = review_in_status(ReviewStatus.ACCEPTED, executor=me)
    working = review_in_status(ReviewStatus.IN_PROGRESS, executor=me)
    finished = review_in_status(ReviewStatus.DONE, executor=me)
    OrderReviewFactory(executor=me)  # only looked
    OrderReviewFactory(executor=me, status=ReviewStatus.REJECTED)
    review_in_status(ReviewStatus.ACCEPTED)  # someone else's win
    client = client_for(me)

    everything = client.get(PERSONAL)
    assert set(ids(everything)) == {accepted.order_id, working.order_id, finished.order_id}
    rows = {row["id"]: row for row in everything.json()["results"]}
    assert rows[working.order_id]["order_in_order_review"] == [
        {
            "id": working.pk,
            "status": "in_progress",
            "to_price": None,
            "to_deadline": None,
            "cancel_reason": None,
            "show": None,
        }
    ]
    for status, review in (("accepted", accepted), ("in_progress", working), ("done", finished)):
        assert ids(client.get(PERSONAL, {"status": status})) == [review.order_id]
    assert client.get(PERSONAL, {"status": "looked"}).status_code == 400


def test_personal_area_status_filter_looks_at_my_response_only() -> None:
    me = UserFactory()
    mine = review_in_status(ReviewStatus.ACCEPTED, executor=me)
    # Another executor's rejected response to the same order must not make it match "rejected"-ish filters.
    OrderReviewFactory(order=mine.order, status=ReviewStatus.REJECTED)

    assert ids(client_for(me).get(PERSONAL, {"status": "done"})) == []
    assert ids(client_for(me).get(PERSONAL, {"status": "accepted"})) == [mine.order_id]


@pytest.mark.parametrize("rows", [1, 30])
def test_personal_area_query_count_is_constant(django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    me = UserFactory()
    for _ in range(rows):
        review_in_status(ReviewStatus.IN_PROGRESS, executor=me)
    client = client_for(me)

    with django_assert_num_queries(4):  # session+user, count, page, my responses (one prefetch)
        response = client.get(PERSONAL, {"page_size": 100})

    assert response.json()["count"] == rows


def test_marketplace_order_codes_share_the_collision_rule_of_organization_orders() -> None:
    from common.order_codes import OrderCodeUnavailableError
    from reviews.services import order_create

    taken = MarketplaceOrderFactory().order_code
    fields = {"customer": UserFactory(), "name": "n", "description": "d", "price": 1, "term": 1}

    with pytest.raises(OrderCodeUnavailableError):  # 409 at the API, never a 500
        order_create(generate_code=lambda: taken, **fields)
    codes = iter([taken, taken + 1 if taken < 10**15 - 1 else taken - 1])
    created = order_create(generate_code=lambda: next(codes), **fields)

    assert created.order_code != taken
    assert MarketplaceOrder.objects.count() == 2

"""The marketplace's hand-written reads (reviews/queries.py) answer exactly what the ORM selectors and the
serializers do on the same data: the same JSON bytes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from common.fastjson import dumps
from reviews import queries, selectors, services
from reviews.api import serializers as s
from reviews.models import ExecutorProfile, ReviewStatus
from tests.accounts.factories import UserFactory
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory

pytestmark = pytest.mark.django_db


def same_json(fast: object, orm: object) -> None:
    assert dumps(fast) == JSONRenderer().render(orm)


@pytest.fixture
def request_():  # type: ignore[no-untyped-def]
    return RequestFactory().get("/api_v2/order/")


@pytest.fixture
def market():  # type: ignore[no-untyped-def]
    """A customer with a profile and an avatar; executors with and without profiles, one taken order."""
    customer = UserFactory(avatar="avatars/customer é.png")
    ExecutorProfile.objects.create(user=customer, level=3, balls=140, rating=4.25)
    levelled, bare = UserFactory(avatar="avatars/x.png", about="Me", phone="+79990001122"), UserFactory()
    ExecutorProfile.objects.create(user=levelled, level=None, balls=90, rating=3.0)
    order = MarketplaceOrderFactory(
        creator=customer, price=Decimal("1234.50"), deadline=timezone.now() + timedelta(days=3, microseconds=7)
    )
    OrderReviewFactory(
        order=order,
        executor=levelled,
        status=ReviewStatus.RECONCILIATION,
        to_price=Decimal("99.99"),
        to_deadline=timezone.now() + timedelta(days=5),
        show=True,
    )
    OrderReviewFactory(order=order, executor=bare)
    taken = MarketplaceOrderFactory(creator=bare, executor=levelled, description="line\u2028separator")
    OrderReviewFactory(order=taken, executor=levelled, status=ReviewStatus.ACCEPTED)
    for _ in range(3):
        MarketplaceOrderFactory()
    return {"customer": customer, "levelled": levelled, "bare": bare, "order": order, "taken": taken}


def test_order_detail_is_the_serialized_order(market, request_) -> None:  # type: ignore[no-untyped-def]
    for order, user in [
        (market["order"], market["customer"]),
        (market["order"], market["levelled"]),
        (market["order"], market["bare"]),
        (market["taken"], market["levelled"]),
        (market["taken"], market["bare"]),
    ]:
        orm = services.order_open(order_id=order.pk, user=user)
        expected = s.MarketplaceOrderDetailOutputSerializer(orm, context={"request": request_}).data
        same_json(queries.order_detail_data(order_id=order.pk, user=user, request=request_), expected)


def test_order_detail_leaves_a_first_view_to_the_service(market, request_) -> None:  # type: ignore[no-untyped-def]
    newcomer = UserFactory()

    assert queries.order_detail_data(order_id=market["order"].pk, user=newcomer, request=request_) is None


def test_reviews_page_is_the_serialized_page(market, request_) -> None:  # type: ignore[no-untyped-def]
    order, customer = market["order"], market["customer"]
    rows = queries.reviews_by_order_page(order_id=order.pk, user=customer, request=request_)
    reviews = selectors.reviews_by_order(order_id=order.pk, user=customer)
    serializer = s.OrderReviewWithExecutorOutputSerializer(context={"request": request_})

    assert rows.count() == reviews.count() == 2
    for window in (slice(0, 100), slice(1, 2), slice(5, 10)):
        same_json(rows[window], [serializer.to_representation(r) for r in reviews[window]])


def test_feed_page_is_the_serialized_page(market, request_) -> None:  # type: ignore[no-untyped-def]
    OrderReviewFactory(executor=market["bare"], show=False)  # hidden from their feed
    OrderReviewFactory(executor=market["bare"], status=ReviewStatus.REJECTED)
    for cancelled in (MarketplaceOrderFactory(), MarketplaceOrderFactory(creator=market["customer"])):
        services.order_cancel_by_customer(order_id=cancelled.pk, customer=cancelled.creator, reason="not needed")
    for user in (market["bare"], market["levelled"], market["customer"]):
        rows = queries.order_feed_page(user=user, request=request_)
        feed = selectors.order_feed(user=user)
        serializer = s.MarketplaceOrderOutputSerializer(context={"request": request_})

        assert rows.count() == feed.count()
        for window in (slice(0, 20), slice(2, 4)):
            same_json(rows[window], [serializer.to_representation(o) for o in feed[window]])


def test_a_cancelled_order_is_the_same_on_both_paths(market, request_) -> None:  # type: ignore[no-untyped-def]
    order, customer, levelled = market["order"], market["customer"], market["levelled"]
    services.order_cancel_by_customer(order_id=order.pk, customer=customer, reason="Found one «locally»")
    newcomer = UserFactory()

    for user in (customer, levelled, market["bare"]):
        orm = services.order_open(order_id=order.pk, user=user)
        expected = s.MarketplaceOrderDetailOutputSerializer(orm, context={"request": request_}).data
        assert expected["cancel_reason"] == "Found one «locally»"
        same_json(queries.order_detail_data(order_id=order.pk, user=user, request=request_), expected)
    for user in (newcomer, levelled, market["bare"]):
        rows = queries.order_feed_page(user=user, request=request_)
        assert order.pk not in [row["id"] for row in rows[0:100]]
        assert rows.count() == selectors.order_feed(user=user).count()

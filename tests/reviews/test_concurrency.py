"""Concurrent accepts and first views on PostgreSQL: row locks and unique constraints hold."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from reviews.models import OrderReview, OrderReviewStatusChange
from tests.accounts.factories import UserFactory
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory
from tests.support.auth import client_for
from tests.support.threads import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def test_twenty_simultaneous_accepts_of_one_order_accept_exactly_one() -> None:
    order = MarketplaceOrderFactory()
    reviews = [OrderReviewFactory(order=order) for _ in range(THREADS)]
    clients = [client_for(order.creator) for _ in range(THREADS)]

    def accept(client: APIClient, review_id: int) -> Callable[[], int]:
        url = f"/api_v2/order/review_for_customer/{review_id}/"
        return lambda: client.post(url, {"status": "accepted"}, format="json").status_code

    codes = run_at_once([accept(c, r.pk) for c, r in zip(clients, reviews, strict=True)])

    assert sorted(codes) == [200] + [409] * (THREADS - 1)
    statuses = list(OrderReview.objects.filter(order=order).values_list("status", flat=True))
    assert statuses.count("accepted") == 1
    assert statuses.count("rejected") == THREADS - 1
    order.refresh_from_db()
    winner = OrderReview.objects.get(order=order, status="accepted")
    assert order.executor_id == winner.executor_id
    # One record per response: the winner's accept and each loser's rejection.
    assert OrderReviewStatusChange.objects.filter(review__order=order).count() == THREADS


def test_twenty_simultaneous_first_views_create_one_response() -> None:
    order = MarketplaceOrderFactory()
    executor = UserFactory()
    clients = [client_for(executor) for _ in range(THREADS)]
    url = f"/api_v2/order/{order.pk}/"
    seen: list[int] = []

    def view(client: APIClient) -> Callable[[], int]:
        def call() -> int:
            response = client.get(url)
            if response.status_code == 200:
                seen.append(response.json()["order_in_order_review"][0]["id"])
            return response.status_code

        return call

    codes = run_at_once([view(c) for c in clients])

    assert codes == [200] * THREADS
    review = OrderReview.objects.get(order=order, executor=executor)
    assert set(seen) == {review.pk}
    assert OrderReviewStatusChange.objects.filter(review=review).count() == 1


def test_first_views_racing_an_accept_leave_no_open_response_on_a_taken_order() -> None:
    order = MarketplaceOrderFactory()
    chosen = OrderReviewFactory(order=order)
    customer = client_for(order.creator)
    viewers = [client_for(UserFactory()) for _ in range(THREADS - 1)]
    url = f"/api_v2/order/{order.pk}/"

    calls: list[Callable[[], int]] = [
        lambda: (
            customer.post(
                f"/api_v2/order/review_for_customer/{chosen.pk}/", {"status": "accepted"}, format="json"
            ).status_code
        )
    ]
    calls += [(lambda c=c: c.get(url).status_code) for c in viewers]
    codes = run_at_once(calls)

    assert codes[0] == 200
    assert set(codes[1:]) <= {200, 404}
    assert not OrderReview.objects.filter(order=order, status__in=["looked", "reconciliation"]).exists()

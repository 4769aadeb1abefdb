"""The marketplace after publishing: the customer edits an open order; the executor withdraws an accepted response."""

import pytest
from rest_framework.test import APIClient

from reviews.models import MarketplaceOrder, OrderReview, OrderReviewStatusChange, ReviewStatus
from reviews.transitions import REVIEW_MACHINE, Actor
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory, review_in_status
from tests.support.auth import client_for, login
from tests.support.threads import run_at_once

TAKEN = {"detail": "This order already has an accepted executor."}


@pytest.mark.django_db
class TestEdit:
    def test_the_customer_edits_an_open_order(self, api_client: APIClient, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
        review = OrderReviewFactory()
        order = review.order
        login(api_client, order.creator)
        # session, lock, update, history row, its event, read back with joins, responses (+ savepoints)
        with django_assert_num_queries(9):
            response = api_client.patch(
                f"/api_v2/order/mine/{order.pk}/", {"price": "1800.00", "term": 10}, format="json"
            )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["price"], body["term"], body["name"]) == (1800.0, 10, order.name)
        assert [r["id"] for r in body["order_in_order_review"]] == [review.pk]
        order.refresh_from_db()
        assert (str(order.price), order.term) == ("1800.00", 10)

    def test_a_taken_or_done_order_is_409_and_unchanged(self, api_client: APIClient) -> None:
        for status, detail in (
            (ReviewStatus.ACCEPTED, TAKEN),
            (ReviewStatus.DONE, {"detail": "This order is already done."}),
        ):
            review = review_in_status(status)
            login(api_client, review.order.creator)
            response = api_client.patch(f"/api_v2/order/mine/{review.order_id}/", {"term": 30}, format="json")
            assert response.status_code == 409
            assert response.json() == detail
            assert MarketplaceOrder.objects.get(pk=review.order_id).term == review.order.term

    def test_anyone_but_the_customer_gets_404(self, api_client: APIClient) -> None:
        review = OrderReviewFactory()
        login(api_client, review.executor)
        response = api_client.patch(f"/api_v2/order/mine/{review.order_id}/", {"term": 30}, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "No Order matches the given query."}

    def test_bad_values_are_400(self, api_client: APIClient) -> None:
        order = MarketplaceOrderFactory()
        login(api_client, order.creator)
        response = api_client.patch(f"/api_v2/order/mine/{order.pk}/", {"term": 0, "price": "-1"}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"term", "price"}


@pytest.mark.django_db
class TestWithdraw:
    def test_the_executor_withdraws_and_the_order_reopens(
        self, api_client: APIClient, django_assert_num_queries
    ) -> None:  # type: ignore[no-untyped-def]
        review = review_in_status(ReviewStatus.ACCEPTED)
        login(api_client, review.executor)
        url = f"/api_v2/order/review/{review.pk}/withdraw/"
        # session, response, lock order, lock response, update, history, its event (2), order (+ savepoint)
        with django_assert_num_queries(11):
            response = api_client.post(url, {"cancel_reason": "Im_busy"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "rejected"
        assert response.json()["cancel_reason"] == "Im_busy"
        order = MarketplaceOrder.objects.get(pk=review.order_id)
        assert order.executor_id is None
        change = OrderReviewStatusChange.objects.filter(review=review).latest("id")
        assert (change.from_status, change.to_status, change.note) == (
            "accepted",
            "rejected",
            "withdrawn by the executor",
        )
        assert change.changes == {"cancel_reason": [None, "Im_busy"]}

    def test_the_customer_can_accept_another_response_afterwards(self, api_client: APIClient) -> None:
        review = review_in_status(ReviewStatus.ACCEPTED)
        other = OrderReviewFactory(order=review.order)
        login(api_client, review.executor)
        api_client.post(f"/api_v2/order/review/{review.pk}/withdraw/", {}, format="json")
        customer = client_for(review.order.creator)
        accepted = customer.post(
            f"/api_v2/order/review_for_customer/{other.pk}/", {"status": "accepted"}, format="json"
        )
        assert accepted.status_code == 200
        assert MarketplaceOrder.objects.get(pk=review.order_id).executor_id == other.executor_id

    @pytest.mark.parametrize("status", [ReviewStatus.IN_PROGRESS, ReviewStatus.DONE, ReviewStatus.LOOKED])
    def test_only_an_accepted_response_is_withdrawn(self, api_client: APIClient, status: str) -> None:
        review = review_in_status(status)
        login(api_client, review.executor)
        response = api_client.post(f"/api_v2/order/review/{review.pk}/withdraw/", {}, format="json")
        assert response.status_code == 409
        assert response.json() == {
            "detail": f"Only an accepted response can be withdrawn, before the work starts; its status is '{status}'."
        }
        assert OrderReview.objects.get(pk=review.pk).status == status

    def test_the_patch_of_an_accepted_response_stays_locked(self, api_client: APIClient) -> None:
        review = review_in_status(ReviewStatus.ACCEPTED)
        login(api_client, review.executor)
        response = api_client.patch(f"/api_v2/order/review/{review.pk}/", {"status": "rejected"}, format="json")
        assert response.status_code == 409

    def test_someone_elses_response_is_404(self, api_client: APIClient) -> None:
        review = review_in_status(ReviewStatus.ACCEPTED)
        login(api_client, review.order.creator)
        response = api_client.post(f"/api_v2/order/review/{review.pk}/withdraw/", {}, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "No OrderReview matches the given query."}


def test_the_transition_table_holds_the_withdrawal() -> None:
    assert REVIEW_MACHINE.allows(by=Actor.EXECUTOR, from_state="accepted", to_state="rejected")
    assert not REVIEW_MACHINE.allows(by=Actor.EXECUTOR, from_state="in_progress", to_state="rejected")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_withdraw_racing_start_runs_exactly_one(attempt: int) -> None:
    review = review_in_status(ReviewStatus.ACCEPTED)
    executor, customer = client_for(review.executor), client_for(review.order.creator)

    codes = run_at_once(
        [
            lambda: executor.post(f"/api_v2/order/review/{review.pk}/withdraw/", {}, format="json").status_code,
            lambda: (
                customer.post(
                    f"/api_v2/order/review_for_customer/{review.pk}/", {"status": "in_progress"}, format="json"
                ).status_code
            ),
        ]
    )

    assert sorted(codes) == [200, 409]
    review.refresh_from_db()
    order = MarketplaceOrder.objects.get(pk=review.order_id)
    if codes[0] == 200:  # withdrawn first: reopened, never started
        assert (review.status, order.executor_id) == ("rejected", None)
    else:
        assert (review.status, order.executor_id) == ("in_progress", review.executor_id)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_edit_racing_accept_never_accepts_unseen_terms() -> None:
    review = OrderReviewFactory()
    customer_a, customer_b = client_for(review.order.creator), client_for(review.order.creator)
    codes = run_at_once(
        [
            lambda: customer_a.patch(f"/api_v2/order/mine/{review.order_id}/", {"term": 20}, format="json").status_code,
            lambda: (
                customer_b.post(
                    f"/api_v2/order/review_for_customer/{review.pk}/", {"status": "accepted"}, format="json"
                ).status_code
            ),
        ]
    )
    order = MarketplaceOrder.objects.get(pk=review.order_id)
    assert codes[1] == 200
    # the edit either ran before the accept (applied) or after it (409, unchanged)
    assert (codes[0], order.term) in ((200, 20), (409, review.order.term))

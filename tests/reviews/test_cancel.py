"""The customer cancels a marketplace order; every lifecycle move of an order or a response has its own event."""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from events.delivery import events_fan_out
from events.models import Event, Notification
from reviews import queries, selectors
from reviews.models import (
    MarketplaceOrder,
    MarketplaceOrderAction,
    MarketplaceOrderChange,
    OrderReview,
    OrderReviewStatusChange,
    ReviewStatus,
)
from reviews.transitions import REVIEW_MACHINE, Actor
from tests.accounts.factories import UserFactory
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory, review_in_status
from tests.support.auth import client_for, login
from tests.support.threads import run_at_once

CANCELLED = {"detail": "This order is cancelled."}


def cancel_url(order_id: int) -> str:
    return f"/api_v2/order/{order_id}/cancel/"


def events_of(object_type: str, object_id: int) -> list[Event]:
    return list(Event.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("occurred_at"))


@pytest.mark.django_db
class TestCancel:
    def test_open_responses_are_rejected_with_the_reason(
        self, api_client: APIClient, django_assert_num_queries
    ) -> None:  # type: ignore[no-untyped-def]
        looked = OrderReviewFactory()
        order = looked.order
        negotiating = OrderReviewFactory(order=order, status=ReviewStatus.RECONCILIATION)
        hidden_rejected = OrderReviewFactory(order=order, status=ReviewStatus.REJECTED)
        login(api_client, order.creator)

        # session, lock order, lock responses, update, history rows, 2 events, order, its history row and event,
        # read back with joins, responses (+ savepoints)
        with django_assert_num_queries(14):
            response = api_client.post(cancel_url(order.pk), {"reason": "Found a designer locally."}, format="json")

        assert response.status_code == 200, response.content
        body = response.json()
        assert body["cancel_reason"] == "Found a designer locally."
        assert body["cancelled_at"] is not None
        assert body["executor"] is None
        assert [r["status"] for r in body["order_in_order_review"]] == ["rejected"] * 3
        order.refresh_from_db()
        assert order.cancelled_at is not None
        assert order.executor_id is None
        for review, from_status in ((looked, "looked"), (negotiating, "reconciliation")):
            change = OrderReviewStatusChange.objects.get(review=review)
            assert (change.actor_id, change.from_status, change.to_status, change.note) == (
                order.creator_id,
                from_status,
                "rejected",
                "order cancelled: Found a designer locally.",
            )
            (event,) = events_of("review", review.pk)
            assert event.type == "review.rejected"
            assert event.data["order_cancelled"] is True
            assert event.data["reason"] == "Found a designer locally."
        assert not OrderReviewStatusChange.objects.filter(review=hidden_rejected).exists()
        history = MarketplaceOrderChange.objects.get(order=order)
        assert (history.action, history.note, history.actor_id) == (
            "cancelled",
            "Found a designer locally.",
            order.creator_id,
        )
        (cancelled,) = events_of("marketplace_order", order.pk)
        assert cancelled.type == "marketplace_order.cancelled"
        assert cancelled.user_ids == [order.creator_id]
        assert cancelled.data["rejected_review_ids"] == [looked.pk, negotiating.pk]

    def test_an_accepted_response_before_work_starts_is_rejected_and_its_executor_told(
        self, api_client: APIClient
    ) -> None:
        review = review_in_status(ReviewStatus.ACCEPTED)
        login(api_client, review.order.creator)

        response = api_client.post(cancel_url(review.order_id), {}, format="json")

        assert response.status_code == 200, response.content
        assert response.json()["cancel_reason"] == ""
        review.refresh_from_db()
        assert review.status == "rejected"
        order = MarketplaceOrder.objects.get(pk=review.order_id)
        assert order.executor_id is None
        assert order.cancelled_at is not None
        assert OrderReviewStatusChange.objects.get(review=review).note == "order cancelled"
        assert MarketplaceOrderChange.objects.get(order=order).changes == {"executor_id": [review.executor_id, None]}
        events_fan_out()
        notification = Notification.objects.get(user=review.executor)
        assert notification.text == f"Order #{order.pk} was cancelled by its customer."
        assert not Notification.objects.filter(user=order.creator).exists()  # their own move

    @pytest.mark.parametrize(
        ("status", "detail"),
        [
            (ReviewStatus.IN_PROGRESS, "The work on this order has started: it can no longer be cancelled."),
            (ReviewStatus.DONE, "This order is already done."),
        ],
    )
    def test_started_or_done_work_is_409_and_unchanged(self, api_client: APIClient, status: str, detail: str) -> None:
        review = review_in_status(status)
        other = OrderReviewFactory(order=review.order, status=ReviewStatus.REJECTED)
        login(api_client, review.order.creator)

        response = api_client.post(cancel_url(review.order_id), {"reason": "no"}, format="json")

        assert response.status_code == 409
        assert response.json() == {"detail": detail}
        order = MarketplaceOrder.objects.get(pk=review.order_id)
        assert (order.cancelled_at, order.executor_id) == (None, review.executor_id)
        assert OrderReview.objects.get(pk=review.pk).status == status
        assert OrderReview.objects.get(pk=other.pk).status == "rejected"
        assert not Event.objects.exists()
        assert not MarketplaceOrderChange.objects.exists()

    def test_a_second_cancel_is_409_and_a_retry_with_its_key_replays(self, api_client: APIClient) -> None:
        order = MarketplaceOrderFactory()
        login(api_client, order.creator)
        first = api_client.post(cancel_url(order.pk), {"reason": "r"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        replay = api_client.post(cancel_url(order.pk), {"reason": "r"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        again = api_client.post(cancel_url(order.pk), {"reason": "r"}, format="json")

        assert first.status_code == replay.status_code == 200
        assert replay.content == first.content
        assert replay["Idempotent-Replayed"] == "true"
        assert again.status_code == 409
        assert again.json() == CANCELLED
        assert MarketplaceOrderChange.objects.filter(order=order, action="cancelled").count() == 1

    def test_anyone_but_the_customer_gets_404(self, api_client: APIClient) -> None:
        review = OrderReviewFactory()
        for user in (review.executor, UserFactory()):
            login(api_client, user)
            response = api_client.post(cancel_url(review.order_id), {}, format="json")
            assert response.status_code == 404
            assert response.json() == {"detail": "No Order matches the given query."}
        assert MarketplaceOrder.objects.get(pk=review.order_id).cancelled_at is None
        assert OrderReview.objects.get(pk=review.pk).status == "looked"

    def test_a_too_long_reason_is_400(self, api_client: APIClient) -> None:
        order = MarketplaceOrderFactory()
        login(api_client, order.creator)
        response = api_client.post(cancel_url(order.pk), {"reason": "x" * 256}, format="json")
        assert response.status_code == 400
        assert set(response.json()) == {"reason"}


@pytest.mark.django_db
class TestACancelledOrder:
    @pytest.fixture
    def cancelled(self, api_client: APIClient) -> OrderReview:
        review = OrderReviewFactory()
        login(api_client, review.order.creator)
        assert api_client.post(cancel_url(review.order_id), {"reason": "r"}, format="json").status_code == 200
        review.refresh_from_db()
        return review

    def test_leaves_the_feed_on_both_paths(self, cancelled: OrderReview) -> None:
        executor = UserFactory()
        open_order = MarketplaceOrderFactory()
        request = RequestFactory().get("/api_v2/order/")

        assert list(selectors.order_feed(user=executor)) == [open_order]
        assert [row["id"] for row in queries.order_feed_page(user=executor, request=request)[0:20]] == [open_order.pk]
        client = client_for(executor)
        assert [o["id"] for o in client.get("/api_v2/order/").json()["results"]] == [open_order.pk]
        assert [o["id"] for o in client.get("/api_v2/order/", {"term": 7}).json()["results"]] == [open_order.pk]

    def test_a_newcomer_gets_404_and_no_response_is_created(self, cancelled: OrderReview) -> None:
        response = client_for(UserFactory()).get(f"/api_v2/order/{cancelled.order_id}/")
        assert response.status_code == 404
        assert OrderReview.objects.filter(order_id=cancelled.order_id).count() == 1

    def test_the_executor_still_sees_it_with_the_rejected_response(self, cancelled: OrderReview) -> None:
        body = client_for(cancelled.executor).get(f"/api_v2/order/{cancelled.order_id}/").json()
        assert body["cancel_reason"] == "r"
        assert [r["status"] for r in body["order_in_order_review"]] == ["rejected"]

    def test_no_more_changes_or_decisions(self, api_client: APIClient, cancelled: OrderReview) -> None:
        patch = client_for(cancelled.executor).patch(
            f"/api_v2/order/review/{cancelled.pk}/", {"status": "reconciliation"}, format="json"
        )
        decision = api_client.post(
            f"/api_v2/order/review_for_customer/{cancelled.pk}/", {"status": "accepted"}, format="json"
        )
        edit = api_client.patch(f"/api_v2/order/mine/{cancelled.order_id}/", {"term": 3}, format="json")

        assert patch.status_code == decision.status_code == edit.status_code == 409
        assert decision.json() == edit.json() == CANCELLED
        assert OrderReview.objects.get(pk=cancelled.pk).status == "rejected"
        assert MarketplaceOrder.objects.get(pk=cancelled.order_id).term == 7

    def test_a_late_response_is_refused_too(self, api_client: APIClient, cancelled: OrderReview) -> None:
        # a response that somehow stayed open (written before the cancel existed) takes no decision either
        late = OrderReviewFactory(order=cancelled.order)
        response = api_client.post(
            f"/api_v2/order/review_for_customer/{late.pk}/", {"status": "accepted"}, format="json"
        )
        assert response.status_code == 409
        assert response.json() == CANCELLED
        assert MarketplaceOrder.objects.get(pk=cancelled.order_id).executor_id is None


def test_the_transition_table_holds_the_cancellation() -> None:
    for from_status in ("looked", "reconciliation", "accepted"):
        assert REVIEW_MACHINE.allows(by=Actor.CANCELLATION, from_state=from_status, to_state="rejected")
    assert not REVIEW_MACHINE.allows(by=Actor.CANCELLATION, from_state="in_progress", to_state="rejected")
    # the customer's own decisions never reject an accepted response: only the cancellation does
    assert not REVIEW_MACHINE.allows(by=Actor.CUSTOMER, from_state="accepted", to_state="rejected")


@pytest.mark.django_db
class TestLifecycleEvents:
    def test_publishing_records_the_order_history(self, api_client: APIClient) -> None:
        customer = UserFactory()
        login(api_client, customer)
        body = {"name": "Logo", "description": "For a bakery.", "price": "100.00", "term": 3}
        order_id = api_client.post("/api_v2/order/", body, format="json").json()["id"]

        assert MarketplaceOrderChange.objects.get(order_id=order_id).action == MarketplaceOrderAction.CREATED
        assert [e.type for e in events_of("marketplace_order", order_id)] == ["marketplace_order.created"]

    def test_an_edit_is_recorded_with_its_changes_and_a_no_op_is_not(self, api_client: APIClient) -> None:
        order = MarketplaceOrderFactory()
        login(api_client, order.creator)
        api_client.patch(f"/api_v2/order/mine/{order.pk}/", {"price": "1800.00", "term": 7}, format="json")
        api_client.patch(f"/api_v2/order/mine/{order.pk}/", {"term": 7}, format="json")

        change = MarketplaceOrderChange.objects.get(order=order)
        assert (change.action, change.changes) == ("updated", {"price": ["1000.00", "1800.00"]})
        (event,) = events_of("marketplace_order", order.pk)
        assert event.type == "marketplace_order.updated"
        assert event.data == {"customer_id": order.creator_id, "changes": {"price": ["1000.00", "1800.00"]}}
        assert event.actor_id == order.creator_id

    def test_a_withdrawal_is_its_own_event_and_tells_the_customer(self, api_client: APIClient) -> None:
        review = review_in_status(ReviewStatus.ACCEPTED)
        login(api_client, review.executor)
        api_client.post(f"/api_v2/order/review/{review.pk}/withdraw/", {"cancel_reason": "Im_busy"}, format="json")

        (event,) = events_of("review", review.pk)
        assert event.type == "review.withdrawn"
        assert event.data["changes"] == {"cancel_reason": [None, "Im_busy"]}
        events_fan_out()
        notification = Notification.objects.get(user=review.order.creator)
        assert notification.kind == "review.withdrawn"
        assert notification.text == (
            f"The executor withdrew from your order #{review.order_id}: it is open to responses again."
        )
        assert not Notification.objects.filter(user=review.executor).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_cancel_racing_accept_leaves_one_consistent_outcome(attempt: int) -> None:
    review = OrderReviewFactory()
    other = OrderReviewFactory(order=review.order, status=ReviewStatus.RECONCILIATION)
    canceller, accepter = client_for(review.order.creator), client_for(review.order.creator)

    codes = run_at_once(
        [
            lambda: canceller.post(cancel_url(review.order_id), {"reason": "race"}, format="json").status_code,
            lambda: (
                accepter.post(
                    f"/api_v2/order/review_for_customer/{review.pk}/", {"status": "accepted"}, format="json"
                ).status_code
            ),
        ]
    )

    order = MarketplaceOrder.objects.get(pk=review.order_id)
    statuses = dict(OrderReview.objects.filter(order=order).values_list("pk", "status"))
    # the cancel always wins in the end: it runs before the accept (409) or after it, rejecting the accepted one
    assert codes[0] == 200
    assert codes[1] in (200, 409)
    assert order.cancelled_at is not None
    assert order.executor_id is None
    assert not order.done
    assert statuses == {review.pk: "rejected", other.pk: "rejected"}
    history = list(OrderReviewStatusChange.objects.filter(review=review).values_list("from_status", "to_status"))
    if codes[1] == 200:  # accepted first, then rejected by the cancel
        assert history == [("looked", "accepted"), ("accepted", "rejected")]
    else:
        assert history == [("looked", "rejected")]
        assert Event.objects.filter(type="review.accepted").count() == 0

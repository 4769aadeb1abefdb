"""Executors' responses: the executor's PATCH, the customer's moves, the transition table, lists and history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reviews.models import ExecutorProfile, OrderReview, OrderReviewStatusChange, ReviewStatus
from reviews.transitions import ALLOWED_TRANSITIONS, CUSTOMER_TARGETS, EXECUTOR_TARGETS, Actor
from tests.accounts.factories import UserFactory
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory, review_in_status
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db

ALL = [s.value for s in ReviewStatus]
LOCKED = ["rejected", "accepted", "in_progress", "done"]


def patch_url(review_id: int) -> str:
    return f"/api_v2/order/review/{review_id}/"


def customer_url(review_id: int) -> str:
    return f"/api_v2/order/review_for_customer/{review_id}/"


def by_order_url(order_id: int) -> str:
    return f"/api_v2/order/reviews_by_order_id/{order_id}/"


def history_url(review_id: int) -> str:
    return f"/api_v2/order/review/{review_id}/history/"


def snapshot(review: OrderReview) -> tuple:
    review.refresh_from_db()
    review.order.refresh_from_db()
    return (
        review.status,
        review.to_price,
        review.to_deadline,
        review.cancel_reason,
        review.show,
        review.order.executor_id,
        review.order.done,
        review.order.customer_score,
    )


# --- executor: PATCH /api_v2/order/review/{id}/ --------------------------------------------------


def test_document_000_patch_example() -> None:
    review = OrderReviewFactory()

    response = client_for(review.executor).patch(
        patch_url(review.pk), {"status": "looked", "cancel_reason": "low_budget"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": review.pk,
        "status": "looked",
        "to_price": None,
        "to_deadline": None,
        "cancel_reason": "low_budget",
        "show": None,
    }
    review.refresh_from_db()
    assert review.cancel_reason == "low_budget"


def test_executor_negotiates_and_every_change_is_recorded() -> None:
    review = OrderReviewFactory()
    deadline = timezone.now() + timedelta(days=3)
    client = client_for(review.executor)

    response = client.patch(
        patch_url(review.pk),
        {"status": "reconciliation", "to_price": "1200.00", "to_deadline": deadline.isoformat(), "show": True},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["to_price"], body["show"]) == ("reconciliation", 1200.0, True)
    review.refresh_from_db()
    assert (review.status, review.to_price, review.to_deadline) == ("reconciliation", Decimal("1200.00"), deadline)
    change = OrderReviewStatusChange.objects.get(review=review)
    assert (change.actor, change.from_status, change.to_status) == (review.executor, "looked", "reconciliation")
    assert change.changes["to_price"] == [None, "1200.00"]
    assert change.changes["show"] == [None, True]

    # The same values again change nothing and record nothing.
    assert client.patch(patch_url(review.pk), {"status": "reconciliation", "to_price": "1200.00"}).status_code == 200
    assert OrderReviewStatusChange.objects.filter(review=review).count() == 1


def test_hiding_an_order_removes_it_from_my_feed() -> None:
    review = OrderReviewFactory()
    client = client_for(review.executor)
    assert [row["id"] for row in client.get("/api_v2/order/").json()["results"]] == [review.order_id]

    assert client.patch(patch_url(review.pk), {"show": False}).status_code == 200

    assert client.get("/api_v2/order/").json()["results"] == []


def test_only_the_executor_may_patch_their_response() -> None:
    review = OrderReviewFactory()
    before = snapshot(review)

    for user in (UserFactory(), review.order.creator):
        response = client_for(user).patch(patch_url(review.pk), {"status": "rejected"})
        assert response.status_code == 404
    assert client_for(review.executor).patch(patch_url(999999), {"status": "rejected"}).status_code == 404
    assert snapshot(review) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "accepted"}, "status"),
        ({"status": "in_progress"}, "status"),
        ({"status": "done"}, "status"),
        ({"status": "whatever"}, "status"),
        ({"cancel_reason": "too_lazy"}, "cancel_reason"),
        ({"to_price": "-5"}, "to_price"),
        ({"to_price": "cheap"}, "to_price"),
        ({"to_deadline": "2000-01-01T00:00:00Z"}, "to_deadline"),
        ({"to_deadline": "soon"}, "to_deadline"),
        ({"show": "maybe"}, "show"),
    ],
)
def test_executor_patch_rejects_unknown_values(payload, field) -> None:  # type: ignore[no-untyped-def]
    review = OrderReviewFactory()
    before = snapshot(review)

    response = client_for(review.executor).patch(patch_url(review.pk), payload)

    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(review) == before


@pytest.mark.parametrize("status", LOCKED)
@pytest.mark.parametrize(
    "payload",
    [
        {"status": "looked"},
        {"status": "reconciliation"},
        {"to_price": "1.00"},
        {"show": False},
        {"cancel_reason": "Im_busy"},
    ],
)
def test_a_locked_response_refuses_every_executor_change(status, payload) -> None:  # type: ignore[no-untyped-def]
    review = review_in_status(status)
    before = snapshot(review)

    response = client_for(review.executor).patch(patch_url(review.pk), payload)

    assert response.status_code == 409
    assert response.json() == {
        "detail": f"This response is locked: its status is '{status}', so its executor can no longer change it."
    }
    assert snapshot(review) == before
    assert not OrderReviewStatusChange.objects.exists()


@pytest.mark.parametrize("from_status", ["looked", "reconciliation"])
@pytest.mark.parametrize("to_status", [s.value for s in EXECUTOR_TARGETS])
def test_every_executor_transition_allowed(from_status, to_status) -> None:  # type: ignore[no-untyped-def]
    assert to_status in ALLOWED_TRANSITIONS[Actor.EXECUTOR][from_status]
    review = OrderReviewFactory(status=from_status)

    response = client_for(review.executor).patch(patch_url(review.pk), {"status": to_status})

    assert response.status_code == 200
    review.refresh_from_db()
    assert review.status == to_status
    recorded = OrderReviewStatusChange.objects.filter(review=review)
    if from_status == to_status:
        assert not recorded.exists()
    else:
        assert list(recorded.values_list("from_status", "to_status")) == [(from_status, to_status)]


# --- customer: POST /api_v2/order/review_for_customer/{id}/ --------------------------------------


def test_accepting_one_response_rejects_every_other_open_one() -> None:
    order = MarketplaceOrderFactory()
    chosen = OrderReviewFactory(order=order, status=ReviewStatus.RECONCILIATION)
    looked = OrderReviewFactory(order=order, status=ReviewStatus.LOOKED)
    negotiating = OrderReviewFactory(order=order, status=ReviewStatus.RECONCILIATION)
    declined = OrderReviewFactory(order=order, status=ReviewStatus.REJECTED, cancel_reason="Im_busy")
    elsewhere = OrderReviewFactory(status=ReviewStatus.LOOKED)

    response = client_for(order.creator).post(customer_url(chosen.pk), {"status": "accepted"})

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    order.refresh_from_db()
    assert order.executor_id == chosen.executor_id
    assert not order.done
    statuses = dict(OrderReview.objects.values_list("pk", "status"))
    assert statuses == {
        chosen.pk: "accepted",
        looked.pk: "rejected",
        negotiating.pk: "rejected",
        declined.pk: "rejected",
        elsewhere.pk: "looked",
    }
    history = set(OrderReviewStatusChange.objects.values_list("review_id", "actor_id", "from_status", "to_status"))
    assert history == {
        (chosen.pk, order.creator_id, "reconciliation", "accepted"),
        (looked.pk, order.creator_id, "looked", "rejected"),
        (negotiating.pk, order.creator_id, "reconciliation", "rejected"),
    }
    # The order left the feed, the winner sees it in the personal area.
    feed = client_for(UserFactory()).get("/api_v2/order/").json()["results"]
    assert [row["id"] for row in feed] == [elsewhere.order_id]
    area = client_for(chosen.executor).get("/api_v2/order_for_personal_area/").json()
    assert [row["id"] for row in area["results"]] == [order.pk]


def test_a_second_accept_on_the_same_order_is_a_conflict() -> None:
    order = MarketplaceOrderFactory()
    first, second = OrderReviewFactory(order=order), OrderReviewFactory(order=order)
    client = client_for(order.creator)
    assert client.post(customer_url(first.pk), {"status": "accepted"}).status_code == 200

    for review in (second, first):
        response = client.post(customer_url(review.pk), {"status": "accepted"})
        assert response.status_code == 409
        assert response.json() == {"detail": "This order already has an accepted executor."}

    order.refresh_from_db()
    assert order.executor_id == first.executor_id
    assert OrderReview.objects.get(pk=second.pk).status == "rejected"


def test_customer_rejects_one_open_response() -> None:
    order = MarketplaceOrderFactory()
    turned_down, other = OrderReviewFactory(order=order), OrderReviewFactory(order=order)

    response = client_for(order.creator).post(customer_url(turned_down.pk), {"status": "rejected"})

    assert response.status_code == 200
    assert dict(OrderReview.objects.values_list("pk", "status")) == {turned_down.pk: "rejected", other.pk: "looked"}
    order.refresh_from_db()
    assert order.executor_id is None
    # The rejected executor is locked out of their response.
    assert client_for(turned_down.executor).patch(patch_url(turned_down.pk), {"status": "looked"}).status_code == 409


def test_full_flow_to_done_scores_the_executor() -> None:
    executor = UserFactory()
    review_in_status(ReviewStatus.DONE, executor=executor)  # an earlier order, scored 5
    order = MarketplaceOrderFactory()
    review = OrderReviewFactory(order=order, executor=executor)
    customer = client_for(order.creator)

    assert customer.post(customer_url(review.pk), {"status": "accepted"}).status_code == 200
    assert customer.post(customer_url(review.pk), {"status": "in_progress"}).json()["status"] == "in_progress"
    response = customer.post(customer_url(review.pk), {"status": "done", "customer_score": 4})

    assert response.status_code == 200
    assert response.json()["status"] == "done"
    order.refresh_from_db()
    assert (order.done, order.customer_score, order.executor_id) == (True, 4, executor.pk)
    assert ExecutorProfile.objects.get(user=executor).rating == 4.5
    history = list(
        OrderReviewStatusChange.objects.filter(review=review).values_list("from_status", "to_status", "actor_id")
    )
    assert history == [
        ("looked", "accepted", order.creator_id),
        ("accepted", "in_progress", order.creator_id),
        ("in_progress", "done", order.creator_id),
    ]
    detail = client_for(executor).get(f"/api_v2/order/{order.pk}/").json()
    assert detail["customer_score"] == 4
    assert detail["done"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "done"}, "customer_score"),
        ({"status": "done", "customer_score": 0}, "customer_score"),
        ({"status": "done", "customer_score": 6}, "customer_score"),
        ({"status": "done", "customer_score": "great"}, "customer_score"),
        ({"status": "in_progress", "customer_score": 5}, "customer_score"),
        ({"status": "looked"}, "status"),
        ({"status": "reconciliation"}, "status"),
        ({"status": "nope"}, "status"),
        ({}, "status"),
    ],
)
def test_customer_input_is_validated(payload, field) -> None:  # type: ignore[no-untyped-def]
    review = review_in_status(ReviewStatus.IN_PROGRESS)
    before = snapshot(review)

    response = client_for(review.order.creator).post(customer_url(review.pk), payload)

    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(review) == before


def test_only_the_customer_may_move_a_response() -> None:
    review = OrderReviewFactory()
    before = snapshot(review)

    stranger = client_for(UserFactory()).post(customer_url(review.pk), {"status": "accepted"})
    executor = client_for(review.executor).post(customer_url(review.pk), {"status": "accepted"})

    assert stranger.status_code == 404
    assert executor.status_code == 403
    assert executor.json() == {"detail": "Only the customer of this order may do this."}
    assert client_for(review.order.creator).post(customer_url(999999), {"status": "accepted"}).status_code == 404
    assert snapshot(review) == before


def _customer_cases() -> list[tuple[str, str, bool]]:
    cases = []
    for from_status in ALL:
        for to_status in (s.value for s in CUSTOMER_TARGETS):
            allowed = to_status in ALLOWED_TRANSITIONS[Actor.CUSTOMER].get(from_status, frozenset())
            cases.append((from_status, to_status, allowed))
    return cases


@pytest.mark.parametrize(("from_status", "to_status", "allowed"), _customer_cases())
def test_every_customer_transition_allowed_and_refused(from_status, to_status, allowed) -> None:  # type: ignore[no-untyped-def]
    review = review_in_status(from_status)
    before = snapshot(review)
    payload: dict[str, object] = {"status": to_status}
    if to_status == "done":
        payload["customer_score"] = 3

    response = client_for(review.order.creator).post(customer_url(review.pk), payload)

    if allowed:
        assert response.status_code == 200, response.content
        review.refresh_from_db()
        assert review.status == to_status
        assert OrderReviewStatusChange.objects.filter(review=review, from_status=from_status, to_status=to_status)
    else:
        assert response.status_code == 409, response.content
        assert response.json()["detail"] in (
            f"A response cannot move from '{from_status}' to '{to_status}'.",
            "This order already has an accepted executor.",
            "This order is already done.",
        )
        assert snapshot(review) == before
        assert not OrderReviewStatusChange.objects.exists()


# --- GET /api_v2/order/reviews_by_order_id/{id}/ -------------------------------------------------


def test_reviews_by_order_id_matches_document_000() -> None:
    order = MarketplaceOrderFactory()
    moderator4 = UserFactory(username="moderator4", email="moderator4@mail.ru", first_name="", last_name="")
    moderator2 = UserFactory(username="moderator2", email="moderator2@mail.ru", first_name="", last_name="")
    ExecutorProfile.objects.bulk_create(
        [ExecutorProfile(user=moderator4, rating=4), ExecutorProfile(user=moderator2, rating=4)]
    )
    first = OrderReviewFactory(order=order, executor=moderator4, status=ReviewStatus.REJECTED)
    second = OrderReviewFactory(order=order, executor=moderator2, status=ReviewStatus.ACCEPTED)

    response = client_for(order.creator).get(by_order_url(order.pk))

    assert response.status_code == 200

    def executor(user) -> dict:  # type: ignore[no-untyped-def]
        return {
            "id": user.pk,
            "username": user.username,
            "first_name": "",
            "last_name": "",
            "email": user.email,
            "level": None,
            "about": "",
            "balls": 100,
            "phone": None,
            "avatar": None,
            "rating": 4,
        }

    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": first.pk,
                "status": "rejected",
                "to_price": None,
                "to_deadline": None,
                "cancel_reason": None,
                "show": None,
                "executor": executor(moderator4),
            },
            {
                "id": second.pk,
                "status": "accepted",
                "to_price": None,
                "to_deadline": None,
                "cancel_reason": None,
                "show": None,
                "executor": executor(moderator2),
            },
        ],
    }
    filtered = client_for(order.creator).get(by_order_url(order.pk), {"status": "accepted"}).json()
    assert [row["id"] for row in filtered["results"]] == [second.pk]
    assert client_for(order.creator).get(by_order_url(order.pk), {"status": "bogus"}).status_code == 400


def test_reviews_by_order_id_is_for_the_customer_only() -> None:
    review = OrderReviewFactory()

    assert client_for(review.executor).get(by_order_url(review.order_id)).status_code == 403
    assert client_for(UserFactory()).get(by_order_url(review.order_id)).json() == {
        "detail": "Only the customer of this order may do this."
    }
    assert client_for(review.order.creator).get(by_order_url(999999)).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_reviews_by_order_id_query_count_is_constant(django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    order = MarketplaceOrderFactory()
    OrderReviewFactory.create_batch(rows, order=order)
    client = client_for(order.creator)

    with django_assert_num_queries(4):  # session+user, the order's customer, count, page with executors joined
        response = client.get(by_order_url(order.pk), {"page_size": 100})

    assert response.json()["count"] == rows


# --- GET /api_v2/order/review/{id}/history/ ------------------------------------------------------


def test_history_is_readable_by_executor_and_customer_only() -> None:
    executor = UserFactory()
    order = MarketplaceOrderFactory()
    executor_client = client_for(executor)
    review_id = executor_client.get(f"/api_v2/order/{order.pk}/").json()["order_in_order_review"][0]["id"]
    executor_client.patch(patch_url(review_id), {"status": "reconciliation", "to_price": "900"})
    client_for(order.creator).post(customer_url(review_id), {"status": "accepted"})

    for client in (executor_client, client_for(order.creator)):
        response = client.get(history_url(review_id))
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [(r["from_status"], r["to_status"], r["actor"]["id"]) for r in rows] == [
            (None, "looked", executor.pk),
            ("looked", "reconciliation", executor.pk),
            ("reconciliation", "accepted", order.creator_id),
        ]
        assert rows[1]["changes"] == {"to_price": [None, "900.00"]}
        assert all(r["created_at"] for r in rows)

    assert client_for(UserFactory()).get(history_url(review_id)).status_code == 404
    assert executor_client.get(history_url(999999)).status_code == 404


@pytest.mark.parametrize("rows", [1, 30])
def test_history_query_count_is_constant(django_assert_num_queries, rows) -> None:  # type: ignore[no-untyped-def]
    review = OrderReviewFactory()
    for _ in range(rows):
        OrderReviewStatusChange.objects.create(
            review=review, actor=review.executor, from_status="looked", to_status="looked"
        )
    client = client_for(review.executor)

    with django_assert_num_queries(4):  # session+user, visibility, count, page with actors joined
        response = client.get(history_url(review.pk), {"page_size": 100})

    assert response.json()["count"] == rows

"""Admin pages, demo data and the OpenAPI description of the marketplace."""

import pytest
from django.conf import settings
from django.test import Client

from reviews.demo import seed_demo
from reviews.models import MarketplaceOrder, OrderReview, OrderReviewStatusChange, ReviewStatus
from reviews.transitions import transition_rows
from tests.accounts.factories import UserFactory
from tests.reviews.factories import review_in_status

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api_v2/order/": {"get", "post"},
    "/api_v2/order/mine/": {"get"},
    "/api_v2/order/{id}/": {"get"},
    "/api_v2/order/review/{id}/": {"patch"},
    "/api_v2/order/review/{id}/history/": {"get"},
    "/api_v2/order/review_for_customer/{id}/": {"post"},
    "/api_v2/order/reviews_by_order_id/{id}/": {"get"},
    "/api_v2/order_for_personal_area/": {"get"},
}


def test_schema_documents_every_endpoint_with_errors_and_the_transition_table(client: Client) -> None:
    paths = client.get("/api/schema/?format=json").json()["paths"]

    for path, methods in ENDPOINTS.items():
        assert path in paths, path
        for method in methods:
            operation = paths[path][method]
            assert operation["operationId"]
            assert {"401", "403"} <= set(operation["responses"]), (path, method)
    for path in ("/api_v2/order/review/{id}/", "/api_v2/order/review_for_customer/{id}/"):
        operation = next(iter(paths[path].values()))
        assert "| customer | looked | accepted |" in operation["description"]
        assert "| executor | reconciliation | rejected |" in operation["description"]
        assert {"400", "404", "409"} <= set(operation["responses"])


def test_seed_demo_builds_orders_in_every_stage_and_is_idempotent() -> None:
    # This app's part of `manage.py seed_demo`, run twice as the command would.
    seed_demo(password="demo-pass-2024")
    counts = (MarketplaceOrder.objects.count(), OrderReview.objects.count(), OrderReviewStatusChange.objects.count())
    logins = seed_demo(password="demo-pass-2024")

    assert (
        MarketplaceOrder.objects.count(),
        OrderReview.objects.count(),
        OrderReviewStatusChange.objects.count(),
    ) == counts
    assert "mp_customer" in dict(logins)
    statuses = set(OrderReview.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in ReviewStatus}
    assert MarketplaceOrder.objects.filter(executor__isnull=True).exists()
    assert MarketplaceOrder.objects.filter(done=True, customer_score=5).exists()


def test_admin_pages_render(client: Client) -> None:
    review = review_in_status(ReviewStatus.DONE)
    change = OrderReviewStatusChange.objects.create(review=review, actor=review.executor, to_status="looked")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for url in (
        "/admin/reviews/marketplaceorder/",
        f"/admin/reviews/marketplaceorder/{review.order_id}/change/",
        "/admin/reviews/orderreview/",
        f"/admin/reviews/orderreview/{review.pk}/change/",
        "/admin/reviews/orderreviewstatuschange/",
        f"/admin/reviews/orderreviewstatuschange/{change.pk}/change/",
    ):
        response = client.get(url, {"q": "a"} if url.endswith("s/") or url.endswith("order/") else {})
        assert response.status_code == 200, url
    page = client.get(f"/admin/reviews/marketplaceorder/{review.order_id}/change/").content.decode()
    assert review.executor.username in page


def test_admin_cannot_move_an_order_past_its_transition_table(client: Client) -> None:
    review = review_in_status(ReviewStatus.ACCEPTED)
    order = review.order
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/reviews/marketplaceorder/{order.pk}/change/"
    other = UserFactory()

    response = client.post(
        url,
        {
            "name": "Renamed",
            "description": order.description,
            "creator": order.creator_id,
            "executor": other.pk,
            "price": order.price,
            "term": order.term,
            "done": "on",
            "customer_score": 5,
            "reviews-TOTAL_FORMS": 0,
            "reviews-INITIAL_FORMS": 0,
            "history-TOTAL_FORMS": 0,
            "history-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.content[:2000]
    order.refresh_from_db()
    assert order.name == "Renamed"  # the editable fields change
    assert (order.executor_id, order.done, order.customer_score) == (review.executor_id, False, None)


@pytest.mark.parametrize("model", ["marketplaceorder", "orderreview", "orderreviewstatuschange"])
def test_admin_never_deletes_an_order_a_response_or_their_history(client: Client, model: str) -> None:
    review = review_in_status(ReviewStatus.ACCEPTED)
    change = OrderReviewStatusChange.objects.create(review=review, actor=review.executor, to_status="accepted")
    pk = {"marketplaceorder": review.order_id, "orderreview": review.pk, "orderreviewstatuschange": change.pk}[model]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(f"/admin/reviews/{model}/{pk}/delete/")
    bulk = client.post(
        f"/admin/reviews/{model}/", {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
    )

    assert page.status_code == 403
    assert bulk.status_code in (200, 302)  # the action is not offered: Django answers "no action selected"
    assert MarketplaceOrder.objects.filter(pk=review.order_id).exists()
    assert OrderReview.objects.filter(pk=review.pk).exists()
    assert OrderReviewStatusChange.objects.filter(pk=change.pk).exists()


def test_readme_renders_the_transition_table() -> None:
    readme = (settings.BASE_DIR / "README.md").read_text()
    section = readme[readme.index("<!-- app:reviews -->") : readme.index("<!-- /app:reviews -->")]

    for who, from_status, to_status, note in transition_rows():
        assert f"| {who} | {from_status} | {to_status} | {note} |" in section

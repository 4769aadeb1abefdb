"""Idempotency-Key on unsafe operations: retries replay the first answer byte for byte and never do twice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import IdempotencyKey
from appraisals.models import AppraisalParticipant
from orders.models import Order
from organizations.models import Organization, Service
from reviews.models import MarketplaceOrder, OrderReview, ReviewStatus
from tests.accounts.factories import UserFactory
from tests.appraisals.conftest import hr_user, participant_body
from tests.appraisals.factories import AppraisalFactory
from tests.orders.factories import OrderFactory
from tests.reviews.factories import MarketplaceOrderFactory, OrderReviewFactory
from tests.support import openapi
from tests.support.auth import client_for, login
from tests.support.threads import run_at_once

ORDER = {"name": "Landing page", "description": "For a bakery.", "price": "15000.00", "term": 7}
REUSED_001 = {
    "detail": "This Idempotency-Key was already used with a different request; send a new key for a new request."
}


def publish(client: APIClient, key: str | None, body: dict | None = None):  # type: ignore[no-untyped-def]
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post("/api_v2/order/", body or ORDER, format="json", **headers)


@pytest.mark.django_db
class TestReplay:
    def test_a_retry_gets_the_first_answer_byte_for_byte_and_creates_nothing(self, auth_client: APIClient) -> None:
        # given a published order
        first = publish(auth_client, "key-1")
        assert first.status_code == 201
        assert "Idempotent-Replayed" not in first

        # when the client retries with the same key and body
        second = publish(auth_client, "key-1")

        # then the stored answer comes back, marked, and no second order exists
        assert second.status_code == 201
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert second["Idempotent-Replayed"] == "true"
        assert MarketplaceOrder.objects.count() == 1

    def test_without_the_header_every_request_runs(self, auth_client: APIClient) -> None:
        assert publish(auth_client, None).status_code == 201
        assert publish(auth_client, None).status_code == 201
        assert MarketplaceOrder.objects.count() == 2
        assert IdempotencyKey.objects.count() == 0

    def test_the_same_key_with_another_body_is_422_in_the_documents_shape(self, auth_client: APIClient) -> None:
        publish(auth_client, "key-1")
        response = publish(auth_client, "key-1", {**ORDER, "price": "1.00"})
        assert response.status_code == 422
        assert response.json() == REUSED_001
        assert MarketplaceOrder.objects.count() == 1

    def test_key_order_and_spacing_of_the_body_do_not_matter(self, auth_client: APIClient) -> None:
        publish(auth_client, "key-1")
        reordered = dict(reversed(list(ORDER.items())))
        assert publish(auth_client, "key-1", reordered)["Idempotent-Replayed"] == "true"

    def test_keys_belong_to_their_user(self, auth_client: APIClient) -> None:
        other = client_for(UserFactory())
        assert publish(auth_client, "shared").status_code == 201
        assert publish(other, "shared").status_code == 201
        assert MarketplaceOrder.objects.count() == 2

    @pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "ключ"])
    def test_a_malformed_key_is_400_and_nothing_runs(self, auth_client: APIClient, key: str) -> None:
        response = publish(auth_client, key)
        assert response.status_code == 400
        assert response.json() == {"detail": "The Idempotency-Key header must be 1 to 255 printable ASCII characters."}
        assert MarketplaceOrder.objects.count() == 0

    def test_a_key_of_255_printable_characters_is_accepted(self, auth_client: APIClient) -> None:
        key = "".join(chr(32 + i % 95) for i in range(255))
        assert publish(auth_client, key).status_code == 201
        assert publish(auth_client, key)["Idempotent-Replayed"] == "true"

    def test_a_400_is_not_stored_so_the_fixed_body_runs_with_the_same_key(self, auth_client: APIClient) -> None:
        assert publish(auth_client, "key-1", {**ORDER, "term": 0}).status_code == 400
        response = publish(auth_client, "key-1")
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response

    def test_an_expired_key_runs_again(self, auth_client: APIClient) -> None:
        publish(auth_client, "key-1")
        IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = publish(auth_client, "key-1")
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
        assert MarketplaceOrder.objects.count() == 2
        assert IdempotencyKey.objects.count() == 1  # the expired row was pruned

    def test_a_refusal_is_stored_and_replayed(self, api_client: APIClient) -> None:
        # given an order already taken: a second accept is a 409
        review = OrderReviewFactory()
        other = OrderReviewFactory(order=review.order)
        login(api_client, review.order.creator)
        url = "/api_v2/order/review_for_customer/{}/"
        api_client.post(url.format(review.pk), {"status": "accepted"}, format="json")
        first = api_client.post(url.format(other.pk), {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        again = api_client.post(url.format(other.pk), {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert first.status_code == again.status_code == 409
        assert again.content == first.content
        assert again["Idempotent-Replayed"] == "true"

    def test_a_customer_decision_runs_once(self, api_client: APIClient) -> None:
        review = OrderReviewFactory()
        login(api_client, review.order.creator)
        url = f"/api_v2/order/review_for_customer/{review.pk}/"
        for _ in range(2):
            response = api_client.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="accept-7")
            assert response.status_code == 200
        review.refresh_from_db()
        assert review.status == ReviewStatus.ACCEPTED
        assert review.history.count() == 1

    def test_a_response_patch_is_replayed(self, api_client: APIClient) -> None:
        review = OrderReviewFactory()
        login(api_client, review.executor)
        url = f"/api_v2/order/review/{review.pk}/"
        body = {"status": "reconciliation", "to_price": "900.00"}
        first = api_client.patch(url, body, format="json", HTTP_IDEMPOTENCY_KEY="p")
        second = api_client.patch(url, body, format="json", HTTP_IDEMPOTENCY_KEY="p")
        assert second.content == first.content
        assert second["Idempotent-Replayed"] == "true"
        assert OrderReview.objects.get(pk=review.pk).history.count() == 1

    def test_order_c_is_replayed(self, api_client: APIClient) -> None:
        order = OrderFactory()  # an organization with a service, client and executor to reuse
        login(api_client, order.organization.creator)
        body = {
            "organization": order.organization_id,
            "description": "Fix the sink",
            "creator": order.organization.creator_id,
            "executor": order.executor_id,
            "service": order.service_id,
            "client": order.client_id,
        }
        first = api_client.post("/orders/order-c/", body, format="json", HTTP_IDEMPOTENCY_KEY="c")
        second = api_client.post("/orders/order-c/", body, format="json", HTTP_IDEMPOTENCY_KEY="c")
        assert first.status_code == 201, first.content
        assert second.content == first.content
        assert Order.objects.count() == 2

    def test_participants_post_replays_its_location(self) -> None:
        client = client_for(hr_user())
        appraisal = AppraisalFactory()
        url = f"/api/appraisals/{appraisal.pk}/participants"
        first = client.post(url, participant_body(), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
        second = client.post(url, participant_body(), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
        assert first.status_code == second.status_code == 201
        assert second["Location"] == first["Location"]
        assert second.content == first.content
        assert AppraisalParticipant.objects.count() == 1

    def test_organization_resources_answer_in_the_product_contract(self, auth_client: APIClient) -> None:
        first = auth_client.post("/api/organizations/", {"name": "Plumbers"}, format="json", HTTP_IDEMPOTENCY_KEY="o")
        again = auth_client.post("/api/organizations/", {"name": "Plumbers"}, format="json", HTTP_IDEMPOTENCY_KEY="o")
        assert again.content == first.content
        assert Organization.objects.count() == 1
        url = f"/api/organizations/{first.json()['id']}/services/"
        auth_client.post(url, {"name": "Repairs"}, format="json", HTTP_IDEMPOTENCY_KEY="s")
        reused = auth_client.post(url, {"name": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="s")
        assert reused.status_code == 422
        assert reused.json() == {**REUSED_001, "code": "idempotency_key_reused"}
        assert Service.objects.count() == 1


def test_the_schema_documents_the_header_and_its_answers() -> None:
    schema = openapi.schema()
    operations = [
        ("post", "/api_v2/order/"),
        ("post", "/orders/order-c/"),
        ("patch", "/api_v2/order/review/{id}/"),
        ("post", "/api_v2/order/review_for_customer/{id}/"),
        ("post", "/api/appraisals/{appraisalId}/participants"),
        ("post", "/api/organizations/"),
        ("post", "/api/organizations/{organization_id}/members/"),
        ("post", "/api/organizations/{organization_id}/services/"),
        ("post", "/api/organizations/{organization_id}/clients/"),
    ]
    for method, path in operations:
        operation = schema["paths"][path][method]
        assert "Idempotency-Key" in [p["name"] for p in operation["parameters"] if p["in"] == "header"], path
        assert {"409", "422"} <= set(operation["responses"]), path
    assert "Idempotency-Key" not in str(schema["paths"]["/api_v2/order/"]["get"])


# --- concurrency on PostgreSQL ------------------------------------------------------------------------------

CONCURRENT = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_posts_with_one_key_create_one_order_and_give_fifty_equal_answers() -> None:
    # given one customer's session, shared by fifty clients
    token_client = client_for(UserFactory())
    authorization = token_client._credentials["HTTP_AUTHORIZATION"]

    def post() -> tuple[int, bytes]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=authorization)
        response = publish(client, "one-key-for-fifty")
        return response.status_code, response.content

    # when fifty retries of one publish arrive at once
    results = run_at_once([post] * CONCURRENT)

    # then one order exists and every answer is the same 201
    assert MarketplaceOrder.objects.count() == 1
    assert {status for status, _ in results} == {201}
    assert len({body for _, body in results}) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_with_one_key_accept_once() -> None:
    order = MarketplaceOrderFactory()
    review = OrderReviewFactory(order=order)
    token_client = client_for(order.creator)
    authorization = token_client._credentials["HTTP_AUTHORIZATION"]

    def accept() -> tuple[int, bytes]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=authorization)
        url = f"/api_v2/order/review_for_customer/{review.pk}/"
        response = client.post(url, {"status": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="accept")
        return response.status_code, response.content

    results = run_at_once([accept] * 10)
    assert {status for status, _ in results} == {200}
    assert len({body for _, body in results}) == 1
    assert review.history.count() == 1

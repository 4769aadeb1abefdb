"""ETag / If-Match: reads carry a strong ETag; a write with a stale one is 412 and changes nothing."""

import json

import pytest
from rest_framework.test import APIClient

from appraisals.models import AppraisalParticipant
from orders.models import Order
from organizations.models import Organization, Service
from reviews.models import OrderReview
from tests.appraisals.conftest import hr_user
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory, b64
from tests.orders.factories import OrderFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.reviews.factories import OrderReviewFactory
from tests.support import openapi
from tests.support.auth import client_for, login
from tests.support.threads import run_at_once

STALE_001 = {
    "detail": "The resource has changed since you read it: If-Match does not match its current ETag. "
    "Read it again and retry."
}
STALE_PRODUCT = {**STALE_001, "code": "precondition_failed"}
JSON_PATCH = "application/json-patch+json"


def participant_url(participant: AppraisalParticipant) -> str:
    return f"/api/appraisals/{participant.appraisal_id}/participants/{participant.pk}"


def patch_participant(client: APIClient, participant: AppraisalParticipant, hint: str, etag: str | None):  # type: ignore[no-untyped-def]
    headers = {} if etag is None else {"HTTP_IF_MATCH": etag}
    body = [{"op": "replace", "path": "/textHint", "value": b64(hint)}]
    return client.generic(
        "PATCH", participant_url(participant), data=json.dumps(body), content_type=JSON_PATCH, **headers
    )


@pytest.mark.django_db
class TestParticipants:
    def test_get_carries_a_strong_etag_that_the_write_moves(self) -> None:
        client = client_for(hr_user())
        participant = AppraisalParticipantFactory()
        read = client.get(participant_url(participant))
        etag = read["ETag"]
        assert etag.startswith('"')
        assert not etag.startswith("W/")
        assert client.get(participant_url(participant))["ETag"] == etag  # stable while nothing changes

        written = patch_participant(client, participant, "new hint", etag)

        assert written.status_code == 200, written.content
        assert written["ETag"] != etag
        assert client.get(participant_url(participant))["ETag"] == written["ETag"]

    def test_a_stale_if_match_is_412_and_changes_nothing(self) -> None:
        client = client_for(hr_user())
        participant = AppraisalParticipantFactory()
        etag = client.get(participant_url(participant))["ETag"]
        patch_participant(client, participant, "first", None)  # someone else's change

        stale = patch_participant(client, participant, "second", etag)

        assert stale.status_code == 412
        assert stale.json() == STALE_001
        assert client.get(participant_url(participant)).json()["textHint"] == b64("first")

    def test_star_and_lists_of_tags_match(self) -> None:
        client = client_for(hr_user())
        participant = AppraisalParticipantFactory()
        etag = client.get(participant_url(participant))["ETag"]
        assert patch_participant(client, participant, "a", f'"other", {etag}').status_code == 200
        assert patch_participant(client, participant, "b", "*").status_code == 200
        assert patch_participant(client, participant, "c", f"W/{etag}").status_code == 412

    def test_put_honours_if_match_and_an_unknown_participant_stays_404(self) -> None:
        from tests.appraisals.conftest import participant_body

        client = client_for(hr_user())
        participant = AppraisalParticipantFactory()
        response = client.put(participant_url(participant), participant_body(), format="json", HTTP_IF_MATCH='"x"')
        assert response.status_code == 412
        missing = f"/api/appraisals/{participant.appraisal_id}/participants/999999"
        assert client.put(missing, participant_body(), format="json", HTTP_IF_MATCH='"x"').status_code == 404


@pytest.mark.django_db
def test_appraisals_honour_if_match() -> None:
    client = client_for(hr_user())
    appraisal = AppraisalFactory()
    url = f"/api/appraisals/{appraisal.pk}"
    etag = client.get(url)["ETag"]
    body = [{"op": "replace", "path": "/title", "value": "Renamed"}]
    ok = client.generic("PATCH", url, data=json.dumps(body), content_type=JSON_PATCH, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok["ETag"] == client.get(url)["ETag"]
    stale = client.generic("PATCH", url, data=json.dumps(body), content_type=JSON_PATCH, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412


@pytest.mark.django_db
def test_organization_orders_honour_if_match(api_client: APIClient) -> None:
    order = OrderFactory()
    login(api_client, order.organization.creator)
    read = api_client.get(f"/orders/order-r/{order.pk}/")
    etag = read["ETag"]
    assert api_client.get(f"/orders/order-r/{order.pk}/{order.organization_id}/")["ETag"] == etag
    body = {"organization": order.organization_id, "description": "Changed"}

    changed = api_client.patch(f"/orders/order-ud/{order.pk}/", body, format="json", HTTP_IF_MATCH=etag)
    stale = api_client.patch(
        f"/orders/order-ud/{order.pk}/", {**body, "description": "Lost"}, format="json", HTTP_IF_MATCH=etag
    )

    assert changed.status_code == 200
    assert changed.json() == {"description": "Changed", "executor": order.executor_id}  # the document's body
    assert changed["ETag"] == api_client.get(f"/orders/order-r/{order.pk}/")["ETag"]
    assert stale.status_code == 412
    assert stale.json() == STALE_001
    assert Order.objects.get(pk=order.pk).description == "Changed"


@pytest.mark.django_db
def test_organization_resources_honour_if_match_in_the_product_contract(api_client: APIClient) -> None:
    organization = OrganizationFactory()
    service = ServiceFactory(organization=organization)
    member = MembershipFactory(organization=organization, role=role("employee"))
    login(api_client, organization.creator)
    base = f"/api/organizations/{organization.pk}/"

    etag = api_client.get(base)["ETag"]
    assert api_client.patch(base, {"name": "A"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = api_client.patch(base, {"name": "B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json() == STALE_PRODUCT
    assert Organization.objects.get(pk=organization.pk).name == "A"

    service_url = f"{base}services/{service.pk}/"
    etag = api_client.get(service_url)["ETag"]
    written = api_client.patch(service_url, {"name": "Repairs"}, format="json", HTTP_IF_MATCH=etag)
    assert written["ETag"] == api_client.get(service_url)["ETag"]
    assert api_client.patch(service_url, {"name": "X"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert Service.objects.get(pk=service.pk).name == "Repairs"

    member_url = f"{base}members/{member.user_id}/"
    first = api_client.patch(member_url, {"role": "manager"}, format="json")
    assert first.status_code == 200, first.content
    second = api_client.patch(member_url, {"role": "employee"}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert second.status_code == 200
    stale = api_client.patch(member_url, {"role": "manager"}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert stale.status_code == 412
    assert stale.json() == STALE_PRODUCT


@pytest.mark.django_db
def test_marketplace_responses_honour_if_match(api_client: APIClient) -> None:
    review = OrderReviewFactory()
    login(api_client, review.executor)
    url = f"/api_v2/order/review/{review.pk}/"
    first = api_client.patch(url, {"to_price": "900.00"}, format="json")
    etag = first["ETag"]
    second = api_client.patch(url, {"to_price": "800.00"}, format="json", HTTP_IF_MATCH=etag)
    stale = api_client.patch(url, {"to_price": "700.00"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 200
    assert stale.status_code == 412
    assert stale.json() == STALE_001
    assert str(OrderReview.objects.get(pk=review.pk).to_price) == "800.00"


@pytest.mark.django_db
def test_without_if_match_writes_behave_as_before(api_client: APIClient) -> None:
    review = OrderReviewFactory()
    login(api_client, review.executor)
    url = f"/api_v2/order/review/{review.pk}/"
    assert api_client.patch(url, {"to_price": "900.00"}, format="json").status_code == 200
    assert api_client.patch(url, {"to_price": "800.00"}, format="json").status_code == 200


def test_the_schema_documents_etag_if_match_and_412() -> None:
    schema = openapi.schema()
    participant = "/api/appraisals/{appraisalId}/participants/{participantId}"
    writes = [
        ("patch", participant),
        ("put", participant),
        ("patch", "/api/appraisals/{appraisalId}"),
        ("put", "/orders/order-ud/{id}/"),
        ("patch", "/orders/order-ud/{id}/"),
        ("patch", "/api/organizations/{organization_id}/"),
        ("patch", "/api/organizations/{organization_id}/members/{user_id}/"),
        ("patch", "/api/organizations/{organization_id}/services/{service_id}/"),
        ("patch", "/api/organizations/{organization_id}/clients/{client_id}/"),
        ("patch", "/api_v2/order/review/{id}/"),
    ]
    for method, path in writes:
        operation = schema["paths"][path][method]
        assert "If-Match" in [p["name"] for p in operation["parameters"]], path
        assert "412" in operation["responses"], path
        assert "ETag" in operation["responses"]["200"]["headers"], path
    for path in (participant, "/orders/order-r/{id}/", "/api/organizations/{organization_id}/services/{service_id}/"):
        assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"], path


# --- two clients, one ETag, on PostgreSQL ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("clients", [2, 10])
def test_clients_patching_one_participant_with_one_etag_get_one_200_and_the_rest_412(clients: int) -> None:
    # given clients that all read the participant
    hr = hr_user()
    participant = AppraisalParticipantFactory()
    apis = [client_for(hr) for _ in range(clients)]
    etag = apis[0].get(participant_url(participant))["ETag"]

    # when they all write their own change with that ETag at once
    codes = run_at_once(
        [
            lambda api=api, i=i: patch_participant(api, participant, f"hint {i}", etag).status_code
            for i, api in enumerate(apis)
        ]
    )

    # then exactly one write is applied
    assert sorted(codes) == [200] + [412] * (clients - 1)
    winner = codes.index(200)
    assert AppraisalParticipant.objects.get(pk=participant.pk).text_hint == b64(f"hint {winner}")

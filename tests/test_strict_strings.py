"""A JSON number (or boolean) where the schema says string is a 400 naming the field, in each endpoint's own error
contract; a string, in JSON or in a form body, works as before."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from accounts.models import User
from appraisals.permissions import HR_INTEGRATION_GROUP
from common.fields import StrictCharField, StrictEmailField, StrictModelSerializer, StrictSlugRelatedField
from organizations.models import Client, Membership
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory
from tests.organizations.factories import ClientFactory, OrganizationFactory, ServiceFactory, role
from tests.partner.factories import partner_service_user
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db

NOT_A_STRING = ["Not a valid string."]


def product_400(**fields: list[str]) -> dict[str, Any]:
    return {"detail": "Invalid input.", "code": "invalid", "fields": fields}


@pytest.mark.parametrize("value", [0, 1.5, True, [], {}])
def test_me_refuses_a_non_string_about(value: Any) -> None:
    user = UserFactory(about="Before")
    api = client_for(user)

    response = api.patch("/api/auth/me/", {"about": value}, format="json")

    assert response.status_code == 400, response.content
    assert response.json() == product_400(about=NOT_A_STRING)
    user.refresh_from_db()
    assert user.about == "Before"


def test_me_takes_strings_in_json_and_in_forms() -> None:
    api = client_for(UserFactory())

    assert api.patch("/api/auth/me/", {"about": "0"}, format="json").json()["about"] == "0"
    assert api.patch("/api/auth/me/", {"about": "42", "phone": "+7999"}, format="multipart").json()["about"] == "42"
    assert api.patch("/api/auth/me/", "about=7&last_name=Ivanov", content_type="application/x-www-form-urlencoded")
    assert api.get("/api/auth/me/").json()["about"] == "7"


def test_registration_and_login_refuse_numbers() -> None:
    api = client_for(UserFactory())

    response = api.post(
        "/api/auth/register/", {"username": 12345, "email": "a@example.com", "password": "pass-Word-123"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["fields"]["username"] == NOT_A_STRING

    response = api.post("/api/auth/token/", {"username": "nobody", "password": 12345678}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"password": NOT_A_STRING}


def test_appraisals_refuse_a_numeric_external_id_in_the_document_shape() -> None:
    hr = UserFactory()
    hr.groups.add(Group.objects.get(name=HR_INTEGRATION_GROUP))
    api = client_for(hr)

    response = api.post("/api/appraisals/", {"title": "Q1", "externalId": 0}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"externalId": NOT_A_STRING}

    response = api.post("/api/appraisals/", {"title": "Q1", "externalId": "0"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["externalId"] == "0"

    participant = AppraisalParticipantFactory(appraisal=AppraisalFactory())
    url = f"/api/appraisals/{participant.appraisal_id}/participants/{participant.pk}"
    response = api.patch(
        url,
        [{"op": "replace", "path": "/participantUserExternalId", "value": 44617}],
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json() == {"participantUserExternalId": NOT_A_STRING}


def test_organization_endpoints_refuse_numbers() -> None:
    role("manager")
    organization = OrganizationFactory()
    api = client_for(organization.creator)
    base = f"/api/organizations/{organization.pk}"

    response = api.post(f"{base}/clients/", {"name": 5, "email": "ivan@example.com"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == product_400(name=NOT_A_STRING)
    response = api.post(f"{base}/clients/", {"name": "Ivan", "email": 5}, format="json")
    assert response.json() == product_400(email=NOT_A_STRING)
    assert not Client.objects.filter(organization=organization).exists()

    response = api.patch(f"{base}/", {"numbers": {"main": 79997772211}}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == product_400(numbers={"main": NOT_A_STRING})

    newcomer = UserFactory()
    response = api.post(f"{base}/members/", {"user": newcomer.pk, "role": 1}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == product_400(role=NOT_A_STRING)
    assert not Membership.objects.filter(user=newcomer).exists()

    response = api.post(f"{base}/clients/", {"name": "5", "phone": "79997772211"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "5"
    assert api.post(f"{base}/clients/", {"name": "Form", "phone": "7999"}).status_code == 201


def test_orders_refuse_a_numeric_description() -> None:
    organization = OrganizationFactory()
    api = client_for(organization.creator)
    body = {
        "organization": organization.pk,
        "description": 0,
        "creator": organization.creator_id,
        "executor": organization.creator_id,
        "client": ClientFactory(organization=organization).pk,
        "service": ServiceFactory(organization=organization).pk,
    }

    response = api.post("/orders/order-c/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"description": NOT_A_STRING}

    response = api.post("/orders/order-c/", {**body, "description": "0"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["description"] == "0"


def test_webhooks_refuse_a_numeric_description() -> None:
    api = client_for(UserFactory())
    body = {"url": "http://127.0.0.1:9/hook", "scope": "user", "event_types": ["review.accepted"]}

    response = api.post("/api/webhooks/", {**body, "description": 7}, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == product_400(description=NOT_A_STRING)

    response = api.post("/api/webhooks/", {**body, "description": "7"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["description"] == "7"


class _ClientInput(StrictModelSerializer):
    class Meta:
        model = Client
        fields = ("name", "phone", "email")


def test_model_serializers_map_text_fields_to_the_strict_ones() -> None:
    fields = _ClientInput().fields
    assert type(fields["name"]) is StrictCharField
    assert type(fields["email"]) is StrictEmailField

    serializer = _ClientInput(data={"name": 1, "phone": "7", "email": ""})
    assert not serializer.is_valid()
    assert serializer.errors == {"name": NOT_A_STRING}
    assert _ClientInput(data={"name": "1", "phone": "7", "email": ""}).is_valid()


def test_slug_related_field_looks_up_strings_only() -> None:
    manager = role("manager")
    field = StrictSlugRelatedField(slug_field="name", queryset=type(manager).objects.all())

    assert field.run_validation("manager") == manager
    with pytest.raises(serializers.ValidationError) as refused:
        field.run_validation(1)
    assert refused.value.detail == NOT_A_STRING


def test_a_blank_client_email_is_documented_as_email_or_empty() -> None:
    organization = OrganizationFactory()
    api = client_for(organization.creator)
    ClientFactory(organization=organization, email="")

    listed = api.get(f"/api/organizations/{organization.pk}/clients/").json()
    assert [client["email"] for client in listed["results"]] == [""]

    schema = SchemaGenerator().get_schema(request=None, public=True)
    email = schema["components"]["schemas"]["ClientOutput"]["properties"]["email"]
    assert email["anyOf"] == [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]


def test_max_length_counts_the_string_as_sent() -> None:
    """The schema's maxLength counts whitespace; DRF trims first, so a padded value used to pass."""
    user = UserFactory(first_name="Anna")
    api = client_for(user)
    limit = User._meta.get_field("first_name").max_length

    response = api.patch("/api/auth/me/", {"first_name": "Maria" + "\u0085" * limit}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"first_name": [f"Ensure this field has no more than {limit} characters."]}
    user.refresh_from_db()
    assert user.first_name == "Anna"
    assert api.patch("/api/auth/me/", {"first_name": " Maria "}, format="json").json()["first_name"] == "Maria"


def test_marketplace_texts_refuse_numbers() -> None:
    api = client_for(UserFactory())

    response = api.post(
        "/api_v2/order/", {"name": 5, "description": "A site.", "price": "10.00", "term": 3}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json() == {"name": NOT_A_STRING}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/GetOrderStatus", {"OrderId": 10, "TheirOrderId": 1}, "TheirOrderId"),
        ("/v1/cancel_order", {"order_ID": 10, "their_order_ID": 1}, "their_order_ID"),
    ],
)
def test_partner_v1_ids_refuse_numbers(path: str, body: dict[str, Any], field: str) -> None:
    response = client_for(partner_service_user()).post(path, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.content.decode()
    assert "Not a valid string." in response.content.decode()

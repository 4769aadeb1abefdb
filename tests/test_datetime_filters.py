"""Date filters take any ISO 8601 offset Python parses; PostgreSQL allows only ±15:59, so they filter in UTC."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from assignments.permissions import DISPATCHERS_GROUP
from tests.accounts.factories import UserFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login
from tests.orders.factories import OrderFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

FAR_OFFSET = "2024-01-01T10:00:00-21:05"  # 2024-01-02T07:05Z


def test_organization_order_list_filters_far_offsets_in_utc(api_client: APIClient) -> None:
    organization = OrganizationFactory()
    OrderFactory(organization=organization, creator=organization.creator, executor=organization.creator)
    login(api_client, organization.creator)
    response = api_client.get(f"/orders/order-l/{organization.pk}/", {"created_after": FAR_OFFSET})
    assert response.status_code == 200, response.content
    assert len(response.json()) == 1  # created now, after 2024-01-02T07:05Z
    response = api_client.get(f"/orders/order-l/{organization.pk}/", {"created_before": FAR_OFFSET})
    assert response.status_code == 200
    assert response.json() == []


def test_assignment_list_filters_far_offsets_in_utc(api_client: APIClient) -> None:
    dispatcher = UserFactory()
    dispatcher.groups.add(Group.objects.get(name=DISPATCHERS_GROUP))
    AssignedOrderFactory()
    login(api_client, dispatcher)
    response = api_client.get("/api/assignments/", {"assigned_from": FAR_OFFSET})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1
    response = api_client.get("/api/assignments/", {"assigned_to": FAR_OFFSET})
    assert response.json()["count"] == 0
    response = api_client.get("/api/assignments/", {"assigned_to": "9999-12-31T23:59:59-23:59"})
    assert response.status_code == 400

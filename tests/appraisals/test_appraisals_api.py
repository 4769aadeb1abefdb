"""Appraisal CRUD at /api/appraisals/ and /api/appraisals/{appraisalId}."""

import json

import pytest
from rest_framework.test import APIClient

from appraisals.models import Appraisal, ParticipantStatus
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory
from tests.support.auth import client_for

pytestmark = pytest.mark.django_db


def test_create_returns_the_appraisal_and_its_location(hr_client: APIClient) -> None:
    body = {"externalId": "APR-1", "title": "Q2 review", "description": "Support team."}

    response = hr_client.post("/api/appraisals/", body, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    appraisal = Appraisal.objects.get()
    assert data["id"] == appraisal.pk
    assert {k: data[k] for k in body} == body
    assert response["Location"] == f"http://testserver/api/appraisals/{appraisal.pk}"
    assert hr_client.get(response["Location"]).json()["title"] == "Q2 review"


def test_create_needs_a_title(hr_client: APIClient) -> None:
    response = hr_client.post("/api/appraisals/", {"externalId": "APR-1"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"title": ["This field is required."]}


def test_duplicate_external_id_is_400(hr_client: APIClient) -> None:
    AppraisalFactory(external_id="APR-1")

    response = hr_client.post("/api/appraisals/", {"externalId": "APR-1", "title": "Again"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"externalId": ["An appraisal with this externalId already exists."]}


def test_list_is_paginated_newest_first_and_filtered(hr_client: APIClient) -> None:
    first, second, third = AppraisalFactory(), AppraisalFactory(), AppraisalFactory(external_id="WANTED")

    response = hr_client.get("/api/appraisals/", {"page_size": 2})

    assert response.json()["count"] == 3
    assert [a["id"] for a in response.json()["results"]] == [third.pk, second.pk]
    filtered = hr_client.get("/api/appraisals/", {"externalId": "WANTED"}).json()
    assert [a["id"] for a in filtered["results"]] == [third.pk]
    Appraisal.objects.filter(pk=first.pk).update(created_at="2020-01-01T00:00:00Z")
    recent = hr_client.get("/api/appraisals/", {"createdFrom": "2021-01-01T00:00:00Z"}).json()
    assert {a["id"] for a in recent["results"]} == {second.pk, third.pk}
    old = hr_client.get("/api/appraisals/", {"createdTo": "2021-01-01T00:00:00Z"}).json()
    assert [a["id"] for a in old["results"]] == [first.pk]
    assert hr_client.get("/api/appraisals/", {"createdFrom": "soon"}).status_code == 400


def test_list_query_count_is_the_same_for_1_and_30_rows(hr_client: APIClient, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    AppraisalFactory()
    # auth (session + user), permissions (user + groups), count, page
    with django_assert_num_queries(5):
        assert hr_client.get("/api/appraisals/").json()["count"] == 1
    AppraisalFactory.create_batch(29)
    with django_assert_num_queries(5):
        assert len(hr_client.get("/api/appraisals/", {"page_size": 30}).json()["results"]) == 30


def test_put_replaces_and_empties_what_is_left_out(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.put(f"/api/appraisals/{appraisal.pk}", {"title": "Renamed"}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    assert response.json()["externalId"] is None
    assert response.json()["description"] == ""
    assert hr_client.put(f"/api/appraisals/{appraisal.pk}/", {}, format="json").status_code == 400


def test_patch_is_json_patch(hr_client: APIClient, appraisal: Appraisal) -> None:
    url = f"/api/appraisals/{appraisal.pk}"
    patch = [
        {"op": "test", "path": "/title", "value": appraisal.title},
        {"op": "replace", "path": "/title", "value": "Final"},
        {"op": "remove", "path": "/description"},
    ]

    response = hr_client.patch(url, data=json.dumps(patch), content_type="application/json-patch+json")

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Final"
    assert response.json()["description"] == ""
    stale = [
        {"op": "test", "path": "/title", "value": appraisal.title},
        {"op": "replace", "path": "/title", "value": "X"},
    ]
    assert hr_client.patch(url, stale, format="json").status_code == 409
    assert hr_client.patch(url, [{"op": "remove", "path": "/title"}], format="json").status_code == 400
    assert hr_client.patch(url, [{"op": "remove", "path": "/id"}], format="json").status_code == 400
    assert hr_client.patch(url, {"title": "merge patch"}, format="json").status_code == 400
    appraisal.refresh_from_db()
    assert appraisal.title == "Final"


def test_delete_an_appraisal_without_participants(hr_client: APIClient, appraisal: Appraisal) -> None:
    response = hr_client.delete(f"/api/appraisals/{appraisal.pk}")

    assert response.status_code == 204
    assert not Appraisal.objects.exists()
    assert hr_client.get(f"/api/appraisals/{appraisal.pk}").status_code == 404


@pytest.mark.parametrize("status", [ParticipantStatus.REQUESTED, ParticipantStatus.DELETED])
def test_an_appraisal_with_participants_is_not_deleted(hr_client: APIClient, appraisal: Appraisal, status) -> None:  # type: ignore[no-untyped-def]
    AppraisalParticipantFactory(appraisal=appraisal, status=status)

    response = hr_client.delete(f"/api/appraisals/{appraisal.pk}")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The appraisal has participants (deleted ones included) and cannot be deleted."
    }
    assert Appraisal.objects.filter(pk=appraisal.pk).exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_unknown_appraisal_is_404(hr_client: APIClient, method: str) -> None:
    body = {"put": {"title": "x"}, "patch": []}.get(method)

    assert getattr(hr_client, method)("/api/appraisals/999999", body, format="json").status_code == 404


def test_outside_the_group_is_403(appraisal: Appraisal) -> None:
    client = client_for(UserFactory())

    assert client.get("/api/appraisals/").status_code == 403
    assert client.get(f"/api/appraisals/{appraisal.pk}").status_code == 403
    assert client.post("/api/appraisals/", {"title": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/appraisals/{appraisal.pk}").status_code == 403
    assert Appraisal.objects.filter(pk=appraisal.pk).exists()

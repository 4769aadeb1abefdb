"""Admin pages, the hr-integration group, demo data and the OpenAPI description of document 003."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from appraisals.permissions import HR_INTEGRATION_GROUP
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalParticipantFactory, b64
from tests.conftest import login

pytestmark = pytest.mark.django_db

APP_PERMISSIONS = {
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("appraisal", "appraisalparticipant")
}


@pytest.fixture
def staff_client(db) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


# --- admin ------------------------------------------------------------------------------------


def test_admin_lists_deleted_participants_too(staff_client: Client) -> None:
    AppraisalParticipantFactory(participant_user_external_id="SU-kept", status=ParticipantStatus.DELETED)

    response = staff_client.get("/admin/appraisals/appraisalparticipant/", {"q": "SU-kept"})

    assert response.status_code == 200
    assert "SU-kept" in response.content.decode()
    filtered = staff_client.get("/admin/appraisals/appraisalparticipant/", {"status__exact": 5})
    assert "SU-kept" in filtered.content.decode()


def test_admin_shows_the_decoded_texts(staff_client: Client) -> None:
    participant = AppraisalParticipantFactory(text_feedback=b64("Тут разные полезные рекомендации"))

    page = staff_client.get(f"/admin/appraisals/appraisalparticipant/{participant.pk}/change/").content.decode()
    appraisal_page = staff_client.get(f"/admin/appraisals/appraisal/{participant.appraisal_id}/change/")

    assert "Тут разные полезные рекомендации" in page
    assert appraisal_page.status_code == 200
    assert "Тут разные полезные рекомендации" in appraisal_page.content.decode()  # participants inline


def test_admin_appraisal_list_and_search(staff_client: Client) -> None:
    AppraisalParticipantFactory(appraisal__title="Findable review")

    response = staff_client.get("/admin/appraisals/appraisal/", {"q": "Findable"})

    assert response.status_code == 200
    assert "Findable review" in response.content.decode()


def test_admin_refuses_bad_base64(staff_client: Client) -> None:
    participant = AppraisalParticipantFactory()
    url = f"/admin/appraisals/appraisalparticipant/{participant.pk}/change/"
    form = {
        "appraisal": participant.appraisal_id,
        "external_id": participant.external_id,
        "participant_user_external_id": participant.participant_user_external_id,
        "date_completed_0": "2018-07-01",
        "date_completed_1": "00:00:00",
        "is_main": "",
        "text_feedback": "not base64",
        "status": 1,
    }

    response = staff_client.post(url, form)

    assert response.status_code == 200  # the form again, with its error
    assert "Enter a valid Base64-encoded UTF-8 string." in response.content.decode()
    participant.refresh_from_db()
    assert participant.text_feedback != "not base64"


# --- the hr-integration group -----------------------------------------------------------------


def test_the_group_holds_every_model_permission_of_the_app() -> None:
    group = Group.objects.get(name=HR_INTEGRATION_GROUP)

    assert set(group.permissions.values_list("codename", flat=True)) == APP_PERMISSIONS


def test_the_data_migration_creates_the_group() -> None:
    Group.objects.filter(name=HR_INTEGRATION_GROUP).delete()
    migration = importlib.import_module("appraisals.migrations.0002_hr_integration_group")

    migration.create_group(apps, SimpleNamespace(connection=connection))  # it only reads the connection alias

    group = Group.objects.get(name=HR_INTEGRATION_GROUP)
    assert set(group.permissions.values_list("codename", flat=True)) == APP_PERMISSIONS
    assert Permission.objects.filter(content_type__app_label="appraisals").count() == len(APP_PERMISSIONS)


# --- demo data --------------------------------------------------------------------------------


def test_seed_demo_is_idempotent_and_gives_hr_a_working_login() -> None:
    call_command("seed_demo")
    counts = (Appraisal.objects.count(), AppraisalParticipant.objects.count())
    call_command("seed_demo")

    assert (Appraisal.objects.count(), AppraisalParticipant.objects.count()) == counts
    statuses = set(AppraisalParticipant.objects.values_list("status", flat=True))
    assert statuses == set(ParticipantStatus.values)
    from accounts.models import User

    hr = User.objects.get(username="hr")
    assert hr.groups.filter(name=HR_INTEGRATION_GROUP).exists()
    client = APIClient()
    login(client, hr, password="demo-pass-2024")
    appraisal = Appraisal.objects.get(external_id="demo-appraisal-2024-q2")
    listed = client.get(f"/api/appraisals/{appraisal.pk}/participants").json()
    assert listed["count"] == 4  # the deleted one is hidden


# --- OpenAPI ----------------------------------------------------------------------------------


@pytest.fixture
def schema(api_client: APIClient) -> dict:
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_documents_json_patch_bodies(schema: dict) -> None:
    operation = schema["paths"]["/api/appraisals/{appraisalId}/participants/{participantId}"]["patch"]
    content = operation["requestBody"]["content"]

    patch_body = content["application/json-patch+json"]["schema"]
    assert patch_body["type"] == "array"
    item = patch_body["items"]
    assert item["required"] == ["op", "path"]
    assert item["properties"]["op"]["enum"] == ["add", "remove", "replace", "move", "copy", "test"]
    assert "/dateCompleted" in item["properties"]["path"]["enum"]
    assert "/id" not in item["properties"]["path"]["enum"]
    assert content["application/json"]["schema"] == patch_body
    assert {"200", "400", "404", "409"} <= set(operation["responses"])


def test_schema_documents_the_location_header_and_the_status_enum(schema: dict) -> None:
    create = schema["paths"]["/api/appraisals/{appraisalId}/participants"]["post"]
    components = schema["components"]["schemas"]

    assert "Location" in create["responses"]["201"]["headers"]
    assert components["AppraisalParticipantOutputStatusEnum"]["enum"] == [1, 2, 3, 4, 5]
    assert components["AppraisalParticipantInputStatusEnum"]["enum"] == [1, 2, 3, 4]
    assert "5 deleted" in components["AppraisalParticipantOutput"]["properties"]["status"]["description"]


def test_schema_uses_the_documents_paths_without_trailing_slash(schema: dict) -> None:
    paths = {path for path in schema["paths"] if path.startswith("/api/appraisals")}

    assert paths == {
        "/api/appraisals/",
        "/api/appraisals/{appraisalId}",
        "/api/appraisals/{appraisalId}/participants",
        "/api/appraisals/{appraisalId}/participants/{participantId}",
    }

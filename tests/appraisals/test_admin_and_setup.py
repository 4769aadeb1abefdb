"""Admin pages, the hr-integration group and demo data of document 003."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from appraisals.errors import APPRAISAL_HAS_PARTICIPANTS
from appraisals.models import Appraisal, AppraisalParticipant, ParticipantStatus
from appraisals.permissions import HR_INTEGRATION_GROUP
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory, b64
from tests.conftest import login
from tests.plans import changelist_plan

pytestmark = pytest.mark.django_db

APP_PERMISSIONS = {
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("appraisal", "appraisalparticipant", "participanthistory")
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


def _participant_form(participant: AppraisalParticipant, prefix: str = "", **overrides: object) -> dict[str, object]:
    """The admin's change form for `participant` as a browser posts it back (its inline row under `prefix`)."""
    form: dict[str, object] = {
        "appraisal": participant.appraisal_id,
        "external_id": participant.external_id,
        "participant_user_external_id": participant.participant_user_external_id,
        "date_completed_0": "2018-07-01",
        "date_completed_1": "00:00:00",
        "is_main": "",
        "text_feedback": participant.text_feedback,
        "status": participant.status,
        **overrides,
    }
    return {f"{prefix}{name}": value for name, value in form.items()}


def test_admin_change_form_cannot_set_a_participants_status(staff_client: Client) -> None:
    # given a participant, and a staff member without the "Mark deleted" route
    participant = AppraisalParticipantFactory(status=ParticipantStatus.PROVIDED)
    url = f"{PARTICIPANTS_URL}{participant.pk}/change/"

    # when the change form is posted with status 5 (deleted) and another status
    deleted = staff_client.post(url, _participant_form(participant, status=ParticipantStatus.DELETED))
    moved = staff_client.post(url, _participant_form(participant, status=ParticipantStatus.REQUESTED))

    # then the rest of the form is saved, the status stays as the services left it
    assert (deleted.status_code, moved.status_code) == (302, 302)
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.PROVIDED
    assert participant.date_completed.isoformat() == "2018-07-01T00:00:00+00:00"
    status_field = staff_client.get(url).context["adminform"].form["status"]
    assert status_field.field.disabled  # shown read-only


def test_admin_appraisal_inline_cannot_set_a_participants_status(staff_client: Client) -> None:
    participant = AppraisalParticipantFactory(status=ParticipantStatus.PROVIDED)
    appraisal = participant.appraisal
    row = _participant_form(participant, prefix="participants-0-", status=ParticipantStatus.DELETED)
    row.pop("participants-0-text_feedback")
    form = {
        "title": appraisal.title,
        "external_id": appraisal.external_id,
        "description": appraisal.description,
        "participants-TOTAL_FORMS": 1,
        "participants-INITIAL_FORMS": 1,
        "participants-MIN_NUM_FORMS": 0,
        "participants-MAX_NUM_FORMS": 1000,
        "participants-0-id": participant.pk,
        **row,
    }

    response = staff_client.post(f"/admin/appraisals/appraisal/{appraisal.pk}/change/", form)

    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.PROVIDED


def test_admin_add_form_refuses_status_5(staff_client: Client) -> None:
    appraisal = AppraisalFactory()
    form = {
        "appraisal": appraisal.pk,
        "participant_user_external_id": "SU-new",
        "date_completed_0": "2018-07-01",
        "date_completed_1": "00:00:00",
        "is_main": "",
        "status": ParticipantStatus.DELETED,
    }

    refused = staff_client.post(f"{PARTICIPANTS_URL}add/", form)
    added = staff_client.post(f"{PARTICIPANTS_URL}add/", {**form, "status": ParticipantStatus.REQUESTED})

    assert refused.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in refused.content.decode()
    assert added.status_code == 302
    assert list(AppraisalParticipant.objects.values_list("status", flat=True)) == [ParticipantStatus.REQUESTED]


# --- admin: nothing is removed for good -------------------------------------------------------

PARTICIPANTS_URL = "/admin/appraisals/appraisalparticipant/"


def _superuser_request():  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    return request


def _changelist_actions(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["action_form"]  # None when no action is available
    return [name for name, _ in form.fields["action"].choices if name] if form else []


def test_admin_never_removes_a_participant(staff_client: Client) -> None:
    participant = AppraisalParticipantFactory()
    model_admin = admin.site._registry[AppraisalParticipant]

    assert model_admin.has_delete_permission(_superuser_request(), participant) is False
    assert _changelist_actions(staff_client, PARTICIPANTS_URL) == ["mark_deleted"]
    assert staff_client.get(f"{PARTICIPANTS_URL}{participant.pk}/delete/").status_code == 403
    assert staff_client.post(f"{PARTICIPANTS_URL}{participant.pk}/delete/", {"post": "yes"}).status_code == 403
    staff_client.post(
        PARTICIPANTS_URL, {"action": "delete_selected", "_selected_action": [participant.pk], "post": "yes"}
    )
    change_page = staff_client.get(f"{PARTICIPANTS_URL}{participant.pk}/change/").content.decode()

    assert AppraisalParticipant.objects.filter(pk=participant.pk, status=participant.status).exists()
    assert f"{participant.pk}/delete/" not in change_page  # no Delete link


def test_admin_mark_deleted_soft_deletes_and_keeps_the_rows_listed(staff_client: Client, hr_client: APIClient) -> None:
    active = AppraisalParticipantFactory(participant_user_external_id="SU-active", status=ParticipantStatus.PROVIDED)
    gone = AppraisalParticipantFactory(participant_user_external_id="SU-gone", status=ParticipantStatus.DELETED)
    other = AppraisalParticipantFactory(participant_user_external_id="SU-other")

    response = staff_client.post(
        PARTICIPANTS_URL, {"action": "mark_deleted", "_selected_action": [active.pk, gone.pk]}, follow=True
    )

    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["1 marked deleted (status 5).", "1 were already deleted and stay as they were."]
    statuses = dict(AppraisalParticipant.objects.values_list("pk", "status"))
    assert statuses == {active.pk: 5, gone.pk: 5, other.pk: ParticipantStatus.REQUESTED}
    listed = staff_client.get(PARTICIPANTS_URL, {"status__exact": 5}).content.decode()
    assert "SU-active" in listed
    assert "SU-gone" in listed
    api = hr_client.get(f"/api/appraisals/{active.appraisal_id}/participants/{active.pk}")
    assert api.status_code == 404  # the same soft delete the API's DELETE makes


def test_admin_mark_deleted_needs_the_delete_permission() -> None:
    participant = AppraisalParticipantFactory()
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_appraisalparticipant", "change_appraisalparticipant"])
    )
    client = Client()
    client.force_login(clerk)

    assert _changelist_actions(client, PARTICIPANTS_URL) == []
    client.post(PARTICIPANTS_URL, {"action": "mark_deleted", "_selected_action": [participant.pk]})

    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.REQUESTED


def test_admin_keeps_an_appraisal_that_has_participants(staff_client: Client) -> None:
    appraisal = AppraisalParticipantFactory(status=ParticipantStatus.DELETED).appraisal
    url = f"/admin/appraisals/appraisal/{appraisal.pk}/"

    # a superuser asking to delete it is told why it stays (not that they lack a permission)
    single = staff_client.post(f"{url}delete/", {"post": "yes"}, follow=True)
    bulk = staff_client.post(
        "/admin/appraisals/appraisal/",
        {"action": "delete_selected", "_selected_action": [appraisal.pk], "post": "yes"},
    )

    assert single.redirect_chain == [(f"{url}change/", 302)]
    assert "was not deleted: " in single.content.decode()
    assert bulk.status_code == 200
    assert "Cannot delete" in bulk.content.decode()
    assert Appraisal.objects.filter(pk=appraisal.pk).exists()


def test_admin_deletes_an_appraisal_without_participants(staff_client: Client) -> None:
    single, first, second = AppraisalFactory(), AppraisalFactory(), AppraisalFactory()

    assert staff_client.post(f"/admin/appraisals/appraisal/{single.pk}/delete/", {"post": "yes"}).status_code == 302
    staff_client.post(
        "/admin/appraisals/appraisal/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert not Appraisal.objects.exists()


def test_admin_delete_refuses_when_a_participant_arrived_after_the_page_was_shown() -> None:
    appraisal = AppraisalFactory()
    model_admin = admin.site._registry[Appraisal]
    request = _superuser_request()
    request.session = {}
    request._messages = FallbackStorage(request)
    assert model_admin.has_delete_permission(request, appraisal)  # what the confirmation page saw
    AppraisalParticipantFactory(appraisal=appraisal)  # then a participant arrives

    model_admin.delete_model(request, appraisal)
    model_admin.delete_queryset(request, Appraisal.objects.filter(pk=appraisal.pk))

    assert Appraisal.objects.filter(pk=appraisal.pk).exists()
    assert [str(message) for message in request._messages] == [
        f"“{appraisal}” was not deleted: {APPRAISAL_HAS_PARTICIPANTS}",
        f"1 kept: {APPRAISAL_HAS_PARTICIPANTS}",
    ]


# --- admin filters are served by indexes -------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("params", "index"),
    [({"status__exact": 5}, "appr_part_status_id_idx"), ({"is_main__exact": 1}, "appr_part_main_id_idx")],
)
def test_admin_participant_filters_read_an_index_in_page_order(
    staff_client: Client, params: dict[str, object], index: str
) -> None:
    appraisal = AppraisalFactory()
    AppraisalParticipantFactory.create_batch(150, appraisal=appraisal)
    AppraisalParticipantFactory.create_batch(2, appraisal=appraisal, status=ParticipantStatus.DELETED, is_main=True)

    plan = changelist_plan(staff_client, PARTICIPANTS_URL, params, AppraisalParticipant._meta.db_table)

    assert index in plan, plan
    assert "Sort" not in plan, plan


# --- the hr-integration group -----------------------------------------------------------------


def test_the_group_holds_every_model_permission_of_the_app() -> None:
    group = Group.objects.get(name=HR_INTEGRATION_GROUP)

    assert set(group.permissions.values_list("codename", flat=True)) == APP_PERMISSIONS


def test_the_data_migration_creates_the_group() -> None:
    Group.objects.filter(name=HR_INTEGRATION_GROUP).delete()
    migration = importlib.import_module("appraisals.migrations.0002_hr_integration_group")

    (create_group,) = migration.Migration.operations
    create_group.code(apps, SimpleNamespace(connection=connection))  # it only reads the connection alias

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

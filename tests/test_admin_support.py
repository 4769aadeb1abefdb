"""Support tasks in the admin, through the test client as staff would do them: each within three clicks of the
index, none able to break an invariant."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import EmailConfirmation, OutgoingEmail, UserSession
from appraisals.models import AppraisalParticipant
from assignments.models import AssignedOrderStatus
from tests.accounts.factories import UserFactory
from tests.appraisals.factories import AppraisalFactory, AppraisalParticipantFactory
from tests.assignments.factories import AssignedOrderFactory
from tests.conftest import login
from tests.orders.factories import OrderFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def _logged_in_api_client() -> tuple[APIClient, UserSession]:
    api = APIClient()
    user = UserFactory()
    login(api, user)
    return api, UserSession.objects.get(user=user)


def test_revoke_selected_sessions_refuses_the_old_token_with_the_documented_403(staff: Client) -> None:
    api, session = _logged_in_api_client()
    assert api.get("/api/auth/me/").status_code == 200

    response = staff.post(
        "/admin/accounts/usersession/", {"action": "revoke_selected", "_selected_action": [str(session.pk)]}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.revoked_at is not None
    refused = api.get("/api/auth/me/")
    assert refused.status_code == 403  # revoked, not "user not found"
    assert UserSession.objects.filter(pk=session.pk).exists()  # the audit row stays


def test_revoke_every_session_of_a_user_from_the_users_list(staff: Client) -> None:
    api, session = _logged_in_api_client()

    staff.post("/admin/accounts/user/", {"action": "revoke_all_sessions", "_selected_action": [session.user_id]})

    assert api.get("/api/auth/me/").status_code == 403


def test_a_users_page_lists_their_sessions_with_user_agent_ip_and_a_revoke_box(staff: Client) -> None:
    _, session = _logged_in_api_client()

    page = staff.get(f"/admin/accounts/user/{session.user_id}/change/").content.decode()

    assert "127.0.0.1" in page
    assert 'name="sessions-0-revoke"' in page


@pytest.mark.parametrize("model", ["usersession", "emailconfirmation", "outgoingemail"])
def test_sessions_codes_and_mail_are_never_added_or_deleted_in_the_admin(staff: Client, model: str) -> None:
    _, session = _logged_in_api_client()
    pk = {
        "usersession": session.pk,
        "emailconfirmation": EmailConfirmation.objects.create(
            user=session.user, code_hash="x", expires_at=timezone.now()
        ).pk,
        "outgoingemail": OutgoingEmail.objects.create(
            to="a@example.com", subject="s", next_attempt_at=timezone.now()
        ).pk,
    }[model]

    assert staff.get(f"/admin/accounts/{model}/add/").status_code == 403
    assert staff.get(f"/admin/accounts/{model}/{pk}/delete/").status_code == 403
    changelist = staff.get(f"/admin/accounts/{model}/").content.decode()
    assert "delete_selected" not in changelist


def test_organization_orders_are_filtered_searched_and_linked_by_organization(staff: Client) -> None:
    mine = OrderFactory(organization=OrganizationFactory(name="Blue Pharmacy"))
    other = OrderFactory(organization=OrganizationFactory(name="Green Clinic"))

    filtered = staff.get("/admin/orders/order/", {"organization__id__exact": mine.organization_id})
    searched = staff.get("/admin/orders/order/", {"q": "Blue Pharm"})
    organization_page = staff.get(f"/admin/organizations/organization/{mine.organization_id}/change/")

    for response in (filtered, searched):
        assert [order.pk for order in response.context["cl"].result_list] == [mine.pk]
    assert other.organization.name in staff.get("/admin/orders/order/").content.decode()  # the filter offers both
    assert f"/admin/orders/order/?organization__id__exact={mine.organization_id}" in organization_page.content.decode()


def test_organizations_are_picked_by_autocomplete_on_orders(staff: Client) -> None:
    OrganizationFactory(name="Blue Pharmacy")

    found = staff.get(
        "/admin/autocomplete/",
        {"app_label": "orders", "model_name": "order", "field_name": "organization", "term": "blue"},
    )

    assert [result["text"] for result in found.json()["results"]] == ["Blue Pharmacy"]


def test_orders_list_costs_the_same_queries_for_one_and_for_thirty(
    staff: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    OrderFactory()
    staff.get("/admin/orders/order/")  # warm the session and content types
    with django_assert_max_num_queries(12) as one:
        staff.get("/admin/orders/order/")
    OrderFactory.create_batch(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        staff.get("/admin/orders/order/")


def test_deleting_an_appraisal_with_participants_tells_why_instead_of_a_permission_error(staff: Client) -> None:
    participant = AppraisalParticipantFactory()

    response = staff.get(f"/admin/appraisals/appraisal/{participant.appraisal_id}/delete/", follow=True)

    assert response.status_code == 200
    assert "was not deleted" in response.content.decode()
    assert AppraisalParticipant.objects.filter(pk=participant.pk).exists()


def test_a_duplicate_participant_external_id_gets_a_readable_message(staff: Client) -> None:
    existing = AppraisalParticipantFactory(external_id="ext-1")

    response = staff.post(
        "/admin/appraisals/appraisalparticipant/add/",
        {
            "appraisal": AppraisalFactory().pk,
            "participant_user_external_id": "u-2",
            "external_id": existing.external_id,
            "status": 1,
            "is_main": "",
            "request_date": "2026-01-01",
            "request_date_0": "2026-01-01",
            "request_date_1": "10:00:00",
        },
    )

    page = response.content.decode()
    assert "Another participant that is not deleted already has this externalId." in page
    assert "appraisals_participant_active_external_id_uniq" not in page


def test_the_index_shows_what_needs_attention_with_links_to_filtered_lists(staff: Client) -> None:
    OutgoingEmail.objects.create(to="a@example.com", subject="s", next_attempt_at=timezone.now())
    stale = AssignedOrderFactory(status=AssignedOrderStatus.ACQUIRED, acquired_at=timezone.now() - timedelta(days=2))
    AssignedOrderFactory(status=AssignedOrderStatus.ACQUIRED, acquired_at=timezone.now())

    index = staff.get("/admin/")

    items = {item.label: item for item in index.context["attention"]}
    assert items["Mail waiting for delivery"].count == 1
    assert items["Assignments acquired more than a day ago"].count == 1
    for item in items.values():
        assert staff.get(item.url).status_code == 200, item.url
    stale_list = staff.get(items["Assignments acquired more than a day ago"].url)
    assert [order.pk for order in stale_list.context["cl"].result_list] == [stale.pk]


def test_staff_without_the_permission_get_a_page_that_says_what_is_missing(client: Client) -> None:
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_usersession"))
    client.force_login(clerk)

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 403
    assert "permission" in response.content.decode()


#: screens the demo data leaves empty on purpose: a duplicate partner order is an incident, not a demo
EMPTY_IN_THE_DEMO = {"partner.partnerduplicateorder"}


def test_the_demo_data_fills_every_admin_screen(staff: Client) -> None:
    from django.contrib import admin
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())

    for model in list(admin.site._registry):
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        changelist = staff.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
        assert changelist.status_code == 200, label
        rows = list(changelist.context["cl"].result_list)
        if label in EMPTY_IN_THE_DEMO:
            continue
        assert rows, f"{label} is empty in the demo"
        detail = staff.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{rows[0].pk}/change/")
        assert detail.status_code == 200, label


def test_an_order_edited_in_the_admin_follows_the_organizations_rules(staff: Client) -> None:
    order = OrderFactory()
    outsider = UserFactory()
    url = f"/admin/orders/order/{order.pk}/change/"

    refused = staff.post(url, {"description": "changed", "executor": outsider.pk, "done": "on"})
    order.refresh_from_db()
    assert order.description != "changed"
    accepted = staff.post(url, {"description": "changed", "executor": order.executor_id, "done": "on"})

    assert refused.status_code == 200
    assert "executor" in refused.context["adminform"].form.errors
    assert accepted.status_code == 302
    order.refresh_from_db()
    assert (order.description, order.done, order.executor_id) == ("changed", True, order.executor_id)

"""The organizations bootstrap API: members read, holders of the right write; nobody escalates."""

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from orders.models import Order
from organizations.models import Client, Membership, Organization, Role, Service
from organizations.services import DEFAULT_ROLES
from tests.accounts.factories import UserFactory
from tests.orders.factories import OrderFactory
from tests.organizations.factories import ClientFactory, MembershipFactory, OrganizationFactory, ServiceFactory, role
from tests.support.auth import client_for, login

pytestmark = pytest.mark.django_db

# /api/organizations/* is the product's own API: every refusal names its code
FORBIDDEN = {"detail": "You do not have permission to perform this action.", "code": "permission_denied"}
NO_CREDENTIALS = {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
ROLE_BEYOND_RIGHTS = {"detail": "You do not have permission to perform this action.", "code": "role_beyond_rights"}
CREATOR_STAYS = {
    "detail": "The organization's creator stays its owner: their membership cannot be changed or removed.",
    "code": "creator_membership",
}
IN_USE = {"detail": "Orders refer to this object; it cannot be deleted.", "code": "in_use"}


def test_create_makes_me_creator_and_owner(auth_client: APIClient, user: User) -> None:
    response = auth_client.post(
        "/api/organizations/",
        {"name": "Organization2", "address": "Moscow", "numbers": {"main": "+79999999999"}, "links": {"vk": "vk.com"}},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "id",
        "name",
        "description",
        "address",
        "creator",
        "created_at",
        "numbers",
        "links",
        "updated_at",
    }
    assert body["creator"]["id"] == user.pk
    assert body["numbers"] == {"main": "+79999999999"}
    organization = Organization.objects.get(pk=body["id"])
    assert organization.creator == user
    assert Membership.objects.get(organization=organization, user=user).role.name == "owner"


@pytest.mark.parametrize(
    "payload",
    [{}, {"name": ""}, {"name": "x", "numbers": "main"}, {"name": "x", "links": {"": "a"}}, {"name": "x" * 300}],
)
def test_create_validates(auth_client: APIClient, payload: dict) -> None:
    response = auth_client.post("/api/organizations/", payload)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert body["code"] in {"required", "blank", "not_a_dict", "invalid", "max_length"}
    assert set(body["fields"]) <= {"name", "numbers", "links"}
    assert not Organization.objects.exists()


def test_list_shows_only_my_organizations(auth_client: APIClient, user: User) -> None:
    mine = OrganizationFactory(creator=user)
    member_of = MembershipFactory(user=user).organization
    OrganizationFactory()
    body = auth_client.get("/api/organizations/").json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [mine.pk, member_of.pk]


def test_anonymous_and_unconfirmed(api_client: APIClient) -> None:
    response = api_client.get("/api/organizations/")
    assert response.status_code == 401
    assert response.json() == NO_CREDENTIALS
    unconfirmed = UserFactory(confirmed_email=False)
    organization = OrganizationFactory(creator=unconfirmed)
    api = client_for(unconfirmed)
    response = api.get("/api/organizations/")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert api.get(f"/api/organizations/{organization.pk}/members/").json() == FORBIDDEN


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_counts_are_flat(django_assert_num_queries, count: int) -> None:  # type: ignore[no-untyped-def]
    owner = UserFactory()
    organizations = [OrganizationFactory(creator=owner) for _ in range(count)]
    organization = organizations[0]
    for _ in range(count):
        MembershipFactory(organization=organization)
        ServiceFactory(organization=organization)
        ClientFactory(organization=organization)
    api = client_for(owner)
    base = f"/api/organizations/{organization.pk}"
    # session+user, count, page
    with django_assert_num_queries(3):
        assert api.get("/api/organizations/?page_size=100").json()["count"] == count
    # session+user, rights, count, page
    for path, expected in (("members", count + 1), ("services", count), ("clients", count)):
        with django_assert_num_queries(4):
            response = api.get(f"{base}/{path}/?page_size=100")
        assert response.json()["count"] == expected


def test_members_read_holders_of_the_right_write() -> None:
    organization = OrganizationFactory()
    employee = MembershipFactory(organization=organization, role=role("employee")).user
    outsider = UserFactory()
    base = f"/api/organizations/{organization.pk}"
    api = client_for(employee)

    assert api.get(f"{base}/").status_code == 200
    assert api.get(f"{base}/members/").status_code == 200
    assert api.get(f"{base}/services/").status_code == 200
    assert api.get(f"{base}/clients/").status_code == 200
    # an employee holds only the view right
    response = api.patch(f"{base}/", {"name": "Mine now"})
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert api.post(f"{base}/services/", {"name": "Design"}).status_code == 403
    assert api.post(f"{base}/clients/", {"name": "Ivan"}).status_code == 403
    assert api.post(f"{base}/members/", {"user": outsider.pk, "role": "employee"}).status_code == 403
    assert not Service.objects.exists()
    assert not Client.objects.exists()

    # outsiders see nothing
    stranger = client_for(outsider)
    for path in ("/", "/members/", "/services/", "/clients/"):
        response = stranger.get(f"{base}{path}")
        assert response.status_code == 403
        assert response.json() == FORBIDDEN
    assert stranger.get("/api/organizations/999999/").json() == FORBIDDEN


def test_owner_bootstraps_services_clients_and_members() -> None:
    role("manager"), role("employee")
    organization = OrganizationFactory()
    api = client_for(organization.creator)
    base = f"/api/organizations/{organization.pk}"

    response = api.post(f"{base}/services/", {"name": "Programming", "address": "Gdeto v rossii", "phone": "+7951"})
    assert response.status_code == 201, response.content
    service = response.json()
    assert service["organization"]["id"] == organization.pk
    response = api.patch(f"{base}/services/{service['id']}/", {"name": "Design"})
    assert response.json()["name"] == "Design"

    response = api.post(f"{base}/clients/", {"name": "Ivan", "email": "ivan@example.com"})
    assert response.status_code == 201
    client = response.json()
    assert client["organization"] == organization.pk
    assert api.patch(f"{base}/clients/{client['id']}/", {"phone": "+7999"}).json()["phone"] == "+7999"
    response = api.post(f"{base}/clients/", {"name": "Bad", "email": "nope"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "invalid",
        "fields": {"email": ["Enter a valid email address."]},
    }

    newcomer = UserFactory()
    response = api.post(f"{base}/members/", {"user": newcomer.pk, "role": "manager"})
    assert response.status_code == 201
    assert response.json()["role"]["name"] == "manager"
    # twice is a conflict
    response = api.post(f"{base}/members/", {"user": newcomer.pk, "role": "employee"})
    assert response.status_code == 409
    assert response.json() == {"detail": "This user is already a member of the organization.", "code": "already_member"}
    response = api.post(f"{base}/members/", {"user": newcomer.pk, "role": "nope"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "code": "does_not_exist",
        "fields": {"role": ["Object with name=nope does not exist."]},
    }
    response = api.patch(f"{base}/members/{newcomer.pk}/", {"role": "employee"})
    assert response.json()["role"]["name"] == "employee"
    assert api.delete(f"{base}/members/{newcomer.pk}/").status_code == 204
    response = api.delete(f"{base}/members/{newcomer.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Membership matches the given query.", "code": "not_found"}

    # the creator's own membership stays
    response = api.delete(f"{base}/members/{organization.creator_id}/")
    assert response.status_code == 400
    assert response.json() == CREATOR_STAYS
    response = api.patch(f"{base}/members/{organization.creator_id}/", {"role": "employee"})
    assert response.status_code == 400
    assert response.json() == CREATOR_STAYS

    # objects of another organization are 404 here
    foreign = ServiceFactory()
    response = api.get(f"{base}/services/{foreign.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Service matches the given query.", "code": "not_found"}
    assert api.delete(f"{base}/services/{foreign.pk}/").status_code == 404
    assert Service.objects.filter(pk=foreign.pk).exists()
    foreign_client = ClientFactory()
    response = api.patch(f"{base}/clients/{foreign_client.pk}/", {"name": "Mine"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No Client matches the given query.", "code": "not_found"}

    # the paths answer only their documented methods
    assert api.put(f"{base}/services/{service['id']}/", {"name": "Design"}).status_code == 405
    assert api.get(f"{base}/members/{newcomer.pk}/").status_code == 405


def test_nobody_grants_more_than_they_hold() -> None:
    role("employee")
    organization = OrganizationFactory()
    manager = MembershipFactory(organization=organization, role=role("manager")).user
    owner_member = MembershipFactory(organization=organization, role=role("owner")).user
    api = client_for(manager)
    base = f"/api/organizations/{organization.pk}"
    newcomer = UserFactory()
    # a manager lacks the delete right, so cannot hand out the owner role
    response = api.post(f"{base}/members/", {"user": newcomer.pk, "role": "owner"})
    assert response.status_code == 403
    assert response.json() == ROLE_BEYOND_RIGHTS
    assert api.post(f"{base}/members/", {"user": newcomer.pk, "role": "employee"}).status_code == 201
    # nor demote an owner
    response = api.patch(f"{base}/members/{owner_member.pk}/", {"role": "employee"})
    assert response.status_code == 403
    assert response.json() == ROLE_BEYOND_RIGHTS
    assert Membership.objects.get(organization=organization, user=owner_member).role.name == "owner"


def test_services_and_clients_in_use_cannot_be_deleted() -> None:
    order = OrderFactory()
    api = client_for(order.organization.creator)
    base = f"/api/organizations/{order.organization_id}"
    for path in (f"services/{order.service_id}", f"clients/{order.client_id}"):
        response = api.delete(f"{base}/{path}/")
        assert response.status_code == 409
        assert response.json() == IN_USE
    order.delete()
    assert api.delete(f"{base}/services/{order.service_id}/").status_code == 204
    assert api.delete(f"{base}/clients/{order.client_id}/").status_code == 204


def test_roles_list(auth_client: APIClient) -> None:
    role("owner")
    body = auth_client.get("/api/organizations/roles/").json()
    assert {"name": "owner", "can_delete": True}.items() <= next(r for r in body if r["name"] == "owner").items()


def test_default_roles_come_from_a_migration() -> None:
    # given a database without roles (transactional tests elsewhere flush the migration's rows)
    Membership.objects.all().delete()
    Role.objects.all().delete()

    # when the data migration runs
    migration = importlib.import_module("organizations.migrations.0002_default_roles")
    migration.create_default_roles(django_apps, None)
    migration.create_default_roles(django_apps, None)

    # then the default roles exist once each, with the migration's rights equal to the services' defaults
    rights = {
        r.name: {
            "can_view": r.can_view,
            "can_create": r.can_create,
            "can_change": r.can_change,
            "can_delete": r.can_delete,
        }
        for r in Role.objects.all()
    }
    assert rights == DEFAULT_ROLES == migration.DEFAULT_ROLES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_adding_the_same_member_concurrently_is_one_201_and_conflicts() -> None:
    role("employee")
    organization = OrganizationFactory()
    newcomer = UserFactory()
    owners = [MembershipFactory(organization=organization, role=role("owner")).user for _ in range(5)]
    apis = [client_for(owner) for owner in owners]
    statuses: list[int] = []
    barrier = threading.Barrier(len(apis))

    def add(api: APIClient) -> None:
        try:
            barrier.wait()
            response = api.post(
                f"/api/organizations/{organization.pk}/members/", {"user": newcomer.pk, "role": "employee"}
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(api,)) for api in apis]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * (len(apis) - 1)
    assert Membership.objects.filter(organization=organization, user=newcomer).count() == 1


def test_seed_demo_is_idempotent() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    organization = Organization.objects.get(name="Demo Organization")
    counts = [model.objects.filter(organization=organization).count() for model in (Service, Client, Order)]
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    roles = dict(Membership.objects.filter(organization=organization).values_list("user__username", "role__name"))
    assert roles == {"org_owner": "owner", "org_manager": "manager", "org_employee": "employee"}
    # a third service and client that no order names, so the docs' delete examples can succeed on the demo data
    assert counts == [3, 3, 3]
    assert [model.objects.filter(organization=organization).count() for model in (Service, Client, Order)] == counts
    api = APIClient()
    login(api, User.objects.get(username="org_employee"), password="demo-pass-2024")
    response = api.get(f"/orders/order-l/{organization.pk}/")
    assert response.status_code == 200
    assert len(response.json()) == 3


def test_admin_pages_render(admin_client) -> None:  # type: ignore[no-untyped-def]
    order = OrderFactory()
    for url in (
        "/admin/organizations/organization/",
        f"/admin/organizations/organization/{order.organization_id}/change/",
        "/admin/organizations/role/",
        "/admin/organizations/membership/",
        "/admin/organizations/service/",
        "/admin/organizations/client/",
        "/admin/orders/order/",
        f"/admin/orders/order/{order.pk}/change/",
        "/admin/orders/order/?q=abc",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_a_patch_writes_only_what_changed() -> None:
    service = ServiceFactory()
    api = client_for(service.organization.creator)
    url = f"/api/organizations/{service.organization_id}/services/{service.pk}/"
    before = Service.objects.get(pk=service.pk).updated_at

    assert api.patch(url, {"name": service.name}).status_code == 200
    assert Service.objects.get(pk=service.pk).updated_at == before

    assert api.patch(url, {"phone": "+7000"}).json()["phone"] == "+7000"
    assert Service.objects.get(pk=service.pk).updated_at > before

"""Demo data for document 001: an organization with an owner, a manager and an employee, services,
clients and orders. Safe to run again."""

from accounts.demo import ensure_user
from orders.models import Order
from orders.services import order_create
from organizations.models import Client, Membership, Organization, Service
from organizations.services import organization_create, role_get_default

ORGANIZATION_NAME = "Demo Organization"


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    owner = ensure_user(
        username="org_owner", password=password, first_name="Olga", last_name="Owner", phone="+79990000001"
    )
    manager = ensure_user(username="org_manager", password=password, first_name="Maxim", last_name="Manager")
    employee = ensure_user(username="org_employee", password=password, first_name="Elena", last_name="Employee")

    organization = Organization.objects.filter(name=ORGANIZATION_NAME, creator=owner).first()
    if organization is None:
        organization = organization_create(
            creator=owner,
            name=ORGANIZATION_NAME,
            description="A repair shop",
            address="Moscow, Tverskaya 1",
            numbers={"main": "+79999999999"},
            links={"vk": "vk.com/demo-organization"},
        )
    for user, role_name in ((manager, "manager"), (employee, "employee")):
        Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": role_get_default(role_name)}
        )

    services = [
        Service.objects.get_or_create(
            organization=organization, name=name, defaults={"address": "Moscow", "phone": "+79518472961"}
        )[0]
        for name in ("Programming", "Repair", "Consulting")  # no order uses Consulting: the docs delete it
    ]
    clients = [
        Client.objects.get_or_create(organization=organization, name=name, defaults={"phone": phone, "email": email})[0]
        for name, phone, email in (
            ("Petr Petrov", "+79990001122", "petr@example.com"),
            ("Anna Sidorova", "+79990003344", "anna@example.com"),
            ("Ivan Ivanov", "+79990005566", "ivan@example.com"),  # no orders: the docs delete this one
        )
    ]
    demo_orders = (
        ("Build a landing page", owner, manager, clients[0], services[0]),
        ("Fix the laptop", manager, employee, clients[1], services[1]),
        ("Replace the screen", manager, employee, clients[0], services[1]),
    )
    for description, creator, executor, client, service in demo_orders:
        if not Order.objects.filter(organization=organization, description=description).exists():
            order_create(
                organization_id=organization.pk,
                creator=creator,
                executor=executor,
                client=client,
                service=service,
                description=description,
            )
    return [
        ("org_owner", f"creator and owner of organization {organization.pk} (/orders/order-l/{organization.pk}/)"),
        ("org_manager", "organization manager: view, create and change orders"),
        ("org_employee", "organization employee: view orders only"),
    ]

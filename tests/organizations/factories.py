import factory
from factory.django import DjangoModelFactory

from organizations.models import Client, Membership, Organization, Role, Service
from tests.accounts.factories import UserFactory

DEFAULT_ROLES = {
    "owner": {"can_view": True, "can_create": True, "can_change": True, "can_delete": True},
    "manager": {"can_view": True, "can_create": True, "can_change": True, "can_delete": False},
    "employee": {"can_view": True, "can_create": False, "can_change": False, "can_delete": False},
}


def role(name: str, **rights: bool) -> Role:
    """A default role by name (transactional tests flush the migration's rows), or a custom one with `rights`."""
    defaults = {**DEFAULT_ROLES.get(name, {}), **rights}
    obj, _ = Role.objects.update_or_create(name=name, defaults=defaults)
    return obj


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organization{n}")
    description = factory.LazyAttribute(lambda o: o.name)
    address = factory.LazyAttribute(lambda o: o.name)
    creator = factory.SubFactory(UserFactory)
    numbers = factory.LazyFunction(lambda: {"main": "+79999999999"})
    links = factory.LazyFunction(lambda: {"vk": "vk.com"})

    @factory.post_generation
    def owner_membership(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            Membership.objects.get_or_create(organization=self, user=self.creator, defaults={"role": role("owner")})


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = factory.LazyFunction(lambda: role("employee"))


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Service{n}")
    address = "Gdeto v rossii"
    phone = "+79518472961"
    organization = factory.SubFactory(OrganizationFactory)


class ClientFactory(DjangoModelFactory[Client]):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client{n}")
    phone = "+79990001122"
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    organization = factory.SubFactory(OrganizationFactory)

import factory
from factory.django import DjangoModelFactory

from orders.models import Order, generate_order_code
from tests.organizations.factories import ClientFactory, OrganizationFactory, ServiceFactory


class OrderFactory(DjangoModelFactory[Order]):
    """An organization order (document 001): creator and executor default to the organization's creator."""

    class Meta:
        model = Order

    order_code = factory.LazyFunction(generate_order_code)
    description = factory.Sequence(lambda n: f"Order {n}")
    organization = factory.SubFactory(OrganizationFactory)
    creator = factory.LazyAttribute(lambda o: o.organization.creator)
    executor = factory.LazyAttribute(lambda o: o.organization.creator)
    service = factory.SubFactory(ServiceFactory, organization=factory.SelfAttribute("..organization"))
    client = factory.SubFactory(ClientFactory, organization=factory.SelfAttribute("..organization"))

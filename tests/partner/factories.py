import factory
from django.contrib.auth.models import Group, Permission
from factory.django import DjangoModelFactory

from accounts.models import User
from partner.models import OutboxEvent, PartnerOrder, StatusId
from partner.permissions import PARTNER_API_GROUP
from tests.accounts.factories import UserFactory


def partner_service_user(**kwargs: object) -> User:
    """A confirmed account in the partner-integration group (as the demo data sets it up)."""
    group, _ = Group.objects.get_or_create(name=PARTNER_API_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="partner", codename="use_partner_api"))
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user


class PartnerOrderFactory(DjangoModelFactory[PartnerOrder]):
    class Meta:
        model = PartnerOrder

    order_id = factory.Sequence(lambda n: 900000 + n)
    their_order_id = factory.Sequence(lambda n: str(700000 + n))
    their_pharmacy_id = "1086"
    order_type = 2
    client = factory.LazyFunction(lambda: {"name": "Test", "phone": "79997772211", "email": ""})
    items = factory.LazyFunction(lambda: [{"their_id": "58", "price": "10.00", "count": 1}])
    status_id = StatusId.CREATED
    their_status_id = "created"


class OutboxEventFactory(DjangoModelFactory[OutboxEvent]):
    class Meta:
        model = OutboxEvent

    event_type = OutboxEvent.EventType.STATUS_CHANGED
    order = factory.SubFactory(PartnerOrderFactory)
    payload = factory.LazyAttribute(
        lambda o: {
            "event": o.event_type,
            "order_id": o.order.order_id,
            "their_order_id": o.order.their_order_id,
            "status_id": o.order.status_id,
        }
    )

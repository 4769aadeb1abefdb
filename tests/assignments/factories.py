import factory
from factory.django import DjangoModelFactory

from assignments.models import AssignedOrder, AssignedOrderStatus


class AssignedOrderFactory(DjangoModelFactory[AssignedOrder]):
    """A row as the service would leave it; pass status and the matching timestamp for other states."""

    class Meta:
        model = AssignedOrder

    order_id = factory.Sequence(lambda n: f"ord-{n}")
    executor_id = factory.Sequence(lambda n: f"exec-{n}")
    zone_id = "zone-north"
    status = AssignedOrderStatus.ASSIGNED

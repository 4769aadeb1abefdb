from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from common.order_codes import generate_order_code
from reviews.models import MarketplaceOrder, OrderReview, ReviewStatus
from tests.accounts.factories import UserFactory


class MarketplaceOrderFactory(DjangoModelFactory[MarketplaceOrder]):
    """An open marketplace order (document 000): a customer (creator), no executor."""

    class Meta:
        model = MarketplaceOrder

    order_code = factory.LazyFunction(generate_order_code)
    creator = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Marketplace order {n}")
    description = factory.Faker("sentence")
    price = Decimal("1000.00")
    term = 7


class OrderReviewFactory(DjangoModelFactory[OrderReview]):
    class Meta:
        model = OrderReview

    order = factory.SubFactory(MarketplaceOrderFactory)
    executor = factory.SubFactory(UserFactory)
    status = ReviewStatus.LOOKED


def review_in_status(status: str, **kwargs: object) -> OrderReview:
    """A response in `status` with its order in the matching state (taken once accepted, done when done)."""
    review = OrderReviewFactory(status=status, **kwargs)
    if status in (ReviewStatus.ACCEPTED, ReviewStatus.IN_PROGRESS, ReviewStatus.DONE):
        review.order.executor = review.executor
        review.order.done = status == ReviewStatus.DONE
        review.order.customer_score = 5 if status == ReviewStatus.DONE else None
        review.order.save()
    return review

"""Demo marketplace: a customer, several executors and orders in every stage, a cancelled one too (idempotent)."""

from decimal import Decimal

from accounts.demo import ensure_user
from accounts.models import User
from reviews import services
from reviews.models import MarketplaceOrder, OrderReview, ReviewStatus

CUSTOMER = "mp_customer"
EXECUTORS = ("mp_executor1", "mp_executor2", "mp_executor3")


def _order(customer: User, name: str, price: int, term: int) -> MarketplaceOrder:
    existing = MarketplaceOrder.objects.filter(creator=customer, name=name).first()
    if existing is not None:
        return existing
    return services.order_create(
        customer=customer,
        name=name,
        description=f"Demo marketplace order: {name.lower()}.",
        price=Decimal(price),
        term=term,
    )


_WORKFLOW: list[str] = [ReviewStatus.ACCEPTED, ReviewStatus.IN_PROGRESS, ReviewStatus.DONE]


def _move(review: OrderReview, customer: User, *targets: str, score: int | None = None) -> None:
    """Walk the response through `targets`, skipping the steps an earlier run already took."""
    for target in targets:
        review.refresh_from_db()
        if review.status in _WORKFLOW and _WORKFLOW.index(review.status) >= _WORKFLOW.index(target):
            continue
        services.review_set_status_by_customer(
            review_id=review.pk, customer=customer, status=target, customer_score=score if target == "done" else None
        )


def seed_demo(*, password: str) -> list[tuple[str, str]]:
    customer = ensure_user(username=CUSTOMER, password=password, first_name="Marta", last_name="Customer")
    executors = [
        ensure_user(username=name, password=password, first_name=f"Executor {i}", about="Web developer")
        for i, name in enumerate(EXECUTORS, start=1)
    ]
    e1, e2, e3 = executors

    # Open, nobody looked yet.
    _order(customer, "Logo for a bakery", 5000, 3)
    # Open, two executors looked, one negotiates.
    negotiated = _order(customer, "Landing page", 15000, 7)
    services.review_open(order=negotiated, executor=e1)
    review = services.review_open(order=negotiated, executor=e2)
    if review.status == ReviewStatus.LOOKED:
        services.review_update_by_executor(
            review_id=review.pk, executor=e2, data={"status": "reconciliation", "to_price": Decimal(17000)}
        )
    # Accepted: the other response got rejected.
    accepted = _order(customer, "Online shop", 90000, 30)
    reviews = [services.review_open(order=accepted, executor=e) for e in (e1, e3)]
    _move(reviews[0], customer, "accepted")
    # In progress.
    started = _order(customer, "Mobile app design", 40000, 14)
    _move(services.review_open(order=started, executor=e2), customer, "accepted", "in_progress")
    # Done and scored.
    finished = _order(customer, "Company blog", 25000, 10)
    _move(services.review_open(order=finished, executor=e3), customer, "accepted", "in_progress", "done", score=5)
    # Cancelled by the customer: the open response is rejected with the reason (created last: the examples name
    # orders 1 to 5 and their responses by id).
    cancelled = _order(customer, "Menu translation", 3000, 2)
    services.review_open(order=cancelled, executor=e3)
    if MarketplaceOrder.objects.filter(pk=cancelled.pk, cancelled_at__isnull=True).exists():
        services.order_cancel_by_customer(order_id=cancelled.pk, customer=customer, reason="Translated it myself.")
    return [
        (CUSTOMER, "marketplace customer: GET /api_v2/order/mine/"),
        *((e.username, "marketplace executor: GET /api_v2/order/") for e in executors),
    ]

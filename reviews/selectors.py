"""Every read of marketplace orders and responses; joins and prefetches are decided here."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from reviews import errors
from reviews.models import (
    OPEN_ORDER,
    WORKING_STATUSES,
    MarketplaceOrder,
    OrderReview,
    OrderReviewStatusChange,
    ReviewStatus,
)

#: Where selectors attach the responses shown as `order_in_order_review`.
VISIBLE_REVIEWS_ATTR = "visible_reviews"


#: The columns the marketplace shapes read; the rest of an order and of its users stay in the database.
# the whole profile (executor_profile() reads all three): a deferred column would cost a query per row
_USER_COLUMNS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "avatar",
    "executor_profile__rating",
    "executor_profile__level",
    "executor_profile__balls",
)
_ORDER_COLUMNS = (
    "id",
    "order_code",
    "name",
    "description",
    "price",
    "term",
    "deadline",
    "customer_score",
    "done",
    "cancelled_at",
    "cancel_reason",
    "creator_id",
    "executor_id",
    "created_at",
    "updated_at",
    *(f"creator__{column}" for column in _USER_COLUMNS),
    *(f"executor__{column}" for column in _USER_COLUMNS),
)

_REVIEW_COLUMNS = ("id", "order_id", "executor_id", "status", "to_price", "to_deadline", "cancel_reason", "show")
_EXECUTOR_COLUMNS = (
    *_USER_COLUMNS,
    "email",
    "about",
    "phone",
)


def marketplace_orders() -> QuerySet[MarketplaceOrder]:
    return MarketplaceOrder.objects.select_related("creator__executor_profile", "executor__executor_profile").only(
        *_ORDER_COLUMNS
    )


def order_feed(*, user: User) -> QuerySet[MarketplaceOrder]:
    """Open marketplace orders for an executor: no executor yet, not done, not cancelled, not mine, not hidden by me.

    An order is hidden by me when my response to it has show=false or is rejected.
    """
    hidden_by_me = OrderReview.objects.filter(order=OuterRef("pk"), executor=user).filter(
        Q(show=False) | Q(status=ReviewStatus.REJECTED)
    )
    return (
        marketplace_orders()
        .filter(OPEN_ORDER)
        .exclude(creator=user)
        .exclude(Exists(hidden_by_me))
        .order_by("-created_at", "-id")
    )


def orders_of_customer(*, user: User) -> QuerySet[MarketplaceOrder]:
    return marketplace_orders().filter(creator=user).order_by("-created_at", "-id")


def orders_for_personal_area(*, user: User) -> QuerySet[MarketplaceOrder]:
    """Orders the user won: their response is accepted, in_progress or done; it is attached to each order."""
    mine = OrderReview.objects.filter(executor=user)
    won = mine.filter(order=OuterRef("pk"), status__in=WORKING_STATUSES)
    return (
        marketplace_orders()
        .filter(Exists(won))
        .prefetch_related(Prefetch("reviews", queryset=mine, to_attr=VISIBLE_REVIEWS_ATTR))
        .order_by("-created_at", "-id")
    )


def order_get(*, order_id: int) -> MarketplaceOrder:
    try:
        return marketplace_orders().get(pk=order_id)
    except MarketplaceOrder.DoesNotExist as exc:
        raise errors.order_not_found() from exc


def order_attach_visible_reviews(*, order: MarketplaceOrder, user: User) -> MarketplaceOrder:
    """The customer sees every response to the order; anyone else sees only their own."""
    reviews = OrderReview.objects.filter(order=order)
    if order.creator_id != user.pk:
        reviews = reviews.filter(executor=user)
    setattr(order, VISIBLE_REVIEWS_ATTR, list(reviews.order_by("id")))
    return order


def reviews_by_order(*, order_id: int, user: User) -> QuerySet[OrderReview]:
    """Responses to one of my orders, each with its executor (the customer only; others get 403)."""
    order = marketplace_orders().filter(pk=order_id).values("creator_id").first()
    if order is None:
        raise errors.order_not_found()
    if order["creator_id"] != user.pk:
        raise errors.not_order_customer()
    return (
        OrderReview.objects.filter(order_id=order_id)
        .select_related("executor__executor_profile")
        .only(*_REVIEW_COLUMNS, *(f"executor__{column}" for column in _EXECUTOR_COLUMNS))
        .order_by("id")
    )


def review_history(*, review_id: int, user: User) -> QuerySet[OrderReviewStatusChange]:
    """The recorded changes of a response: for its executor and the order's customer, else 404."""
    visible = OrderReview.objects.filter(pk=review_id).filter(Q(executor=user) | Q(order__creator=user)).exists()
    if not visible:
        raise errors.review_not_found()
    return OrderReviewStatusChange.objects.filter(review_id=review_id).select_related("actor").order_by("id")

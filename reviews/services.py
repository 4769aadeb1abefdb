"""Every state change of marketplace orders and executors' responses (document 000)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone

from accounts.models import User
from common.order_codes import create_with_order_code, generate_order_code
from common.services import model_update
from reviews import errors, selectors
from reviews.events import (
    marketplace_order_event,
    marketplace_order_history_record,
    review_event,
    reviews_auto_rejected_events,
)
from reviews.models import (
    EXECUTOR_LOCKED_STATUSES,
    OPEN_STATUSES,
    ExecutorProfile,
    MarketplaceOrder,
    MarketplaceOrderAction,
    OrderReview,
    OrderReviewStatusChange,
    ReviewStatus,
)
from reviews.transitions import REVIEW_MACHINE, Actor

EXECUTOR_EDITABLE_FIELDS = ("to_price", "to_deadline", "cancel_reason", "show")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _recorder(review: OrderReview, *, actor: User, changes: dict[str, list[Any]] | None = None, note: str = "") -> Any:
    """The history writer `REVIEW_MACHINE.move` calls with the status the response left."""

    def record(from_status: str | None) -> OrderReviewStatusChange:
        change = OrderReviewStatusChange.objects.create(
            review=review,
            actor=actor,
            from_status=from_status,
            to_status=review.status,
            changes=changes or {},
            note=note,
        )
        review_event(review, actor=actor, from_status=from_status, changes=changes, note=note)
        return change

    return record


@transaction.atomic
def order_create(
    *,
    customer: User,
    name: str,
    description: str,
    price: Decimal,
    term: int,
    deadline: datetime.datetime | None = None,
    generate_code: Any = generate_order_code,
) -> MarketplaceOrder:
    """Publish a marketplace order: the customer is its creator (409 after repeated order-code collisions).

    Returns it as `GET /api_v2/order/{id}/` shows it to the customer: read back with its joins, responses attached.
    """
    order = create_with_order_code(
        MarketplaceOrder,
        generate_code=generate_code,
        creator=customer,
        name=name,
        description=description,
        price=price,
        term=term,
        deadline=deadline,
    )
    marketplace_order_event(order=order)
    return selectors.order_attach_visible_reviews(order=selectors.order_get(order_id=order.pk), user=customer)


def order_open(*, order_id: int, user: User) -> MarketplaceOrder:
    """`GET /api_v2/order/{id}/`: the order with the responses the user may see attached.

    For anyone but the customer, the first view creates their response (`review_open`), which is then the one
    they see.
    """
    order = selectors.order_attach_visible_reviews(order=selectors.order_get(order_id=order_id), user=user)
    if order.creator_id != user.pk and not getattr(order, selectors.VISIBLE_REVIEWS_ATTR):
        setattr(order, selectors.VISIBLE_REVIEWS_ATTR, [review_open(order=order, executor=user)])
    return order


def review_open(*, order: MarketplaceOrder, executor: User) -> OrderReview:
    """The executor's response to `order`, created with status `looked` on their first view.

    Only an open order (no executor, not done, not cancelled) gets new responses. Concurrent first views are safe:
    the order row is locked while the response is created, so an accept cannot slip in between, and
    (order, executor) is unique, so a duplicate is never stored.
    """
    existing = OrderReview.objects.filter(order=order, executor=executor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            locked = MarketplaceOrder.objects.select_for_update().get(pk=order.pk)
            existing = OrderReview.objects.filter(order=locked, executor=executor).first()
            if existing is not None:
                return existing
            if locked.executor_id is not None or locked.done or locked.cancelled_at is not None:
                raise errors.order_not_found()
            review = OrderReview.objects.create(order=locked, executor=executor, status=ReviewStatus.LOOKED)
            _recorder(review, actor=executor, note="first view of the order")(None)
            return review
    except IntegrityError:  # a concurrent first view stored it first
        return OrderReview.objects.get(order=order, executor=executor)


@transaction.atomic
def review_update_by_executor(*, review_id: int, executor: User, data: dict[str, Any]) -> OrderReview:
    """The executor negotiates (to_price, to_deadline, reconciliation), hides (show) or declines their response.

    Locked once the response is rejected, accepted, in_progress or done: any change is refused (409).
    """
    review = OrderReview.objects.select_for_update().filter(pk=review_id, executor=executor).first()
    if review is None:
        raise errors.review_not_found()
    if review.status in EXECUTOR_LOCKED_STATUSES:
        raise errors.response_locked(review.status)
    to_status = data.get("status", review.status)
    REVIEW_MACHINE.check(by=Actor.EXECUTOR, from_state=review.status, to_state=to_status)

    # set, not saved: the move below writes them with the status, in one UPDATE
    review, changed = model_update(instance=review, fields=EXECUTOR_EDITABLE_FIELDS, data=data, save=False)
    changes = {field: [_jsonable(old), _jsonable(new)] for field, (old, new) in changed.items()}
    if to_status == review.status and not changes:
        return review
    REVIEW_MACHINE.move(
        review, by=Actor.EXECUTOR, to=to_status, also=changes, record=_recorder(review, actor=executor, changes=changes)
    )
    return review


def _review_for_customer(*, review_id: int, customer: User) -> OrderReview:
    review = OrderReview.objects.select_related("order").filter(pk=review_id).first()
    if review is None:
        raise errors.review_not_found()
    if review.order.creator_id != customer.pk:
        if review.executor_id == customer.pk:
            raise errors.not_order_customer()
        raise errors.review_not_found()
    return review


@transaction.atomic
def review_set_status_by_customer(
    *, review_id: int, customer: User, status: str, customer_score: int | None = None
) -> OrderReview:
    """The customer accepts, rejects, starts or finishes a response, under a lock on the order row.

    accepted: the response is accepted, order.executor is its executor, and every other open response
    (looked, reconciliation) is rejected in one UPDATE; a second accept on the order is a 409.
    done: the order is done with customer_score, and the executor's rating becomes the mean of their scores.
    """
    review = _review_for_customer(review_id=review_id, customer=customer)
    order = MarketplaceOrder.objects.select_for_update().get(pk=review.order_id)
    review = OrderReview.objects.select_for_update().get(pk=review.pk)

    if order.cancelled_at is not None:
        raise errors.order_cancelled()
    if status == ReviewStatus.ACCEPTED:
        if order.done:
            raise errors.order_done()
        if order.executor_id is not None:
            raise errors.order_taken()
    REVIEW_MACHINE.move(review, by=Actor.CUSTOMER, to=status, record=_recorder(review, actor=customer))

    if status == ReviewStatus.ACCEPTED:
        _reject_other_open_reviews(order=order, accepted=review, customer=customer)
        order.executor_id = review.executor_id
        order.save(update_fields=["executor", "updated_at"])
    elif status == ReviewStatus.DONE:
        order.done = True
        order.customer_score = customer_score
        order.save(update_fields=["done", "customer_score", "updated_at"])
        _refresh_executor_rating(executor_id=review.executor_id)
    return review


def _reject_other_open_reviews(*, order: MarketplaceOrder, accepted: OrderReview, customer: User) -> None:
    others = OrderReview.objects.filter(order=order, status__in=OPEN_STATUSES).exclude(pk=accepted.pk)
    # Lock them in primary-key order so the recorded "from" status is the one the UPDATE overwrites.
    previous = list(others.select_for_update().order_by("pk").values_list("pk", "status"))
    if not previous:
        return
    OrderReview.objects.filter(pk__in=[pk for pk, _ in previous]).update(
        status=ReviewStatus.REJECTED, updated_at=timezone.now()
    )
    OrderReviewStatusChange.objects.bulk_create(
        OrderReviewStatusChange(
            review_id=pk,
            actor=customer,
            from_status=from_status,
            to_status=ReviewStatus.REJECTED,
            note=f"response #{accepted.pk} was accepted",
        )
        for pk, from_status in previous
    )
    reviews_auto_rejected_events(
        order=order, previous=previous, customer=customer, note=f"response #{accepted.pk} was accepted"
    )


def _refresh_executor_rating(*, executor_id: int) -> None:
    # Lock the executor's profile so two orders finished at once both count in the mean.
    profile, _ = ExecutorProfile.objects.select_for_update().get_or_create(user_id=executor_id)
    mean = MarketplaceOrder.objects.filter(executor_id=executor_id, customer_score__isnull=False).aggregate(
        mean=Avg("customer_score")
    )["mean"]
    profile.rating = float(mean or 0)
    profile.save(update_fields=["rating", "updated_at"])


ORDER_EDITABLE_FIELDS = ("name", "description", "price", "term", "deadline")


@transaction.atomic
def order_edit_by_customer(*, order_id: int, customer: User, data: dict[str, Any]) -> MarketplaceOrder:
    """The customer changes name, description, price, term or deadline of an order nobody was accepted for.

    Under the order row's lock, the lock an accept takes first: an edit and an accept run one after the other,
    so an executor is never accepted for terms they did not see. Not their order: 404; taken, done or cancelled:
    409. A change is recorded (history row and `marketplace_order.updated` with the fields' old and new values).
    """
    order = MarketplaceOrder.objects.select_for_update().filter(pk=order_id, creator=customer).first()
    if order is None:
        raise errors.order_not_found()
    if order.cancelled_at is not None:
        raise errors.order_cancelled()
    if order.done:
        raise errors.order_done()
    if order.executor_id is not None:
        raise errors.order_taken()
    _, changed = model_update(instance=order, fields=ORDER_EDITABLE_FIELDS, data=data)
    if changed:
        changes = {field: [_jsonable(old), _jsonable(new)] for field, (old, new) in changed.items()}
        marketplace_order_history_record(order=order, action=MarketplaceOrderAction.UPDATED, changes=changes)
    return selectors.order_attach_visible_reviews(order=selectors.order_get(order_id=order.pk), user=customer)


#: the responses a cancellation concerns: the open ones and the accepted one (in_progress makes it a 409)
_CANCELLABLE_STATUSES = (*OPEN_STATUSES, ReviewStatus.ACCEPTED, ReviewStatus.IN_PROGRESS)


@transaction.atomic
def order_cancel_by_customer(*, order_id: int, customer: User, reason: str = "") -> MarketplaceOrder:
    """The customer cancels their order before the work starts: every open response and the accepted one (if
    any) become rejected with the reason in their history note, the order has no executor and leaves the feed
    for good; newcomers can no longer open it (404), and its responses take no more changes or decisions (409).

    Locks the order row, then its responses in primary-key order, as an accept does, so a cancel and an accept
    (or a start, a withdraw, an edit) run one after the other and the second one sees the first one's outcome.
    Not their order: 404; already cancelled, done, or work in progress: 409.
    """
    order = MarketplaceOrder.objects.select_for_update().filter(pk=order_id, creator=customer).first()
    if order is None:
        raise errors.order_not_found()
    if order.cancelled_at is not None:
        raise errors.order_cancelled()
    if order.done:
        raise errors.order_done()
    concerned = list(
        OrderReview.objects.filter(order=order, status__in=_CANCELLABLE_STATUSES)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", "status", "executor_id")
    )
    if any(status == ReviewStatus.IN_PROGRESS for _, status, _ in concerned):
        raise errors.work_started()
    for _, status, _ in concerned:
        REVIEW_MACHINE.check(by=Actor.CANCELLATION, from_state=status, to_state=ReviewStatus.REJECTED)

    note = f"order cancelled: {reason}" if reason else "order cancelled"
    now = timezone.now()
    if concerned:
        OrderReview.objects.filter(pk__in=[pk for pk, _, _ in concerned]).update(
            status=ReviewStatus.REJECTED, updated_at=now
        )
        OrderReviewStatusChange.objects.bulk_create(
            OrderReviewStatusChange(
                review_id=pk, actor=customer, from_status=status, to_status=ReviewStatus.REJECTED, note=note[:255]
            )
            for pk, status, _ in concerned
        )
        reviews_auto_rejected_events(
            order=order,
            previous=[(pk, status) for pk, status, _ in concerned],
            customer=customer,
            note=note,
            executors={pk: executor_id for pk, _, executor_id in concerned},
            extra={"order_cancelled": True, "reason": reason},
        )
    executor_id = order.executor_id
    order.cancelled_at, order.cancel_reason, order.executor_id = now, reason, None
    order.save(update_fields=["cancelled_at", "cancel_reason", "executor", "updated_at"])
    marketplace_order_history_record(
        order=order,
        action=MarketplaceOrderAction.CANCELLED,
        note=reason,
        changes={"executor_id": [executor_id, None]} if executor_id is not None else None,
        data={"reason": reason, "rejected_review_ids": [pk for pk, _, _ in concerned]},
    )
    return selectors.order_attach_visible_reviews(order=selectors.order_get(order_id=order.pk), user=customer)


@transaction.atomic
def review_withdraw_by_executor(*, review_id: int, executor: User, cancel_reason: str | None = None) -> OrderReview:
    """The executor withdraws their accepted response before the work starts: the response becomes rejected and
    the order reopens (no executor), so the customer may accept another response and new executors may respond.

    Locks the order row, then the response, as an accept and a start do: a withdraw racing a start runs after it
    (and is refused, the work having started) or before it (and the start is refused). Not theirs: 404.
    """
    review = OrderReview.objects.filter(pk=review_id, executor=executor).first()
    if review is None:
        raise errors.review_not_found()
    order = MarketplaceOrder.objects.select_for_update().get(pk=review.order_id)
    review = OrderReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.ACCEPTED:
        raise errors.not_accepted(review.status)
    changes: dict[str, list[Any]] = {}
    if cancel_reason is not None and cancel_reason != review.cancel_reason:
        changes["cancel_reason"] = [review.cancel_reason, cancel_reason]
        review.cancel_reason = cancel_reason
    recorder = _recorder(review, actor=executor, changes=changes, note="withdrawn by the executor")
    REVIEW_MACHINE.move(
        review, by=Actor.EXECUTOR, to=ReviewStatus.REJECTED, also=["cancel_reason"] if changes else [], record=recorder
    )
    order.executor_id = None
    order.save(update_fields=["executor", "updated_at"])
    return review

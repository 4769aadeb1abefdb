"""Every state change of organization orders (document 001), with the organization's rules on who and what an
order names: its executor is a member (or the creator) of the organization, its client and service are the
organization's, and a creator acting through the API creates in their own name."""

from collections.abc import Callable

from django.db import transaction

from accounts.models import User
from common.order_codes import ORDER_CODE_ATTEMPTS, OrderCodeUnavailableError, create_with_order_code
from common.services import model_update
from orders import errors
from orders.errors import OrderErrorCode, OrderRulesError, OrderRuleViolation
from orders.history import order_history_record
from orders.models import Order, OrderHistoryAction, generate_order_code
from organizations.models import Client, Service
from organizations.selectors import organization_member_users, organization_object_get

__all__ = [
    "ORDER_CODE_ATTEMPTS",
    "OrderCodeUnavailableError",
    "OrderRulesError",
    "order_create",
    "order_delete",
    "order_rules_check",
    "order_update",
]


def _check_rules(
    *,
    organization_id: int,
    creator: User | None = None,
    requested_by: User | None = None,
    executor: User | None = None,
    client: Client | None = None,
    service: Service | None = None,
) -> None:
    """Raise OrderRulesError naming every field that breaks a rule (one query, for the executor)."""
    violations: list[OrderRuleViolation] = []
    if creator is not None and requested_by is not None and creator.pk != requested_by.pk:
        violations.append(
            OrderRuleViolation("creator", OrderErrorCode.CREATOR_NOT_REQUESTER, errors.CREATOR_NOT_REQUESTER)
        )
    if (
        executor is not None
        and not organization_member_users(organization_id=organization_id).filter(pk=executor.pk).exists()
    ):
        message = errors.EXECUTOR_NOT_MEMBER.format(pk_value=executor.pk)
        violations.append(OrderRuleViolation("executor", OrderErrorCode.EXECUTOR_NOT_MEMBER, message))
    if client is not None and client.organization_id != organization_id:
        message = errors.CLIENT_NOT_IN_ORGANIZATION.format(pk_value=client.pk)
        violations.append(OrderRuleViolation("client", OrderErrorCode.CLIENT_NOT_IN_ORGANIZATION, message))
    if service is not None and service.organization_id != organization_id:
        message = errors.SERVICE_NOT_IN_ORGANIZATION.format(pk_value=service.pk)
        violations.append(OrderRuleViolation("service", OrderErrorCode.SERVICE_NOT_IN_ORGANIZATION, message))
    if violations:
        raise OrderRulesError(violations)


@transaction.atomic
def order_create(
    *,
    organization_id: int,
    creator: User,
    executor: User,
    client: Client,
    service: Service,
    description: str,
    requested_by: User | None = None,
    generate_code: Callable[[], int] = generate_order_code,
) -> Order:
    """Create an organization order with a fresh order code (409 after repeated collisions).

    The executor must be a member (or the creator) of the organization, the client and the service its own;
    with `requested_by` (the API's requester), the creator must be that user. Otherwise OrderRulesError (400).
    """
    _check_rules(
        organization_id=organization_id,
        creator=creator,
        requested_by=requested_by,
        executor=executor,
        client=client,
        service=service,
    )
    order = create_with_order_code(
        Order,
        generate_code=generate_code,
        organization_id=organization_id,
        creator=creator,
        executor=executor,
        client=client,
        service=service,
        description=description,
    )
    order_history_record(order, action=OrderHistoryAction.CREATED, actor=requested_by or creator)
    return order


_UPDATABLE = ("description", "executor", "done")


def order_rules_check(*, organization_id: int, executor: User | None = None) -> None:
    """The organization's rules for a new executor, for forms that validate before they save (the admin)."""
    _check_rules(organization_id=organization_id, executor=executor)


@transaction.atomic
def order_update(
    *,
    order_id: int,
    description: str | None = None,
    executor: User | None = None,
    done: bool | None = None,
    actor: User | None = None,
) -> Order:
    """Change an order's description, executor or done flag (those given) under a row lock.

    A new executor must be a member (or the creator) of the order's organization (OrderRulesError, 400).
    """
    # deleted since the view found it: the same 404 as an unknown order
    order = organization_object_get(Order.objects.select_for_update(), pk=order_id)
    _check_rules(organization_id=order.organization_id, executor=executor)
    given = {"description": description, "executor": executor, "done": done}
    order, changes = model_update(
        instance=order, fields=_UPDATABLE, data={name: value for name, value in given.items() if value is not None}
    )
    if changes:
        order_history_record(order, action=OrderHistoryAction.UPDATED, actor=actor, changes=changes)
    return order


@transaction.atomic
def order_delete(*, order_id: int, actor: User | None = None) -> None:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        return
    order_history_record(order, action=OrderHistoryAction.DELETED, actor=actor)
    order.delete()

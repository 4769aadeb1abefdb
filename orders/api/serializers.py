"""Order shapes of document 001: lean nested output, separate inputs for create and update."""

from typing import Any

from rest_framework import serializers

from accounts.models import User
from common.fields import StrictCharField
from orders import errors
from orders.models import Order
from organizations.api.serializers import (
    OrganizationOutputSerializer,
    OrganizationUserOutputSerializer,
    ServiceOutputSerializer,
    datetime_data,
    organization_data,
    service_data,
    user_data,
)
from organizations.models import Client, Service


def order_data(order: Order, request: Any, memo: dict[tuple[str, int], Any] | None = None) -> dict[str, Any]:
    """One order as document 001 nests it. `memo` shares the nested user, organization and service shapes
    between the rows of one response: a page repeats the same organization (and its creator) in every row."""
    memo = {} if memo is None else memo

    def shared(kind: str, obj: Any, build: Any) -> Any:
        key = (kind, obj.pk)
        if key not in memo:
            memo[key] = build()
        return memo[key]

    organization = order.organization
    return {
        "id": order.pk,
        "order_code": order.order_code,
        "description": order.description,
        "creator": shared("user", order.creator, lambda: user_data(order.creator, request)),
        "executor": shared("user", order.executor, lambda: user_data(order.executor, request)),
        "organization": shared("organization", organization, lambda: organization_data(organization, request)),
        "client": order.client_id,
        "done": order.done,
        "service": shared("service", order.service, lambda: service_data(order.service, request, organization)),
        "created_at": datetime_data(order.created_at),
        "updated_at": datetime_data(order.updated_at),
    }


class _OrderListSerializer(serializers.ListSerializer):
    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        memo: dict[tuple[str, int], Any] = {}
        request = self.context.get("request")
        return [order_data(order, request, memo) for order in data]


class OrderOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_code = serializers.IntegerField(help_text="Random unique 15-digit code.")
    description = serializers.CharField()
    creator = OrganizationUserOutputSerializer()
    executor = OrganizationUserOutputSerializer()
    organization = OrganizationOutputSerializer()
    client = serializers.IntegerField(help_text="Client id.")
    done = serializers.BooleanField()
    service = ServiceOutputSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        list_serializer_class = _OrderListSerializer

    def to_representation(self, instance: Order) -> dict[str, Any]:
        return order_data(instance, self.context.get("request"))


class OrderPageOutputSerializer(serializers.Serializer):
    """The envelope the order lists answer with `?page` (schema only)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OrderOutputSerializer(many=True)


class OrderCreatedOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ("id", "order_code", "description", "creator", "executor", "client", "service", "organization")
        read_only_fields = fields


class OrderChangedOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ("description", "executor")
        read_only_fields = fields


class _InOrganizationInput(serializers.Serializer):
    """Related ids are looked up within the organization in context: others' objects are invalid."""

    # Here only their types and existence; whether they are the organization's is the services' rule
    # (orders.services), worded as an unknown id is here. `organization` names the organization whose right the
    # request needs (HasOrganizationRight reads it, from the body or the query string): not part of the change.
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.pop("organization", None)
        return attrs


def _executor_field() -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        help_text="A member of the organization.",
        error_messages={"does_not_exist": errors.EXECUTOR_NOT_MEMBER},
    )


class OrderCreateInputSerializer(_InOrganizationInput):
    organization = serializers.IntegerField(
        help_text="The organization the order belongs to; you need the create right in it.", required=False
    )
    description = StrictCharField(max_length=10_000)
    creator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="Must be the requester's own user id."
    )
    executor = _executor_field()
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.all(),
        help_text="A client of the organization.",
        error_messages={"does_not_exist": errors.CLIENT_NOT_IN_ORGANIZATION},
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(),
        help_text="A service of the organization.",
        error_messages={"does_not_exist": errors.SERVICE_NOT_IN_ORGANIZATION},
    )


class OrderUpdateInputSerializer(_InOrganizationInput):
    """PUT requires description and executor; PATCH (partial) may change any of them and `done`."""

    organization = serializers.IntegerField(
        help_text="The organization the order belongs to; you need the change right in it.", required=False
    )
    description = StrictCharField(max_length=10_000)
    executor = _executor_field()
    done = serializers.BooleanField(required=False)

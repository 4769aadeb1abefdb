"""Order shapes of document 001: lean nested output, separate inputs for create and update."""

from typing import Any

from rest_framework import serializers

from accounts.models import User
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
from organizations.selectors import organization_member_users

NOT_A_MEMBER = "User {pk_value} is not a member of the organization."


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


class _OrganizationScopedInput(serializers.Serializer):
    """Related ids are looked up within the organization in context: others' objects are invalid."""

    def __init__(self, *args: Any, organization_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organization_id is None:
            return
        scoped = {
            "executor": organization_member_users(organization_id=organization_id),
            "service": Service.objects.filter(organization_id=organization_id),
            "client": Client.objects.filter(organization_id=organization_id),
        }
        for name, queryset in scoped.items():
            field: Any = self.fields.get(name)
            if field is not None:
                field.queryset = queryset


class OrderCreateInputSerializer(_OrganizationScopedInput):
    organization = serializers.IntegerField(
        help_text="The organization the order belongs to; you need the create right in it.", required=False
    )
    description = serializers.CharField(max_length=10_000)
    creator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="Must be the requester's own user id."
    )
    executor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        help_text="A member of the organization.",
        error_messages={"does_not_exist": NOT_A_MEMBER},
    )
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.none(),
        help_text="A client of the organization.",
        error_messages={"does_not_exist": "Client {pk_value} does not belong to the organization."},
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.none(),
        help_text="A service of the organization.",
        error_messages={"does_not_exist": "Service {pk_value} does not belong to the organization."},
    )

    def validate_creator(self, value: User) -> User:
        request = self.context["request"]
        if value.pk != request.user.pk:
            raise serializers.ValidationError("The creator must be the requester.")
        return value


class OrderUpdateInputSerializer(_OrganizationScopedInput):
    """PUT requires description and executor; PATCH (partial) may change any of them and `done`."""

    organization = serializers.IntegerField(
        help_text="The organization the order belongs to; you need the change right in it.", required=False
    )
    description = serializers.CharField(max_length=10_000)
    executor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        help_text="A member of the organization.",
        error_messages={"does_not_exist": NOT_A_MEMBER},
    )
    done = serializers.BooleanField(required=False)

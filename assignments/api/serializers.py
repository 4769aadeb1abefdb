"""Document 002's parameters (query string) and answers."""

from enum import StrEnum
from typing import Any, ClassVar

from rest_framework import serializers
from rest_framework.request import Request

from assignments.errors import AssignmentErrorMessage, InvalidParametersError, MissingParametersError
from assignments.models import ID_MAX_LENGTH, AssignedOrder


class AssignmentMessage(StrEnum):
    """Document 002's answers when the call did what it asked (its refusals are in assignments/errors.py)."""

    CREATED = "Successfully created"
    ACQUIRED = "Successfully acquired"
    NOTHING_ASSIGNED = "There are no orders assigned to you"
    CANCELED = "Successfully canceled"
    COMPLETED = "Successfully completed"


def _id_field(help_text: str) -> serializers.CharField:
    # Identifiers are the dispatch system's and stored exactly as given.
    return serializers.CharField(max_length=ID_MAX_LENGTH, trim_whitespace=False, help_text=help_text)


class QueryParamsInputSerializer(serializers.Serializer):
    """Every parameter is required: a missing, empty or whitespace-only one is the endpoint's `missing_message`
    (checked first, for all of them), then each is validated (length, no NUL) as "Invalid parameters"."""

    missing_message: ClassVar[str]

    @classmethod
    def from_query(cls, request: Request) -> dict[str, Any]:
        raw = {name: request.query_params.get(name, "") for name in cls._declared_fields}
        if any(not value.strip() for value in raw.values()):
            raise MissingParametersError(cls.missing_message)
        serializer = cls(data=raw)
        if not serializer.is_valid():
            raise InvalidParametersError(serializer.errors)
        return dict(serializer.validated_data)


class AssignParamsInputSerializer(QueryParamsInputSerializer):
    missing_message = AssignmentErrorMessage.MISSING_ASSIGN

    order_id = _id_field("The dispatch system's order id.")
    executor_id = _id_field("The executor's id (their user id in this product).")
    zone_id = _id_field("The dispatch system's zone id.")


class ExecutorParamInputSerializer(QueryParamsInputSerializer):
    missing_message = AssignmentErrorMessage.MISSING_EXECUTOR

    executor_id = _id_field("The executor's id (their user id in this product).")


class OrderParamInputSerializer(QueryParamsInputSerializer):
    missing_message = AssignmentErrorMessage.MISSING_ORDER

    order_id = _id_field("The dispatch system's order id.")


class AssignedOrderProfileOutputSerializer(serializers.ModelSerializer):
    """Every stored field of an assigned order."""

    class Meta:
        model = AssignedOrder
        fields = (
            "id",
            "order_id",
            "executor_id",
            "zone_id",
            "status",
            "assigned_at",
            "acquired_at",
            "completed_at",
            "cancelled_at",
        )
        read_only_fields = fields


class AssignmentMessageOutputSerializer(serializers.Serializer):
    message = serializers.CharField()


class AssignmentAcquireOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    order_profile = AssignedOrderProfileOutputSerializer(required=False, help_text="Absent when there is no order.")

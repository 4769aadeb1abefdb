from rest_framework import serializers

from assignments.models import ID_MAX_LENGTH, AssignedOrder


def _id_field(help_text: str) -> serializers.CharField:
    # Identifiers are the dispatch system's and stored exactly as given.
    return serializers.CharField(max_length=ID_MAX_LENGTH, trim_whitespace=False, help_text=help_text)


class AssignParamsInputSerializer(serializers.Serializer):
    order_id = _id_field("The dispatch system's order id.")
    executor_id = _id_field("The executor's id (their user id in this product).")
    zone_id = _id_field("The dispatch system's zone id.")


class ExecutorParamInputSerializer(serializers.Serializer):
    executor_id = _id_field("The executor's id (their user id in this product).")


class OrderParamInputSerializer(serializers.Serializer):
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


class AssignmentBadRequestOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for invalid parameters: every bad parameter with its messages.",
    )


class AssignmentAcquireOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    order_profile = AssignedOrderProfileOutputSerializer(required=False, help_text="Absent when there is no order.")

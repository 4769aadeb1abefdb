"""Input and output serializers of the partner API. v2 is document 004's snake_case; v1 is the legacy PascalCase."""

from typing import Any

from rest_framework import serializers

MAX_ORDER_ID = 2**63 - 1


def _check_json_text(value: Any, path: str = "") -> None:
    """PostgreSQL stores no NUL characters and no lone surrogates: refuse them anywhere inside a JSON value."""
    if isinstance(value, str):
        if "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            raise serializers.ValidationError(f"{path or 'value'}: NUL and surrogate characters are not allowed.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json_text(key, path)
            _check_json_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_text(item, f"{path}[{index}]")


def _unique_ids(items: list[dict[str, Any]], key: str) -> None:
    ids = [str(item[key]) for item in items]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError(f"Each {key} may appear once.")


# --- v2 --------------------------------------------------------------------------------------------------------
class PartnerV2ClientInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    phone = serializers.CharField(max_length=32)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class PartnerV2ItemInputSerializer(serializers.Serializer):
    their_id = serializers.CharField(max_length=64)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, coerce_to_string=False)
    count = serializers.IntegerField(min_value=1, max_value=100000)


class PartnerV2OrderCreateInputSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID, help_text="Our order id.")
    date = serializers.DateTimeField(required=False, allow_null=True, default=None)
    client = PartnerV2ClientInputSerializer()
    their_pharmacy_id = serializers.CharField(max_length=64)
    order_type = serializers.IntegerField(min_value=1, max_value=2, help_text="1 pre-order, 2 reservation.")
    items = PartnerV2ItemInputSerializer(many=True, allow_empty=False, max_length=200)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    extra = serializers.DictField(required=False, default=dict)

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique_ids(items, "their_id")
        return items

    def validate_extra(self, extra: dict[str, Any]) -> dict[str, Any]:
        _check_json_text(extra)
        return extra


class PartnerV2ItemOutputSerializer(serializers.Serializer):
    their_id = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    count = serializers.IntegerField()


class PartnerV2OrderCreatedDataOutputSerializer(serializers.Serializer):
    their_order_id = serializers.CharField()
    items = PartnerV2ItemOutputSerializer(many=True)


class PartnerV2OrderCreatedOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"success"')
    data = PartnerV2OrderCreatedDataOutputSerializer()


class PartnerV2ItemErrorOutputSerializer(serializers.Serializer):
    their_id = serializers.CharField()
    ordered = serializers.FloatField(help_text="The count (quantity errors) or the price (price errors) we sent.")
    available = serializers.FloatField(
        allow_null=True, help_text="Available count (0 = none, null = unknown) or the partner's current price."
    )


class PartnerV2OrderErrorDataOutputSerializer(serializers.Serializer):
    partner_error = serializers.BooleanField(allow_null=True)
    service_error = serializers.BooleanField(allow_null=True)
    quantity_errors = PartnerV2ItemErrorOutputSerializer(many=True, allow_null=True)
    price_errors = PartnerV2ItemErrorOutputSerializer(many=True, allow_null=True)


class PartnerV2OrderErrorOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"error"')
    data = PartnerV2OrderErrorDataOutputSerializer()


class PartnerV2StatusOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"success"')
    status_id = serializers.IntegerField(
        help_text="0 created, 1 accepted/delivery, 2 done, 3 cancelled, 4 in shop, -1 unknown."
    )
    their_status_id = serializers.CharField(help_text="The partner's status as it said it.")
    their_items = serializers.JSONField(allow_null=True, help_text="The partner's items, as it sent them.")


class PartnerV2MessageOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"error"')
    message = serializers.CharField()


class PartnerV2CancelInputSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    their_order_id = serializers.CharField(max_length=64)


class PartnerV2CancelOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"success", "order_cancel_rejected" or "transient_error"')
    message = serializers.CharField(required=False, help_text="Why, when the result is not success.")


# --- v1 (legacy) ----------------------------------------------------------------------------------------------
class PartnerV1ClientInputSerializer(serializers.Serializer):
    FIO = serializers.CharField(max_length=255)
    Phone = serializers.CharField(max_length=32)
    EMail = serializers.EmailField(required=False, allow_blank=True, default="")


class PartnerV1ItemSerializer(serializers.Serializer):
    TheirId = serializers.CharField(max_length=64)
    Price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, coerce_to_string=False)
    Count = serializers.IntegerField(min_value=1, max_value=100000)


class PartnerV1SendOrderInputSerializer(serializers.Serializer):
    OrderId = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    TheirPharmacyId = serializers.CharField(max_length=64)
    Client = PartnerV1ClientInputSerializer()
    Items = PartnerV1ItemSerializer(many=True, allow_empty=False, max_length=200)

    def validate_Items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        _unique_ids(items, "TheirId")
        return items


class PartnerV1SendOrderSuccessOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(help_text='"success"')
    TheirOrderId = serializers.CharField()
    Items = PartnerV1ItemSerializer(many=True)


class PartnerV1MessageOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(help_text='"order_rejected", "order_cancel_rejected" or "transient_error"')
    Message = serializers.CharField()


class PartnerV1GetOrderStatusInputSerializer(serializers.Serializer):
    OrderId = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    TheirOrderId = serializers.CharField(max_length=64)
    TheirStatusId = serializers.CharField(
        max_length=64, required=False, allow_null=True, allow_blank=True, help_text="The status the caller knows."
    )


class PartnerV1GetOrderStatusOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(help_text='"success"')
    StatusId = serializers.IntegerField()
    TheirStatusId = serializers.CharField()


class PartnerV1CancelOrderInputSerializer(serializers.Serializer):
    order_ID = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    their_order_ID = serializers.CharField(max_length=64)


class PartnerV1CancelOrderOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(help_text='"success", "order_cancel_rejected" or "transient_error"')
    Message = serializers.CharField(required=False)

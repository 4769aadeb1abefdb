"""Input and output serializers of the partner API. v2 is document 004's snake_case; v1 is the legacy PascalCase.

Success answers are serialized from `success(order)`: their `result` (v1: `Result`) and the order's fields.
"""

from enum import StrEnum
from typing import Any

from django.core.validators import MaxLengthValidator
from rest_framework import serializers

from common.fields import StrictCharField, StrictEmailField
from partner.models import MAX_ORDER_ID, OrderType, PartnerOrder
from partner.services import OrderRequest


class Result(StrEnum):
    """The `result` (v1: `Result`) of an answer."""

    SUCCESS = "success"
    ERROR = "error"
    ORDER_REJECTED = "order_rejected"
    CANCEL_REJECTED = "order_cancel_rejected"
    TRANSIENT_ERROR = "transient_error"


def success(order: PartnerOrder) -> dict[str, Any]:
    """What a success output serializer reads: its `result` and the order."""
    return {"result": Result.SUCCESS.value, "order": order}


def _envelope(
    name: str, result_help: str, data: type[serializers.Serializer], **data_kwargs: Any
) -> type[serializers.Serializer]:
    """A `{"result", "data"}` answer. `data` cannot be declared in a class body, where it is `Serializer.data`."""
    result = serializers.CharField(help_text=result_help)  # created first: fields keep their order of creation
    fields = {"result": result, "data": data(**data_kwargs), "__module__": __name__}
    return type(name, (serializers.Serializer,), fields)


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


def _unique_ids(items: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """Items name each of the partner's ids once; `name` is what the caller calls the id."""
    ids = [str(item["their_id"]) for item in items]
    if len(ids) != len(set(ids)):
        raise serializers.ValidationError(f"Each {name} may appear once.")
    return items


def _order_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"their_id": i["their_id"], "price": str(i["price"]), "count": i["count"]} for i in items]


class _TheirOrderIdQueryField(serializers.CharField):
    """The partner's order id as given in the query: its length checked, its text compared as it is."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=64, required=False, allow_blank=True, trim_whitespace=False, **kwargs)
        self.validators = [v for v in self.validators if isinstance(v, MaxLengthValidator)]


# --- v2 --------------------------------------------------------------------------------------------------------
class PartnerV2ClientInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255)
    phone = StrictCharField(max_length=32)
    email = StrictEmailField(required=False, allow_blank=True, default="")


class PartnerV2ItemInputSerializer(serializers.Serializer):
    their_id = StrictCharField(max_length=64)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, coerce_to_string=False)
    count = serializers.IntegerField(min_value=1, max_value=100000)


class PartnerV2OrderCreateInputSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID, help_text="Our order id.")
    date = serializers.DateTimeField(required=False, allow_null=True, default=None)
    client = PartnerV2ClientInputSerializer()
    their_pharmacy_id = StrictCharField(max_length=64)
    order_type = serializers.IntegerField(min_value=1, max_value=2, help_text="1 pre-order, 2 reservation.")
    items: serializers.ListSerializer[dict[str, Any]] = serializers.ListSerializer(
        child=PartnerV2ItemInputSerializer(), allow_empty=False, max_length=200
    )
    comment = StrictCharField(required=False, allow_blank=True, default="", max_length=4000)
    extra = serializers.DictField(required=False, default=dict)

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _unique_ids(items, "their_id")

    def validate_extra(self, extra: dict[str, Any]) -> dict[str, Any]:
        _check_json_text(extra)
        return extra

    def order_request(self) -> OrderRequest:
        data = self.validated_data
        return OrderRequest(
            order_id=data["order_id"],
            their_pharmacy_id=data["their_pharmacy_id"],
            order_type=data["order_type"],
            client={"name": data["client"]["name"], "phone": data["client"]["phone"], "email": data["client"]["email"]},
            items=_order_items(data["items"]),
            ordered_at=data["date"],
            comment=data["comment"],
            extra=data["extra"],
            api_version="v2",
        )


class PartnerV2ItemOutputSerializer(serializers.Serializer):
    their_id = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    count = serializers.IntegerField()


class PartnerV2OrderCreatedDataOutputSerializer(serializers.Serializer):
    their_order_id = serializers.CharField()
    items = PartnerV2ItemOutputSerializer(many=True)


PartnerV2OrderCreatedOutputSerializer = _envelope(
    "PartnerV2OrderCreatedOutputSerializer", '"success"', PartnerV2OrderCreatedDataOutputSerializer, source="order"
)


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


PartnerV2OrderErrorOutputSerializer = _envelope(
    "PartnerV2OrderErrorOutputSerializer", '"error"', PartnerV2OrderErrorDataOutputSerializer
)


class PartnerV2StatusOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"success"')
    status_id = serializers.IntegerField(
        source="order.status_id",
        help_text="0 created, 1 accepted/delivery, 2 done, 3 cancelled, 4 in shop, -1 unknown.",
    )
    their_status_id = serializers.CharField(
        source="order.their_status_id", help_text="The partner's status as it said it."
    )
    their_items = serializers.JSONField(
        source="order.their_items", allow_null=True, help_text="The partner's items, as it sent them."
    )


class PartnerV2StatusQueryInputSerializer(serializers.Serializer):
    their_order_id = _TheirOrderIdQueryField()


class PartnerV2MessageOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"error"')
    message = serializers.CharField()


class PartnerV2CancelInputSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    their_order_id = StrictCharField(max_length=64)


class PartnerV2CancelOutputSerializer(serializers.Serializer):
    result = serializers.CharField(help_text='"success", "order_cancel_rejected" or "transient_error"')
    message = serializers.CharField(required=False, help_text="Why, when the result is not success.")


# --- v1 (legacy) ----------------------------------------------------------------------------------------------
class PartnerV1ClientInputSerializer(serializers.Serializer):
    FIO = StrictCharField(max_length=255)
    Phone = StrictCharField(max_length=32)
    EMail = StrictEmailField(required=False, allow_blank=True, default="")


class PartnerV1ItemSerializer(serializers.Serializer):
    # An item in v1's words, read and written in ours (`their_id`, `price`, `count`): the same in and out.
    TheirId = StrictCharField(source="their_id", max_length=64)
    Price = serializers.DecimalField(
        source="price", max_digits=12, decimal_places=2, min_value=0, coerce_to_string=False
    )
    Count = serializers.IntegerField(source="count", min_value=1, max_value=100000)


class PartnerV1SendOrderInputSerializer(serializers.Serializer):
    OrderId = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    TheirPharmacyId = StrictCharField(max_length=64)
    Client = PartnerV1ClientInputSerializer()
    Items: serializers.ListSerializer[dict[str, Any]] = serializers.ListSerializer(
        child=PartnerV1ItemSerializer(), allow_empty=False, max_length=200
    )

    def validate_Items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return _unique_ids(items, "TheirId")

    def order_request(self) -> OrderRequest:
        data = self.validated_data
        return OrderRequest(
            order_id=data["OrderId"],
            their_pharmacy_id=data["TheirPharmacyId"],
            order_type=OrderType.RESERVATION,  # v1 knows reservations only
            client={"name": data["Client"]["FIO"], "phone": data["Client"]["Phone"], "email": data["Client"]["EMail"]},
            items=_order_items(data["Items"]),
            api_version="v1",
        )


class PartnerV1SendOrderSuccessOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(source="result", help_text='"success"')
    TheirOrderId = serializers.CharField(source="order.their_order_id")
    Items = PartnerV1ItemSerializer(source="order.items", many=True)


class PartnerV1MessageOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(help_text='"order_rejected", "order_cancel_rejected" or "transient_error"')
    Message = serializers.CharField()


class PartnerV1GetOrderStatusInputSerializer(serializers.Serializer):
    OrderId = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    TheirOrderId = StrictCharField(max_length=64)
    TheirStatusId = StrictCharField(
        max_length=64, required=False, allow_null=True, allow_blank=True, help_text="The status the caller knows."
    )


class PartnerV1GetOrderStatusOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(source="result", help_text='"success"')
    StatusId = serializers.IntegerField(source="order.status_id")
    TheirStatusId = serializers.CharField(source="order.their_status_id")


class PartnerV1CancelOrderInputSerializer(serializers.Serializer):
    order_ID = serializers.IntegerField(min_value=1, max_value=MAX_ORDER_ID)
    their_order_ID = StrictCharField(max_length=64)


class PartnerV1CancelOrderOutputSerializer(serializers.Serializer):
    Result = serializers.CharField(source="result", help_text='"success", "order_cancel_rejected" or "transient_error"')
    Message = serializers.CharField(required=False)

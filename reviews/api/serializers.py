"""Input and output serializers of /api_v2/ (document 000). Names are unique across the schema."""

import re
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from common.fields import StrictCharField
from common.representation import absolute_url, iso_datetime
from reviews.models import CancelReason, OrderReview, OrderReviewStatusChange, ReviewStatus, executor_profile
from reviews.selectors import VISIBLE_REVIEWS_ATTR
from reviews.transitions import CUSTOMER_TARGETS, EXECUTOR_TARGETS

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "coerce_to_string": False}
#: a price as a request may spell it in text: plain decimal notation, 10 whole digits and 2 decimals at most
#: (leading zeros aside), never negative; what `MoneyInputField` accepts besides a JSON number
MONEY_TEXT = r"^(?:0*[0-9]{1,10}(?:\.[0-9]{0,2})?|\.[0-9]{1,2})$"
_PLAIN_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _avatar_url(request: Any, user: User) -> str | None:
    """Document 000 shows `null` when no avatar was uploaded; an absolute URL otherwise."""
    if not user.avatar:
        return None
    return absolute_url(request, user.avatar.url)


def _status_field(values: tuple[str, ...], **kwargs: Any) -> serializers.ChoiceField:
    """A status ChoiceField for outputs, its enum documented inline.

    Inline (inside oneOf) because several output components share the full status set under different
    field names, which drf-spectacular's enum hoisting would otherwise flag as naming collisions.
    """
    schema: dict[str, Any] = {"oneOf": [{"type": "string", "enum": [str(v) for v in values]}]}
    if kwargs.get("allow_null"):
        schema["nullable"] = True
    field_class = extend_schema_field(schema)(type("ReviewStatusChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=[str(v) for v in values], **kwargs)


ALL_STATUSES = tuple(ReviewStatus.values)


def _future(value: Any) -> Any:
    if value is not None and value <= timezone.now():
        raise serializers.ValidationError("Must be in the future.")
    return value


class _ExecutorProfileValue(serializers.Field):
    """One value of a user's executor profile (level, balls or rating; the defaults without a profile row),
    read from the user: the marketplace's fields on `/api/auth/me/` (registered in `reviews.apps`)."""

    def __init__(self, key: str, **kwargs: Any) -> None:
        self.profile_key = key
        super().__init__(source="*", read_only=True, **kwargs)

    def get_attribute(self, instance: User) -> Any:
        return executor_profile(instance)[self.profile_key]


class ExecutorProfileIntegerField(_ExecutorProfileValue, serializers.IntegerField):
    pass


class ExecutorProfileFloatField(_ExecutorProfileValue, serializers.FloatField):
    pass


#: `/api/auth/me/`'s marketplace fields, in the order it shows them
ME_PROFILE_FIELDS: dict[str, Any] = {
    "level": lambda: ExecutorProfileIntegerField("level", allow_null=True),
    "balls": lambda: ExecutorProfileIntegerField("balls"),
    "rating": lambda: ExecutorProfileFloatField("rating"),
}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0, "maximum": 9999999999.99, "multipleOf": 0.01},
            {"type": "string", "format": "decimal", "pattern": MONEY_TEXT},
        ],
        "description": "A JSON number or a decimal string, at least 0, with at most 10 whole digits and 2 decimals.",
    }
)
class MoneyInputField(serializers.DecimalField):
    """A price in a request: a JSON number (as document 000 writes prices) or a string in plain decimal notation.

    DRF's DecimalField would also take what `decimal.Decimal` parses (`"1e3"`, `" 5"`, `"+5"`, `"1_000"`, digits of
    other scripts) and `"-0"`; those get the same "A valid number is required." as any other text, so the
    schema's pattern says exactly which strings pass. Leading zeros do not count as digits, as for a number."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=12, decimal_places=2, min_value=0, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str):
            if not _PLAIN_DECIMAL.fullmatch(data):
                self.fail("invalid")
            if data.startswith("-"):
                self.fail("min_value", min_value=self.min_value)
            data = data.lstrip("0") or "0"
        return super().to_internal_value(data)


# Read shapes are built as plain dicts by the *_data functions (a list of 100 responses with their executors
# would otherwise run some 1,700 DRF field objects); the declared fields below describe them to the schema.
_MONEY = serializers.DecimalField(**MONEY)


def _money(value: Any) -> Any:
    return _MONEY.to_representation(value) if value is not None else None


def user_brief_data(user: User, request: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "rating": float(executor_profile(user)["rating"]),
        "avatar": _avatar_url(request, user),
    }


def executor_data(user: User, request: Any) -> dict[str, Any]:
    profile = executor_profile(user)
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "level": profile["level"],
        "about": user.about,
        "balls": profile["balls"],
        "phone": user.phone,
        "avatar": _avatar_url(request, user),
        "rating": float(profile["rating"]),
    }


def review_data(review: OrderReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "status": review.status,
        "to_price": _money(review.to_price),
        "to_deadline": iso_datetime(review.to_deadline),
        "cancel_reason": review.cancel_reason,
        "show": review.show,
    }


def order_data(order: Any, request: Any) -> dict[str, Any]:
    return {
        "id": order.pk,
        "order_code": order.order_code,
        "name": order.name,
        "description": order.description,
        "price": _money(order.price),
        "term": order.term,
        "deadline": iso_datetime(order.deadline),
        "customer_score": order.customer_score,
        "done": order.done,
        "customer": user_brief_data(order.creator, request),
        "executor": user_brief_data(order.executor, request) if order.executor_id else None,
        "cancelled_at": iso_datetime(order.cancelled_at),
        "cancel_reason": order.cancel_reason,
        "created_at": iso_datetime(order.created_at),
        "updated_at": iso_datetime(order.updated_at),
    }


# --- users --------------------------------------------------------------------------------------


class MarketplaceUserBriefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    rating = serializers.FloatField()
    avatar = serializers.URLField(allow_null=True)

    def to_representation(self, instance: User) -> dict[str, Any]:
        return user_brief_data(instance, self.context.get("request"))


class ReviewExecutorOutputSerializer(serializers.Serializer):
    """The executor as document 000 nests them in reviews_by_order_id."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()
    level = serializers.IntegerField(allow_null=True)
    about = serializers.CharField()
    balls = serializers.IntegerField()
    phone = serializers.CharField(allow_null=True)
    avatar = serializers.URLField(allow_null=True)
    rating = serializers.FloatField()

    def to_representation(self, instance: User) -> dict[str, Any]:
        return executor_data(instance, self.context.get("request"))


# --- responses ----------------------------------------------------------------------------------


class OrderReviewOutputSerializer(serializers.ModelSerializer):
    """A response as `order_in_order_review` shows it: its id is the one to PATCH."""

    status = _status_field(ALL_STATUSES)
    to_price = serializers.DecimalField(**MONEY, allow_null=True)

    class Meta:
        model = OrderReview
        fields: tuple[str, ...] = ("id", "status", "to_price", "to_deadline", "cancel_reason", "show")
        read_only_fields: tuple[str, ...] = fields

    def to_representation(self, instance: OrderReview) -> dict[str, Any]:
        return review_data(instance)


class OrderReviewWithExecutorOutputSerializer(OrderReviewOutputSerializer):
    executor = ReviewExecutorOutputSerializer()

    class Meta(OrderReviewOutputSerializer.Meta):
        fields: tuple[str, ...] = (*OrderReviewOutputSerializer.Meta.fields, "executor")
        read_only_fields: tuple[str, ...] = fields

    def to_representation(self, instance: OrderReview) -> dict[str, Any]:
        return {**review_data(instance), "executor": executor_data(instance.executor, self.context.get("request"))}


class OrderReviewUpdateInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[str(v) for v in EXECUTOR_TARGETS], required=False)
    to_price = MoneyInputField(required=False, allow_null=True)
    to_deadline = serializers.DateTimeField(required=False, allow_null=True, validators=[_future])
    cancel_reason = serializers.ChoiceField(choices=CancelReason.choices, required=False, allow_null=True)
    show = serializers.BooleanField(required=False, allow_null=True, help_text="false hides the order from my feed")


class OrderReviewCustomerInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[str(v) for v in CUSTOMER_TARGETS])
    customer_score = serializers.IntegerField(min_value=1, max_value=5, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["status"] == "done" and attrs.get("customer_score") is None:
            raise serializers.ValidationError({"customer_score": ["Required to mark the work done (1..5)."]})
        if attrs["status"] != "done" and "customer_score" in attrs:
            raise serializers.ValidationError({"customer_score": ["Only accepted with status done."]})
        return attrs


class OrderReviewActorOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class OrderReviewHistoryOutputSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    from_status = _status_field(ALL_STATUSES, allow_null=True, help_text="null when the response was created")
    to_status = _status_field(ALL_STATUSES)

    class Meta:
        model = OrderReviewStatusChange
        fields = ("id", "actor", "from_status", "to_status", "changes", "note", "created_at")
        read_only_fields = fields

    @extend_schema_field(OrderReviewActorOutputSerializer(allow_null=True, help_text="null for a system move"))
    def get_actor(self, obj: OrderReviewStatusChange) -> dict[str, Any] | None:
        if obj.actor is None:
            return None
        return {"id": obj.actor.pk, "username": obj.actor.username}


# --- orders -------------------------------------------------------------------------------------


class MarketplaceOrderCreateInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=255)
    description = StrictCharField(max_length=20000)
    price = MoneyInputField()
    term = serializers.IntegerField(min_value=1, max_value=3650, help_text="Days to do the work.")
    deadline = serializers.DateTimeField(required=False, allow_null=True, validators=[_future])


class MarketplaceOrderEditInputSerializer(MarketplaceOrderCreateInputSerializer):
    """Any of the order's terms, with the limits of its publish; the ones left out keep their values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class MarketplaceOrderCancelInputSerializer(serializers.Serializer):
    """An empty body cancels without a reason."""

    reason = StrictCharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Why the order is cancelled: shown to the executors whose responses it rejects.",
    )


class OrderReviewWithdrawInputSerializer(serializers.Serializer):
    cancel_reason = serializers.ChoiceField(choices=CancelReason.choices, required=False, allow_null=True)


class MarketplaceOrderOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_code = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    price = serializers.DecimalField(**MONEY, allow_null=True)
    term = serializers.IntegerField(allow_null=True, help_text="Days to do the work.")
    deadline = serializers.DateTimeField(allow_null=True)
    customer_score = serializers.IntegerField(allow_null=True)
    done = serializers.BooleanField()
    customer = MarketplaceUserBriefOutputSerializer(source="creator")
    executor = MarketplaceUserBriefOutputSerializer(allow_null=True)
    cancelled_at = serializers.DateTimeField(
        allow_null=True, help_text="When the customer cancelled the order (null while it is not cancelled)."
    )
    cancel_reason = serializers.CharField(help_text="The customer's reason for cancelling; empty when none.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return order_data(instance, self.context.get("request"))


class MarketplaceOrderDetailOutputSerializer(MarketplaceOrderOutputSerializer):
    order_in_order_review = OrderReviewOutputSerializer(
        source=VISIBLE_REVIEWS_ATTR,
        many=True,
        help_text="The requester's own response (executors), or every response to the order (its customer).",
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        reviews = getattr(instance, VISIBLE_REVIEWS_ATTR)
        return {
            **order_data(instance, self.context.get("request")),
            "order_in_order_review": list(map(review_data, reviews)),
        }

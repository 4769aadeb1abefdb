from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from common.admin import ReadOnlyAdminMixin, link
from orders import services
from orders.models import Order, OrderHistory


class OrderAdminForm(forms.ModelForm):
    """The organization's rules (the executor is a member) are checked as the API checks them."""

    class Meta:
        model = Order
        fields = ("description", "executor", "done")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            services.order_rules_check(organization_id=self.instance.organization_id, executor=cleaned.get("executor"))
        except services.OrderRulesError as exc:
            raise ValidationError(exc.fields or exc.message) from exc
        return cleaned


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Organization orders (document 001). New ones are created through the API, which draws the order code."""

    list_display = ("order_code", "short_description", "organization_link", "creator_link", "executor_link", "done")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter), "done", "created_at")
    search_fields = ("order_code", "description", "organization__name", "creator__username", "executor__username")
    list_select_related = ("organization", "creator", "executor")
    form = OrderAdminForm
    autocomplete_fields = ("executor",)
    # An order stays in its organization, with its creator, client and service; staff change what the API's
    # order-ud changes, through the same service.
    fields = (
        "order_code",
        "organization_link",
        "creator_link",
        "client",
        "service",
        "description",
        "executor",
        "done",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "order_code",
        "organization_link",
        "creator_link",
        "client",
        "service",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Order, form: Any, change: bool) -> None:
        data = form.cleaned_data
        services.order_update(
            order_id=obj.pk, description=data["description"], executor=data["executor"], done=data["done"]
        )

    @admin.display(description="description")
    def short_description(self, order: Order) -> str:
        return order.description if len(order.description) <= 60 else f"{order.description[:59]}…"

    @admin.display(description="organization", ordering="organization__name")
    def organization_link(self, order: Order) -> str:
        return link(order.organization)

    @admin.display(description="creator", ordering="creator__username")
    def creator_link(self, order: Order) -> str:
        return link(order.creator)

    @admin.display(description="executor", ordering="executor__username")
    def executor_link(self, order: Order) -> str:
        return link(order.executor)


@admin.register(OrderHistory)
class OrderHistoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every change of an organization order, written by its services (read-only: the audit trail)."""

    list_display = ("created_at", "order_id", "order_code", "organization", "action", "actor")
    list_filter = ("action",)
    search_fields = ("=order_id", "=order_code")
    list_select_related = ("organization", "actor")

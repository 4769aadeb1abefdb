from django.contrib import admin
from django.http import HttpRequest

from common.admin import link
from orders.models import Order


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Organization orders (document 001). New ones are created through the API, which draws the order code."""

    list_display = ("order_code", "short_description", "organization_link", "creator_link", "executor_link", "done")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter), "done", "created_at")
    search_fields = ("order_code", "description", "organization__name", "creator__username", "executor__username")
    list_select_related = ("organization", "creator", "executor")
    autocomplete_fields = ("organization", "creator", "executor", "client", "service")
    readonly_fields = ("order_code", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

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

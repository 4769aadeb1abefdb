from django.contrib import admin
from django.http import HttpRequest

from orders.models import Order


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Organization orders (document 001). New ones are created through the API, which draws the order code."""

    list_display = ("order_code", "description", "organization", "creator", "executor", "done", "created_at")
    list_filter = ("done", "created_at", "organization")
    search_fields = ("order_code", "description", "creator__username", "executor__username", "organization__name")
    list_select_related = ("organization", "creator", "executor")
    raw_id_fields = ("creator", "executor", "organization", "client", "service")
    readonly_fields = ("order_code", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

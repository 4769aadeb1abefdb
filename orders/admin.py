from typing import Any

from django.contrib import admin

from orders.models import Order, generate_order_code


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("order_code", "name", "description", "organization", "creator", "executor", "done", "created_at")
    list_filter = ("done", ("organization", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("order_code", "name", "description", "creator__username", "executor__username")
    list_select_related = ("organization", "creator", "executor")
    raw_id_fields = ("creator", "executor", "organization", "client", "service")
    readonly_fields = ("order_code", "created_at", "updated_at")
    date_hierarchy = "created_at"

    def save_model(self, request: Any, obj: Order, form: Any, change: bool) -> None:
        if not obj.order_code:
            obj.order_code = generate_order_code()
        super().save_model(request, obj, form, change)

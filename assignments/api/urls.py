from django.urls import URLPattern, URLResolver, re_path
from rest_framework.views import APIView

from assignments.api import views

app_name = "assignments"


def _route(documented: str, alternate: str, view: type[APIView], name: str) -> list[URLPattern]:
    """Serve a path with and without its trailing slash, no redirect (a PUT must never become a GET).

    Only the documented form is in the OpenAPI schema.
    """
    return [
        re_path(rf"^{documented}$", view.as_view(), name=name),
        re_path(rf"^{alternate}$", view.as_view(schema=None)),
    ]


urlpatterns: list[URLPattern | URLResolver] = [
    # Document 002 writes its paths without a trailing slash.
    *_route("orders/assign", "orders/assign/", views.OrderAssignView, "assign"),
    *_route("order/acquire", "order/acquire/", views.OrderAcquireView, "acquire"),
    *_route("order/cancel", "order/cancel/", views.OrderCancelView, "cancel"),
    *_route("order/complete", "order/complete/", views.OrderCompleteView, "complete"),
    # The singular form of the assign path, also used by the dispatch system (not repeated in the schema).
    re_path(r"^order/assign/?$", views.OrderAssignView.as_view(schema=None), name="assign-alias"),
    # The dispatchers' list follows the product's convention: trailing slash.
    *_route("api/assignments/", "api/assignments", views.AssignedOrderListView, "list"),
]

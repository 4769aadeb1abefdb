from django.urls import URLPattern, URLResolver, path

from partner.api import views

app_name = "partner"

urlpatterns: list[URLPattern | URLResolver] = [
    path("v2/orders/", views.PartnerOrdersV2View.as_view(), name="v2-orders"),
    path("v2/orders/<int:order_id>", views.PartnerOrderStatusV2View.as_view(), name="v2-order-status"),
    path("v1/SendOrder", views.SendOrderV1View.as_view(), name="v1-send-order"),
    path("v1/GetOrderStatus", views.GetOrderStatusV1View.as_view(), name="v1-get-order-status"),
    path("v1/cancel_order", views.CancelOrderV1View.as_view(), name="v1-cancel-order"),
    path("metrics", views.metrics_view, name="metrics"),
]

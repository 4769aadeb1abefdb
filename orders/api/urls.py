from django.urls import path

from orders.api import views

app_name = "orders"

urlpatterns = [
    path("order-c/", views.OrderCreateView.as_view(), name="order-create"),
    path("order-l/<int:organization_id>/", views.OrderListView.as_view(), name="order-list"),
    path("order-creator-l/<int:organization_id>/", views.OrderCreatorListView.as_view(), name="order-creator-list"),
    path("order-r/<int:pk>/", views.OrderRetrieveView.as_view(), name="order-retrieve"),
    path(
        "order-r/<int:pk>/<int:organization_id>/",
        views.OrderInOrganizationRetrieveView.as_view(),
        name="order-retrieve-in-organization",
    ),
    path("order-ud/<int:pk>/", views.OrderUpdateDestroyView.as_view(), name="order-update-destroy"),
]

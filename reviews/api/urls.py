from django.urls import URLPattern, URLResolver, path

from reviews.api import views

app_name = "reviews"

urlpatterns: list[URLPattern | URLResolver] = [
    path("order/", views.OrderFeedCreateView.as_view(), name="order-feed"),
    path("order/mine/", views.CustomerOrderListView.as_view(), name="order-mine"),
    path("order/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("order/mine/<int:pk>/", views.CustomerOrderEditView.as_view(), name="order-edit"),
    path("order/<int:pk>/cancel/", views.CustomerOrderCancelView.as_view(), name="order-cancel"),
    path("order/review/<int:pk>/withdraw/", views.OrderReviewWithdrawView.as_view(), name="review-withdraw"),
    path("order/review/<int:pk>/", views.OrderReviewUpdateView.as_view(), name="review-update"),
    path("order/review/<int:pk>/history/", views.OrderReviewHistoryView.as_view(), name="review-history"),
    path(
        "order/review_for_customer/<int:pk>/",
        views.OrderReviewCustomerView.as_view(),
        name="review-for-customer",
    ),
    path("order/reviews_by_order_id/<int:pk>/", views.ReviewsByOrderView.as_view(), name="reviews-by-order"),
    path("order_for_personal_area/", views.PersonalAreaOrderListView.as_view(), name="order-personal-area"),
]

from django.urls import path

from accounts.api import views

app_name = "accounts"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("confirm-email/", views.ConfirmEmailView.as_view(), name="confirm-email"),
    path(
        "confirm-email/resend/",
        views.ResendConfirmationView.as_view(),
        name="confirm-email-resend",
    ),
    path("token/", views.TokenObtainView.as_view(), name="token"),
    path("token/refresh/", views.SessionTokenRefreshView.as_view(), name="token-refresh"),
    path("token/verify/", views.SessionTokenVerifyView.as_view(), name="token-verify"),
    path("me/", views.MeView.as_view(), name="me"),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path(
        "sessions/<uuid:session_id>/",
        views.SessionDetailView.as_view(),
        name="session-detail",
    ),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]

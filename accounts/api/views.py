"""/api/auth/*: registration, email confirmation, tokens, my profile and sessions (OpenAPI in `openapi.py`)."""

from uuid import UUID

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenRefreshView, TokenVerifyView

from accounts import queries, selectors, services, tokens
from accounts.api import openapi as docs
from accounts.api.serializers import (
    ConfirmEmailInputSerializer,
    MeOutputSerializer,
    MeUpdateInputSerializer,
    RegisterInputSerializer,
    ResendConfirmationInputSerializer,
    SessionOutputSerializer,
    SessionRefreshSerializer,
    SessionVerifySerializer,
    TokenObtainInputSerializer,
)
from accounts.authentication import current_session
from accounts.models import UserSession
from accounts.throttling import ClientScopedRateThrottle
from common.exceptions import PRODUCT
from common.fastjson import FastJSONNegotiation, fast_renderers
from common.rawsql import expect_requested_page
from common.types import AuthenticatedRequest


class AccountsView(APIView):
    """The product's own error contract, `{"detail", "code"}`, on every /api/auth/* answer."""

    error_contract = PRODUCT


class PublicView(AccountsView):
    """Called without a token, throttled per client. A failed login is a 401 with a challenge, not a 403."""

    authentication_classes = ()
    permission_classes = ()  # nothing to check: everyone may call
    throttle_classes: tuple[type[BaseThrottle], ...] = (ClientScopedRateThrottle,)
    throttle_scope = "auth"

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


@docs.register
class RegisterView(PublicView):
    def post(self, request: Request) -> Response:
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(MeOutputSerializer(user, context={"request": request}).data, status=status.HTTP_201_CREATED)


@docs.confirm_email
class ConfirmEmailView(PublicView):
    def post(self, request: Request) -> Response:
        serializer = ConfirmEmailInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_confirm(**serializer.validated_data)
        return Response({"detail": docs.CONFIRMED})


@docs.confirm_email_resend
class ResendConfirmationView(PublicView):
    throttle_scope = "confirm_resend"

    def post(self, request: Request) -> Response:
        serializer = ResendConfirmationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_confirmation_resend(email=serializer.validated_data["email"])
        return Response({"detail": docs.RESEND_ACCEPTED}, status=status.HTTP_202_ACCEPTED)


@docs.token_obtain
class TokenObtainView(PublicView):
    def post(self, request: Request) -> Response:
        serializer = TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(tokens.login(request=request, **serializer.validated_data))


@docs.token_refresh
class SessionTokenRefreshView(PublicView, TokenRefreshView):
    serializer_class = SessionRefreshSerializer


@docs.token_verify
class SessionTokenVerifyView(PublicView, TokenVerifyView):
    serializer_class = SessionVerifySerializer


class SignedInView(AccountsView):
    """Any signed-in account, confirmed email or not (business endpoints require a confirmed one)."""

    permission_classes = (IsAuthenticated,)
    request: AuthenticatedRequest
    defers_session_check = True  # its GETs only read (accounts/middleware.py)


@docs.me
class MeView(SignedInView):
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(MeOutputSerializer(request.user, context={"request": request}).data)

    def patch(self, request: AuthenticatedRequest) -> Response:
        serializer = MeUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(MeOutputSerializer(user, context={"request": request}).data)


@docs.session_list
class SessionListView(SignedInView, ListAPIView):
    """Fixed SQL (accounts/queries.py), rendered by orjson; the queryset describes the list to OpenAPI."""

    serializer_class = SessionOutputSerializer
    filter_backends = ()
    renderer_classes = fast_renderers()
    content_negotiation_class = FastJSONNegotiation

    def get_queryset(self) -> QuerySet[UserSession]:
        return selectors.session_list(user=self.request.user)

    def list(self, request: AuthenticatedRequest, *args: object, **kwargs: object) -> Response:  # type: ignore[override]
        session = current_session(request.user)
        rows = queries.session_page(user_id=request.user.pk, current_session_id=session.pk if session else None)
        expect_requested_page(rows, self.paginator, request)  # the page and its count in one statement
        return self.get_paginated_response(self.paginate_queryset(rows))  # type: ignore[arg-type]


@docs.session_revoke
class SessionDetailView(SignedInView):
    def delete(self, request: AuthenticatedRequest, session_id: UUID) -> Response:
        services.session_revoke(session=selectors.session_get_for_user(user=request.user, session_id=session_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@docs.logout
class LogoutView(SignedInView):
    def post(self, request: AuthenticatedRequest) -> Response:
        session = current_session(request.user)
        if session is not None:  # always, for a user authenticated by a token
            services.session_revoke(session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)

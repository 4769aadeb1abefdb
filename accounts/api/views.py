from django.contrib.auth import authenticate
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenRefreshView, TokenVerifyView

from accounts import selectors, services
from accounts.api import examples
from accounts.api.serializers import (
    AccessTokenOutputSerializer,
    ConfirmEmailInputSerializer,
    DetailOutputSerializer,
    MeOutputSerializer,
    MeUpdateInputSerializer,
    RegisterInputSerializer,
    ResendConfirmationInputSerializer,
    SessionOutputSerializer,
    SessionRefreshSerializer,
    SessionVerifySerializer,
    TokenObtainInputSerializer,
    TokenPairOutputSerializer,
)
from accounts.throttling import ClientScopedRateThrottle
from common.http import client_ip
from common.openapi import ERROR_400, ERROR_401, ERROR_403, ERROR_404, ERROR_429, error_response

TAG = "auth"

# simplejwt's answers to a refresh or verify call with a bad token (InvalidToken carries a code).
BAD_TOKEN_401 = error_response(
    ERROR_401,
    OpenApiExample("Session revoked", value={"detail": "Token's session has been revoked", "code": "token_not_valid"}),
    OpenApiExample("Expired", value={"detail": "Token is expired", "code": "token_not_valid"}),
    OpenApiExample("Invalid", value={"detail": "Token is invalid", "code": "token_not_valid"}),
    description="The token is malformed, expired, of the wrong type, or its session was revoked.",
)


class AuthThrottledMixin:
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "auth"

    def get_authenticate_header(self, request: Request) -> str:
        # Token endpoints take no token, yet a failed login is a 401 with a challenge, not a 403.
        return 'Bearer realm="api"'


class RegisterView(AuthThrottledMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_register",
        tags=[TAG],
        request=RegisterInputSerializer,
        responses={
            201: MeOutputSerializer,
            400: error_response(
                ERROR_400,
                OpenApiExample("Username taken", value={"username": ["A user with that username already exists."]}),
                OpenApiExample("Email taken", value={"email": ["A user with that email already exists."]}),
                OpenApiExample(
                    "Weak password",
                    value={
                        "password": [
                            "This password is too short. It must contain at least 8 characters.",
                            "This password is too common.",
                        ]
                    },
                ),
            ),
            429: ERROR_429,
        },
        examples=[
            OpenApiExample(
                "Register",
                value={"username": "anna", "email": "anna@example.com", "password": examples.PASSWORD},
                request_only=True,
            ),
            OpenApiExample(
                "Registered",
                value=examples.REGISTERED_USER,
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """Create an unconfirmed account; a 6-digit confirmation code is emailed."""
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(
            MeOutputSerializer(user, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ConfirmEmailView(AuthThrottledMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_confirm_email",
        tags=[TAG],
        request=ConfirmEmailInputSerializer,
        responses={
            200: DetailOutputSerializer,
            400: error_response(
                ERROR_400,
                OpenApiExample("Wrong or expired code", value={"code": ["The code is invalid or has expired."]}),
                OpenApiExample("Not 6 digits", value={"code": ["Enter the 6-digit code."]}),
            ),
            429: ERROR_429,
        },
        examples=[
            OpenApiExample("Confirm", value={"email": "anna@example.com", "code": "123456"}, request_only=True),
            OpenApiExample("Confirmed", value={"detail": "Email confirmed."}, response_only=True, status_codes=["200"]),
        ],
    )
    def post(self, request: Request) -> Response:
        """Confirm the email with the latest code. Five wrong tries spend a code."""
        serializer = ConfirmEmailInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_confirm(**serializer.validated_data)
        return Response({"detail": "Email confirmed."})


class ResendConfirmationView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "confirm_resend"

    @extend_schema(
        operation_id="auth_confirm_email_resend",
        tags=[TAG],
        request=ResendConfirmationInputSerializer,
        responses={
            202: DetailOutputSerializer,
            400: error_response(
                ERROR_400, OpenApiExample("Not an email", value={"email": ["Enter a valid email address."]})
            ),
            429: error_response(
                ERROR_429,
                OpenApiExample(
                    "Throttled", value={"detail": "Request was throttled. Expected available in 1187 seconds."}
                ),
            ),
        },
        examples=[
            OpenApiExample("Resend", value={"email": "anna@example.com"}, request_only=True),
            OpenApiExample(
                "Accepted",
                value={"detail": "If an unconfirmed account uses this email, a new code has been sent."},
                response_only=True,
                status_codes=["202"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """Send a new code. The answer is the same whether or not the address has an account."""
        serializer = ResendConfirmationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_confirmation_resend(email=serializer.validated_data["email"])
        return Response(
            {"detail": "If an unconfirmed account uses this email, a new code has been sent."},
            status=status.HTTP_202_ACCEPTED,
        )


class TokenObtainView(AuthThrottledMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=[TAG],
        request=TokenObtainInputSerializer,
        responses={
            200: TokenPairOutputSerializer,
            400: error_response(
                ERROR_400, OpenApiExample("No password", value={"password": ["This field is required."]})
            ),
            401: error_response(
                ERROR_401,
                OpenApiExample(
                    "Wrong credentials", value={"detail": "No active account found with the given credentials"}
                ),
                description="Wrong username or password, or an inactive account.",
            ),
            429: ERROR_429,
        },
        examples=[
            OpenApiExample("Login", value={"username": "anna", "password": examples.PASSWORD}, request_only=True),
            OpenApiExample(
                "Tokens of the new session",
                value={"access": examples.ACCESS_TOKEN, "refresh": examples.REFRESH_TOKEN},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        """Log in: opens a session and returns its access and refresh tokens."""
        serializer = TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise AuthenticationFailed(
                "No active account found with the given credentials",
                code="no_active_account",
            )
        _, refresh = services.session_start(
            user=user,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            ip_address=client_ip(request),
        )
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_refresh",
        tags=[TAG],
        responses={
            200: AccessTokenOutputSerializer,
            400: error_response(ERROR_400, OpenApiExample("No token", value={"refresh": ["This field is required."]})),
            401: BAD_TOKEN_401,
            429: ERROR_429,
        },
        examples=[
            OpenApiExample("Refresh", value={"refresh": examples.REFRESH_TOKEN}, request_only=True),
            OpenApiExample(
                "New access token",
                value={"access": examples.REFRESHED_ACCESS_TOKEN},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
)
class SessionTokenRefreshView(AuthThrottledMixin, TokenRefreshView):
    """A new access token for a refresh token whose session is still active."""

    serializer_class = SessionRefreshSerializer


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_verify",
        tags=[TAG],
        responses={
            200: OpenApiResponse(
                response={"type": "object", "description": "Empty: the token is valid.", "maxProperties": 0},
                description="The token is valid and its session active.",
                examples=[OpenApiExample("Valid", value={})],
            ),
            400: error_response(ERROR_400, OpenApiExample("No token", value={"token": ["This field is required."]})),
            401: BAD_TOKEN_401,
            429: ERROR_429,
        },
        examples=[OpenApiExample("Verify an access token", value={"token": examples.ACCESS_TOKEN}, request_only=True)],
    )
)
class SessionTokenVerifyView(AuthThrottledMixin, TokenVerifyView):
    """Checks a token's signature, expiry and session."""

    serializer_class = SessionVerifySerializer


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_me",
        tags=[TAG],
        responses={200: MeOutputSerializer, 401: ERROR_401, 403: ERROR_403},
        examples=[OpenApiExample("My profile", value=examples.USER, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        """The requester's profile."""
        return Response(MeOutputSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        operation_id="auth_me_update",
        tags=[TAG],
        request=MeUpdateInputSerializer,
        responses={
            200: MeOutputSerializer,
            400: error_response(
                ERROR_400,
                OpenApiExample(
                    "Phone too long", value={"phone": ["Ensure this field has no more than 32 characters."]}
                ),
            ),
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[
            OpenApiExample("Update", value={"first_name": "Anna", "phone": "+79990001122"}, request_only=True),
            OpenApiExample("Updated profile", value=examples.USER, response_only=True),
        ],
    )
    def patch(self, request: Request) -> Response:
        """Change profile fields; username, email and scores are not changed here."""
        serializer = MeUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(MeOutputSerializer(user, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="auth_sessions_list",
        tags=[TAG],
        responses={
            200: SessionOutputSerializer(many=True),
            401: ERROR_401,
            403: ERROR_403,
        },
        examples=[OpenApiExample("My sessions", value=examples.SESSION, response_only=True)],
    )
)
class SessionListView(ListAPIView):
    """My sessions, newest first; `current` marks the one making this request."""

    permission_classes = [IsAuthenticated]
    serializer_class = SessionOutputSerializer
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.session_list(user=self.request.user)


class SessionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_sessions_revoke",
        tags=[TAG],
        responses={
            204: OpenApiResponse(description="Revoked (or already revoked); no body."),
            401: ERROR_401,
            403: ERROR_403,
            404: error_response(
                ERROR_404,
                OpenApiExample("Not one of mine", value={"detail": "Not found."}),
                description="No such session, or another user's.",
            ),
        },
    )
    def delete(self, request: Request, session_id: str) -> Response:
        """Revoke one of my sessions. Its tokens stop working at once."""
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        if session is None:
            raise NotFound()
        services.session_revoke(session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        tags=[TAG],
        request=None,
        responses={
            204: OpenApiResponse(description="The session is revoked; no body."),
            401: ERROR_401,
            403: ERROR_403,
        },
    )
    def post(self, request: Request) -> Response:
        """Revoke the session of the token making this request."""
        services.session_revoke(session=request.user.current_session)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""OpenAPI of /api/auth/*: every body, example, description and error each operation answers.

Errors follow the product contract, `{"detail", "code"}` plus `fields` on validation (common.openapi), except
simplejwt's own token refusals, which already carry `detail` and `code`. The examples are bodies the API
really sends (tests/accounts/test_openapi.py compares them with live answers).
"""

from collections.abc import Mapping
from typing import Any, NamedTuple

from drf_spectacular.utils import OpenApiExample, OpenApiRequest, OpenApiResponse, extend_schema, extend_schema_view

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
    TokenObtainInputSerializer,
    TokenPairOutputSerializer,
)
from accounts.errors import (
    AccountsErrorCode,
    InvalidConfirmationCodeError,
    SessionNotFoundError,
    WeakPasswordError,
)
from accounts.tokens import NO_ACTIVE_ACCOUNT
from common.errors import CommonErrorCode
from common.openapi import (
    NOT_AUTHENTICATED,
    PRODUCT_403,
    PRODUCT_429,
    product_error,
)

TAG = "auth"
#: the image formats an avatar may be in (Pillow reads each; anything else is 400 `invalid_image`)
AVATAR_TYPES = "image/png, image/jpeg, image/gif, image/webp"

CONFIRMED = "Email confirmed."
RESEND_ACCEPTED = "If an unconfirmed account uses this email, a new code has been sent."

INVALID_INPUT = "Invalid input."


class Case(NamedTuple):
    """One refusal an operation answers: its stable code, message and (validation) field errors."""

    code: str
    message: str
    fields: Mapping[str, Any] | None = None
    name: str = ""


def errors(description: str, *cases: Case) -> OpenApiResponse:
    """An error answer of the product contract (`common.openapi.product_error`) with an example per case.

    `product_error` shows one example per code and field errors on the generic validation codes only; here a
    domain refusal about one field (a taken email, a weak password) shows its `fields`, and one code may have
    several messages (simplejwt's `token_not_valid`).
    """
    first_message: dict[str, str] = {}
    for case in cases:
        first_message.setdefault(str(case.code), case.message)
    response = product_error(description, *first_message.items())
    response.examples = [
        OpenApiExample(
            case.name or case.code,
            value={
                "detail": case.message,
                "code": str(case.code),
                **({"fields": dict(case.fields)} if case.fields else {}),
            },
            response_only=True,
        )
        for case in cases
    ]
    return response


#: a body that is not JSON at all
PARSE_ERROR = (str(CommonErrorCode.PARSE_ERROR), "JSON parse error - Expecting value: line 1 column 1 (char 0)")


def validation_error(*cases: Case) -> OpenApiResponse:
    return errors("Validation failed: every bad field with its messages.", *cases, Case(*PARSE_ERROR))


def _required(field: str) -> Case:
    return Case("required", INVALID_INPUT, {field: ["This field is required."]})


#: every operation that takes a bearer token: none, or one simplejwt cannot read
BEARER_401 = errors(
    "No token, or a malformed or expired one.",
    Case(*NOT_AUTHENTICATED),
    Case("token_not_valid", "Given token not valid for any token type"),
)
#: refresh and verify: simplejwt's refusals of the token in the body
BAD_TOKEN_401 = errors(
    "The token is malformed, expired, of the wrong type, or its session was revoked.",
    Case("token_not_valid", "Token's session has been revoked", name="Session revoked"),
    Case("token_not_valid", "Token is expired", name="Expired"),
    Case("token_not_valid", "Token is invalid", name="Invalid"),
)

register = extend_schema_view(
    post=extend_schema(
        operation_id="auth_register",
        summary="Register an account",
        tags=[TAG],
        description="Create an unconfirmed account; a 6-digit confirmation code is emailed.",
        request=RegisterInputSerializer,
        responses={
            201: MeOutputSerializer,
            400: validation_error(
                _required("username"),
                Case(
                    AccountsErrorCode.WEAK_PASSWORD,
                    WeakPasswordError.MESSAGE,
                    {
                        "password": [
                            "This password is too short. It must contain at least 8 characters.",
                            "This password is too common.",
                        ]
                    },
                ),
                Case(
                    AccountsErrorCode.USERNAME_TAKEN,
                    "A user with that username already exists.",
                    {"username": ["A user with that username already exists."]},
                ),
                Case(
                    AccountsErrorCode.EMAIL_TAKEN,
                    "A user with that email already exists.",
                    {"email": ["A user with that email already exists."]},
                ),
            ),
            429: PRODUCT_429,
        },
        examples=[
            OpenApiExample(
                "Register",
                value={"username": "anna", "email": "anna@example.com", "password": examples.PASSWORD},
                request_only=True,
            ),
            OpenApiExample("Registered", value=examples.REGISTERED_USER, response_only=True, status_codes=["201"]),
        ],
    )
)

confirm_email = extend_schema_view(
    post=extend_schema(
        operation_id="auth_confirm_email",
        summary="Confirm my email with the code",
        tags=[TAG],
        description="Confirm the email with the latest code. Five wrong tries spend a code.",
        request=ConfirmEmailInputSerializer,
        responses={
            200: DetailOutputSerializer,
            400: validation_error(
                Case(
                    AccountsErrorCode.INVALID_CONFIRMATION_CODE,
                    InvalidConfirmationCodeError.MESSAGE,
                    {"code": [InvalidConfirmationCodeError.MESSAGE]},
                ),
                Case("invalid", INVALID_INPUT, {"code": ["Enter the 6-digit code."]}),
                _required("email"),
            ),
            429: PRODUCT_429,
        },
        examples=[
            OpenApiExample(
                "Confirm",
                value={"email": "unconfirmed@example.com", "code": "123456"},
                request_only=True,
                description="The demo user `unconfirmed` with the code of its latest email (send one with the resend "
                "operation; `make run` prints emails on its console).",
            ),
            OpenApiExample("Confirmed", value={"detail": CONFIRMED}, response_only=True, status_codes=["200"]),
        ],
    )
)

confirm_email_resend = extend_schema_view(
    post=extend_schema(
        operation_id="auth_confirm_email_resend",
        summary="Send a new confirmation code",
        tags=[TAG],
        description="Send a new code. The answer is the same whether or not the address has an account.",
        request=ResendConfirmationInputSerializer,
        responses={
            202: DetailOutputSerializer,
            400: validation_error(Case("invalid", INVALID_INPUT, {"email": ["Enter a valid email address."]})),
            429: errors(
                "Too many requests; retry after the time given.",
                Case("throttled", "Request was throttled. Expected available in 1187 seconds."),
            ),
        },
        examples=[
            OpenApiExample("Resend", value={"email": "unconfirmed@example.com"}, request_only=True),
            OpenApiExample("Accepted", value={"detail": RESEND_ACCEPTED}, response_only=True, status_codes=["202"]),
        ],
    )
)

token_obtain = extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_obtain",
        summary="Log in: get access and refresh tokens",
        tags=[TAG],
        description="Log in: opens a session and returns its access and refresh tokens.",
        request=TokenObtainInputSerializer,
        responses={
            200: TokenPairOutputSerializer,
            400: validation_error(_required("password")),
            401: errors("Wrong username or password, or an inactive account.", Case(*NO_ACTIVE_ACCOUNT)),
            429: PRODUCT_429,
        },
        examples=[
            OpenApiExample(
                "Login",
                value=examples.DEMO_LOGIN,
                request_only=True,
                description="A demo user of `make run` (every demo user has the password `demo-pass-2024`).",
            ),
            OpenApiExample(
                "Tokens of the new session",
                value={"access": examples.ACCESS_TOKEN, "refresh": examples.REFRESH_TOKEN},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
)

token_refresh = extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_refresh",
        summary="Get a new access token",
        tags=[TAG],
        description="A new access token for a refresh token whose session is still active.",
        responses={
            200: AccessTokenOutputSerializer,
            400: validation_error(_required("refresh")),
            401: BAD_TOKEN_401,
            429: PRODUCT_429,
        },
        examples=[
            OpenApiExample(
                "Refresh",
                value={"refresh": examples.REFRESH_TOKEN},
                request_only=True,
                description="Paste the `refresh` of your login.",
            ),
            OpenApiExample(
                "New access token",
                value={"access": examples.REFRESHED_ACCESS_TOKEN},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    )
)

token_verify = extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_verify",
        summary="Check a token",
        tags=[TAG],
        description="Checks a token's signature, expiry and session.",
        responses={
            200: OpenApiResponse(
                response={"type": "object", "description": "Empty: the token is valid.", "maxProperties": 0},
                description="The token is valid and its session active.",
                examples=[OpenApiExample("Valid", value={})],
            ),
            400: validation_error(_required("token")),
            401: BAD_TOKEN_401,
            429: PRODUCT_429,
        },
        examples=[
            OpenApiExample(
                "Verify an access token",
                value={"token": examples.ACCESS_TOKEN},
                request_only=True,
                description="Paste the `access` (or `refresh`) of your login.",
            )
        ],
    )
)

me = extend_schema_view(
    get=extend_schema(
        operation_id="auth_me",
        summary="My profile",
        tags=[TAG],
        description="The requester's profile.",
        responses={200: MeOutputSerializer, 401: BEARER_401, 403: PRODUCT_403},
        examples=[OpenApiExample("My profile", value=examples.USER, response_only=True)],
    ),
    patch=extend_schema(
        operation_id="auth_me_update",
        summary="Change my profile",
        tags=[TAG],
        description=(
            "Change profile fields; username, email and scores are not changed here. The `avatar` is an image file "
            "(PNG, JPEG, GIF or WebP) sent as a multipart/form-data part; `null` (JSON) or an empty value (a form) "
            "removes it. Any other file is 400 `invalid_image`."
        ),
        request={
            "application/json": MeUpdateInputSerializer,
            "application/x-www-form-urlencoded": MeUpdateInputSerializer,
            "multipart/form-data": OpenApiRequest(
                MeUpdateInputSerializer, encoding={"avatar": {"contentType": AVATAR_TYPES}}
            ),
        },
        responses={
            200: MeOutputSerializer,
            400: validation_error(
                Case("max_length", INVALID_INPUT, {"phone": ["Ensure this field has no more than 32 characters."]}),
            ),
            401: BEARER_401,
            403: PRODUCT_403,
        },
        examples=[
            OpenApiExample("Update", value={"first_name": "Anna", "phone": "+79990001122"}, request_only=True),
            OpenApiExample("Updated profile", value=examples.USER, response_only=True),
        ],
    ),
)

session_list = extend_schema_view(
    get=extend_schema(
        operation_id="auth_sessions_list",
        summary="My sessions",
        tags=[TAG],
        description="My sessions, newest first; `current` marks the one making this request.",
        responses={
            200: SessionOutputSerializer(many=True),
            401: BEARER_401,
            403: PRODUCT_403,
            404: errors("With `?page`: no such page.", Case("not_found", "Invalid page.")),
        },
        examples=[OpenApiExample("My sessions", value=examples.SESSION, response_only=True)],
    )
)

session_revoke = extend_schema_view(
    delete=extend_schema(
        operation_id="auth_sessions_revoke",
        summary="Revoke one of my sessions",
        tags=[TAG],
        description="Revoke one of my sessions. Its tokens stop working at once.",
        responses={
            204: OpenApiResponse(description="Revoked (or already revoked); no body."),
            401: BEARER_401,
            403: PRODUCT_403,
            404: errors("No such session, or another user's.", Case("not_found", SessionNotFoundError.MESSAGE)),
        },
    )
)

logout = extend_schema_view(
    post=extend_schema(
        operation_id="auth_logout",
        summary="Log out (revoke this session)",
        tags=[TAG],
        description="Revoke the session of the token making this request.",
        request=None,
        responses={
            204: OpenApiResponse(description="The session is revoked; no body."),
            401: BEARER_401,
            403: PRODUCT_403,
        },
    )
)

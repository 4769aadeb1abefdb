"""Hostile input: every request gets a 2xx/3xx/4xx with a JSON body in the endpoint's contract, never a 500.

One test per class of hostile input, parametrized over the endpoints the integrator's report named (register,
order-c, the review PATCH, v2 orders) plus a representative endpoint of every app. Every refusal must leave the
tables as they were. The size and depth classes also run through a real HTTP server (`live_server` + httpx),
which builds requests as a WSGI server does, not as Django's test client does.
"""

import io
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx
import jwt
import pytest
from django.conf import settings
from django.db import models
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts.models import User, UserSession
from accounts.services import session_start
from appraisals.models import Appraisal, AppraisalParticipant
from assignments.models import AssignedOrder, AssignedOrderHistory
from orders.models import Order
from organizations.models import Client, Membership, Organization, Service
from partner.models import OutboxEvent, PartnerOrder
from reviews.models import MarketplaceOrder, OrderReview, OrderReviewStatusChange
from tests.accounts.factories import UserFactory
from tests.appraisals.conftest import participant_body
from tests.appraisals.factories import AppraisalParticipantFactory
from tests.partner.conftest import order_body
from tests.support.auth import bearer, bearer_headers
from tests.support.world import FactoryWorld

TABLES: tuple[type[models.Model], ...] = (
    User,
    UserSession,
    Organization,
    Membership,
    Service,
    Client,
    Order,
    MarketplaceOrder,
    OrderReview,
    OrderReviewStatusChange,
    AssignedOrder,
    AssignedOrderHistory,
    Appraisal,
    AppraisalParticipant,
    PartnerOrder,
    OutboxEvent,
)
PRODUCT, DOC_001 = "product", "001"
LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
DEEP = 100_000


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


class World(FactoryWorld):
    """The objects the endpoints act on, and the users who may call each."""

    @cached_property
    def participant(self) -> AppraisalParticipant:
        return AppraisalParticipantFactory(appraisal=self.appraisal)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    contract: str
    url: Callable[[World], str]
    caller: Callable[[World], User | None]
    body: Callable[[World], dict[str, Any]] = field(default=lambda w: {})
    #: how the endpoint refuses a body it cannot read: order-c finds the organization whose right it checks
    #: in the body, so an unreadable one is document 001's 403 (no organization, no right)
    unreadable: tuple[int, ...] = (400,)

    def __str__(self) -> str:
        return self.name


# The integrator's four, then a representative write of every app (the product's organizations, 002, 003).
BODY_ENDPOINTS = [
    Endpoint(
        "register",
        "POST",
        PRODUCT,
        lambda w: "/api/auth/register/",
        lambda w: None,
        lambda w: {"username": "newcomer", "email": "newcomer@example.com", "password": "pass-Word-123"},
    ),
    Endpoint(
        "order-c",
        "POST",
        DOC_001,
        lambda w: "/orders/order-c/",
        lambda w: w.org.creator,
        lambda w: {
            "description": "New order",
            "organization": w.org.pk,
            "creator": w.org.creator_id,
            "executor": w.org.creator_id,
            "client": w.client.pk,
            "service": w.service.pk,
        },
        unreadable=(400, 403),
    ),
    Endpoint(
        "review-patch",
        "PATCH",
        DOC_001,
        lambda w: f"/api_v2/order/review/{w.review.pk}/",
        lambda w: w.review.executor,
        lambda w: {"status": "reconciliation", "to_price": "900.00", "cancel_reason": "none"},
    ),
    Endpoint(
        "v2-orders", "POST", DOC_001, lambda w: "/v2/orders/", lambda w: w.partner_service, lambda w: order_body()
    ),
    Endpoint(
        "organizations",
        "POST",
        PRODUCT,
        lambda w: "/api/organizations/",
        lambda w: w.org.creator,
        lambda w: {"name": "Bakery", "description": "Bread", "address": "Main st", "numbers": {"main": "+7999"}},
    ),
    Endpoint(
        "participants",
        "POST",
        DOC_001,
        lambda w: f"/api/appraisals/{w.appraisal.pk}/participants",
        lambda w: w.hr,
        lambda w: participant_body(),
    ),
    Endpoint(
        "marketplace-order",
        "POST",
        DOC_001,
        lambda w: "/api_v2/order/",
        lambda w: w.review.executor,
        lambda w: {"name": "Landing page", "description": "For a bakery.", "price": "15000.00", "term": 7},
    ),
]
# the bodies with numbers in them (register and organizations take text only)
NUMERIC_BODY_ENDPOINTS = [endpoint for endpoint in BODY_ENDPOINTS if endpoint.name not in ("register", "organizations")]
# Reads with ids and query parameters, one per app.
QUERY_ENDPOINTS = [
    Endpoint("sessions", "GET", PRODUCT, lambda w: "/api/auth/sessions/", lambda w: w.org.creator),
    Endpoint(
        "org-services", "GET", PRODUCT, lambda w: f"/api/organizations/{w.org.pk}/services/", lambda w: w.org.creator
    ),
    Endpoint("order-l", "GET", DOC_001, lambda w: f"/orders/order-l/{w.org.pk}/", lambda w: w.org.creator),
    Endpoint("feed", "GET", DOC_001, lambda w: "/api_v2/order/", lambda w: w.review.executor),
    Endpoint("assignments", "GET", PRODUCT, lambda w: "/api/assignments/", lambda w: w.dispatcher),
    Endpoint("appraisals", "GET", DOC_001, lambda w: "/api/appraisals/", lambda w: w.hr),
]


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return World()


def client_for(endpoint: Endpoint, world: World) -> APIClient:
    client = APIClient()
    user = endpoint.caller(world)
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=bearer(user))
    return client


def send(
    client: Any, endpoint: Endpoint, world: World, body: bytes, content_type: str = "application/json", **extra: Any
) -> Any:
    return client.generic(endpoint.method, endpoint.url(world), body, content_type=content_type, **extra)


def assert_contract(response: Any, contract: str, status: int | tuple[int, ...]) -> dict[str, Any]:
    """The status, a JSON body, and the contract's shape: `{"detail", "code"}` or document 001's."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    if response.status_code < 400:
        return body
    assert isinstance(body, dict)
    if contract == PRODUCT:
        assert set(body) <= {"detail", "code", "fields"}, body
        assert {"detail", "code"} <= set(body), body
    elif "detail" in body:
        assert set(body) == {"detail"}, body
    else:  # document 001's validation: {field: [messages]}
        assert all(isinstance(messages, list | dict) for messages in body.values()), body
    return body


def map_leaves(value: Any, leaf: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {key: map_leaves(item, leaf) for key, item in value.items()}
    if isinstance(value, list):
        return [map_leaves(item, leaf) for item in value]
    return leaf(value)


def prepare(endpoint: Endpoint, world: World) -> tuple[APIClient, dict[str, Any]]:
    """The caller's client and a valid body; the objects the request names exist before the tables are counted."""
    client = client_for(endpoint, world)
    endpoint.url(world)
    return client, endpoint.body(world)


# --- size ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("size", [5_000_000, 50_000_000], ids=["5MB", "50MB"])
def test_a_body_over_the_limit_is_413(endpoint: Endpoint, size: int, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()
    body = b'{"description": "' + b"x" * size + b'"}'

    response = send(client, endpoint, world, body)

    assert assert_contract(response, endpoint.contract, 413) == {
        "detail": "The request body is too large.",
        **({"code": "request_too_large"} if endpoint.contract == PRODUCT else {}),
    }
    assert counts() == before


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("kind", ["multipart-field", "multipart-file", "urlencoded"])
def test_a_form_over_the_limit_is_413_files_included(endpoint: Endpoint, kind: str, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()
    if kind == "urlencoded":
        body, content_type = b"description=" + b"x" * 6_000_000, "application/x-www-form-urlencoded"
    else:
        value: Any = "x" * 6_000_000
        if kind == "multipart-file":
            value = io.BytesIO(b"x" * 6_000_000)
            value.name = "big.bin"
        body, content_type = encode_multipart(BOUNDARY, {"avatar": value}), MULTIPART_CONTENT

    response = send(client, endpoint, world, body, content_type)

    # 413; or 415 where the endpoint takes JSON only (v2 refuses the media type before reading)
    assert_contract(response, endpoint.contract, (413, 415))
    assert counts() == before


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("kind", ["multipart", "urlencoded"])
def test_too_many_form_fields_is_400(endpoint: Endpoint, kind: str, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()
    fields = {f"field{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    if kind == "multipart":
        body, content_type = encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT
    else:
        body, content_type = (
            "&".join(f"{k}={v}" for k, v in fields.items()).encode(),
            "application/x-www-form-urlencoded",
        )

    response = send(client, endpoint, world, body, content_type)

    assert_contract(response, endpoint.contract, (400, 415))
    assert counts() == before


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
def test_a_chunked_body_decoded_by_the_server_is_bounded(endpoint: Endpoint, world: World) -> None:
    """gunicorn de-chunks and says so (`wsgi.input_terminated`); there is no Content-Length to check."""
    client, _ = prepare(endpoint, world)
    before = counts()
    stream = io.BytesIO(b'{"description": "' + b"x" * (LIMIT + 10) + b'"}')
    chunked = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}

    response = send(client, endpoint, world, b"", **{**chunked, "wsgi.input": stream})

    assert_contract(response, endpoint.contract, 413)
    assert stream.tell() <= LIMIT + 1  # read up to one byte over the limit, no further
    assert counts() == before


def test_a_small_chunked_body_decoded_by_the_server_is_read(world: World) -> None:
    endpoint = BODY_ENDPOINTS[0]
    body = json.dumps(endpoint.body(world)).encode()
    chunked = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True}

    response = send(APIClient(), endpoint, world, b"", **{**chunked, "wsgi.input": io.BytesIO(body)})

    assert response.status_code == 201, response.content
    assert User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("content_length", ["abc", "-1", " 12x"])
def test_a_content_length_that_is_not_a_length_is_400(endpoint: Endpoint, content_length: str, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()

    response = send(client, endpoint, world, b'{"a": 1}', CONTENT_LENGTH=content_length)

    assert_contract(response, endpoint.contract, 400)
    assert counts() == before


# --- depth -----------------------------------------------------------------------------------------------------
DEPTH_BODIES = {
    "arrays": b"[" * DEEP + b"]" * DEEP,
    "objects": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "unclosed": b"[" * DEEP,
    "in-a-field": b'{"description": ' + b"[" * DEEP + b"]" * DEEP + b"}",
}


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("shape", list(DEPTH_BODIES))
def test_json_nested_100000_deep_is_a_400_parse_error(endpoint: Endpoint, shape: str, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()

    response = send(client, endpoint, world, DEPTH_BODIES[shape])

    body = assert_contract(response, endpoint.contract, 400)
    assert body["detail"] == f"JSON parse error - nested deeper than {settings.JSON_MAX_DEPTH} levels"
    assert counts() == before


def test_json_patch_nested_100000_deep_is_a_400_parse_error(world: World) -> None:
    client = client_for(BODY_ENDPOINTS[5], world)
    url = f"/api/appraisals/{world.appraisal.pk}/participants/{world.participant.pk}"
    before = counts()

    response = client.generic("PATCH", url, DEPTH_BODIES["arrays"], content_type="application/json-patch+json")

    assert assert_contract(response, DOC_001, 400)["detail"].startswith("JSON parse error - nested deeper")
    assert counts() == before


def test_json_at_the_depth_limit_is_parsed() -> None:
    from common.parsers import JSONParser

    limit = settings.JSON_MAX_DEPTH
    at_limit = b"[" * limit + b"]" * limit
    assert JSONParser().parse(io.BytesIO(at_limit)) is not None
    brackets_in_strings = json.dumps([{"a": "[[[[" * 100, "b": '\\"[{' * 100}] * 50).encode()
    assert JSONParser().parse(io.BytesIO(brackets_in_strings))[0]["a"].startswith("[[[[")


# --- malformed bodies ------------------------------------------------------------------------------------------
MALFORMED = {
    "truncated": (b'{"description": ', "application/json"),
    "trailing-garbage": (b'{"a": 1} x', "application/json"),
    "invalid-utf8": (b'{"description": "\xff\xfe\xfd"}', "application/json"),
    "nan": (b'{"price": NaN}', "application/json"),
    "wrong-content-type": (b'{"a": 1}', "text/plain"),
    "xml": (b"<order/>", "application/xml"),
}


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_body_is_a_4xx(endpoint: Endpoint, kind: str, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()
    body, content_type = MALFORMED[kind]

    response = send(client, endpoint, world, body, content_type)

    assert_contract(response, endpoint.contract, (*endpoint.unreadable, 415))
    assert counts() == before


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
@pytest.mark.parametrize("document", [b"[]", b'[{"a": 1}]', b'"text"', b"42", b"null", b"true"])
def test_a_body_that_is_not_an_object_is_400(endpoint: Endpoint, document: bytes, world: World) -> None:
    client, _ = prepare(endpoint, world)
    before = counts()

    response = send(client, endpoint, world, document)

    assert_contract(response, endpoint.contract, endpoint.unreadable)
    assert counts() == before


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS, ids=str)
def test_nul_bytes_in_strings_are_400(endpoint: Endpoint, world: World) -> None:
    client, valid = prepare(endpoint, world)
    before = counts()
    with_nul = map_leaves(valid, lambda v: f"{v}\x00" if isinstance(v, str) else v)
    with_nul_keys = {**with_nul, "numbers": {"ma\x00in": "+7\x00"}, "extra": {"k\x00": "v\x00"}}

    for body in (with_nul, with_nul_keys):
        response = send(client, endpoint, world, json.dumps(body).encode())
        assert_contract(response, endpoint.contract, 400)
    assert counts() == before


@pytest.mark.parametrize(
    "endpoint", [e for e in BODY_ENDPOINTS if e.name not in ("register", "organizations")], ids=str
)
def test_huge_integers_in_bodies_are_400(endpoint: Endpoint, world: World) -> None:
    client, valid = prepare(endpoint, world)
    before = counts()
    for huge in (10**400, -(10**400)):
        body = map_leaves(valid, lambda v, huge=huge: huge if is_number(v) else v)  # type: ignore[misc]
        assert body != valid
        response = send(client, endpoint, world, json.dumps(body).encode())
        assert_contract(response, endpoint.contract, endpoint.unreadable)
    assert counts() == before


def is_number(value: Any) -> bool:
    """An integer, or a decimal written as a string (prices)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value) is not None)


# --- ids and query parameters ----------------------------------------------------------------------------------
HUGE = str(10**400)
HOSTILE_IDS = [
    ("order-r", DOC_001, lambda w: w.org.creator, f"/orders/order-r/{HUGE}/"),
    ("review", DOC_001, lambda w: w.review.executor, f"/api_v2/order/review/{HUGE}/history/"),
    ("marketplace", DOC_001, lambda w: w.review.executor, f"/api_v2/order/{HUGE}/"),
    ("organization", PRODUCT, lambda w: w.org.creator, f"/api/organizations/{HUGE}/"),
    ("service", PRODUCT, lambda w: w.org.creator, "/api/organizations/{org}/services/" + HUGE + "/"),
    ("session", PRODUCT, lambda w: w.org.creator, f"/api/auth/sessions/{HUGE}/"),
    ("appraisal", DOC_001, lambda w: w.hr, f"/api/appraisals/{HUGE}"),
    ("partner", DOC_001, lambda w: w.partner_service, f"/v2/orders/{HUGE}"),
    ("acquire", DOC_001, lambda w: w.dispatcher, f"/order/acquire?executor_id={HUGE}"),
]


@pytest.mark.parametrize(("name", "contract", "caller", "url"), HOSTILE_IDS, ids=[row[0] for row in HOSTILE_IDS])
def test_huge_integer_ids_are_4xx(name: str, contract: str, caller: Any, url: str, world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(caller(world)))
    url = url.replace("{org}", str(world.org.pk))
    before = counts()

    response = client.get(url)

    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    assert counts() == before


@pytest.mark.parametrize("endpoint", QUERY_ENDPOINTS, ids=str)
@pytest.mark.parametrize(
    "query",
    [
        "search=a%00b",
        "ordering=%00",
        "page=%00",
        "executor_id=%00",
        "status=%00",
        "done=%00",
        "created_after=%00",
        "page_size=%00",
        f"executor_id={HUGE}",
        f"service={HUGE}",
        f"price_min={HUGE}",
        f"page={HUGE}",
        f"page_size={HUGE}",
        "page=-1",
        "page=0",
        "page_size=-5",
        "page_size=0",
        "page=1.5",
        "search=" + "x" * 10_000,
    ],
)
def test_hostile_query_parameters_are_answered_in_the_contract(endpoint: Endpoint, query: str, world: World) -> None:
    client = client_for(endpoint, world)
    before = counts()

    response = client.get(f"{endpoint.url(world)}?{query}")

    assert_contract(response, endpoint.contract, (200, 400, 404))
    assert counts() == before


# --- methods ---------------------------------------------------------------------------------------------------
def every_path(world: World) -> list[str]:
    """One concrete URL for every route of the URLconf (admin and docs included)."""
    ids = {
        "organization_id": world.org.pk,
        "pk": world.service.pk,
        "service_id": world.service.pk,
        "client_id": world.client.pk,
        "user_id": world.org.creator_id,
        "id": world.review.pk,
        "appraisalId": world.appraisal.pk,
        "participantId": world.participant.pk,
        "order_id": 1,
        "organizationId": world.org.pk,
    }
    paths: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                paths.add(prefix + route)

    walk(get_resolver().url_patterns, "")
    concrete = set()
    for path in paths:
        for name, value in ids.items():
            for form in (f"<int:{name}>", f"<{name}>", f"<uuid:{name}>", f"(?P<{name}>[0-9]{{1,18}})"):
                path = path.replace(form, str(value))
        if "<" in path or "(" in path or "[" in path or "*" in path or "?" in path:
            continue  # admin's and static's catch-all patterns: covered by their plain paths
        concrete.add("/" + path)
    return sorted(concrete)


def actors(world: World) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "unconfirmed": UserFactory(confirmed_email=False),
        "outsider": UserFactory(),
        "owner": world.org.creator,
        "hr": world.hr,
        "dispatcher": world.dispatcher,
        "partner": world.partner_service,
        "executor": world.review.executor,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }


def test_every_path_answers_options_and_unknown_methods_in_json(world: World) -> None:
    paths = every_path(world)
    assert len(paths) > 40
    clients = {}
    for name, user in actors(world).items():
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=bearer(user))
        clients[name] = client
    before = counts()
    failures = []

    for name, client in clients.items():
        for path in paths:
            for method in ("OPTIONS", "PROPFIND", "TRACE", "FOO"):
                response = client.generic(method, path)
                ok = (
                    response.status_code in (200, 302, 401, 403, 404, 405, 429)
                    if method == "OPTIONS"
                    else (400 <= response.status_code < 500)
                )
                is_json = response.get("Content-Type", "").startswith("application/json")
                page = path.startswith(("/admin/", "/api/docs/", "/api/redoc/", "/api/schema/"))
                if not ok or not (is_json or (page and method == "OPTIONS")):
                    failures.append((name, method, path, response.status_code, response.get("Content-Type")))

    assert failures == []
    assert counts() == before
    assert APIClient().get("/health/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/organizations/{org}/members/",
        "/api/organizations/{org}/services/",
        "/api/organizations/{org}/clients/",
        "/api/organizations/",
        "/api/appraisals/{appraisal}/participants",
        "/api/appraisals/{appraisal}/participants/{participant}",
        "/api/appraisals/{appraisal}",
        "/api/appraisals/999999",
    ],
)
def test_options_describes_the_endpoint(path: str, world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(UserFactory(is_staff=True, is_superuser=True)))
    url = path.format(org=world.org.pk, appraisal=world.appraisal.pk, participant=world.participant.pk)

    response = client.options(url)

    assert response.status_code == 200, response.content
    assert {"name", "renders", "parses"} <= set(response.json())


def test_options_on_an_organization_lists_its_input_for_its_owner(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=bearer(world.org.creator))

    response = client.options(f"/api/organizations/{world.org.pk}/services/")

    assert response.status_code == 200
    assert "name" in response.json()["actions"]["POST"]


# --- token claims ----------------------------------------------------------------------------------------------
BAD_CLAIMS: dict[str, dict[str, Any]] = {
    "sid-missing": {"sid": None},
    "sid-not-uuid": {"sid": "not-a-uuid"},
    "sid-int": {"sid": 12},
    "sid-list": {"sid": ["9a6f1c1e-3b1a-4b7e-9a41-6f0d1b2c3d4e"]},
    "sid-object": {"sid": {"id": "9a6f1c1e-3b1a-4b7e-9a41-6f0d1b2c3d4e"}},
    "sid-huge": {"sid": "a" * 100_000},
    "sid-nul": {"sid": "\x00"},
    "user-id-list": {"user_id": [1]},
    "user-id-object": {"user_id": {"id": 1}},
    "user-id-huge": {"user_id": 10**30},
    "user-id-huge-string": {"user_id": "9" * 400},
    "user-id-negative": {"user_id": -1},
    "user-id-float": {"user_id": 1.5},
    "user-id-bool": {"user_id": True},
    "user-id-text": {"user_id": "abc"},
}


def signed(token_class: type[RefreshToken] | type[AccessToken], user: User, claims: dict[str, Any]) -> str:
    """A token signed with the server's key, carrying `claims` (None removes a claim)."""
    session = session_start(user=user, user_agent="hostile", ip_address="127.0.0.1")
    token = token_class.for_user(user)
    token["sid"] = str(session.pk)
    payload = dict(token.payload)
    for name, value in claims.items():
        claim = jwt_settings.USER_ID_CLAIM if name == "user_id" else name
        if value is None:
            payload.pop(claim, None)
        else:
            payload[claim] = value
    return jwt.encode(payload, jwt_settings.SIGNING_KEY, algorithm=jwt_settings.ALGORITHM)


@pytest.mark.parametrize("claims", list(BAD_CLAIMS), ids=str)
def test_an_access_token_with_malformed_claims_is_401(claims: str, world: World) -> None:
    token = signed(AccessToken, world.org.creator, BAD_CLAIMS[claims])
    before = counts()

    for path in ("/api/auth/me/", "/orders/order-c/", "/api/appraisals/", "/v2/orders/1", "/api/assignments/"):
        response = APIClient().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401, (path, response.content)
        assert response.json() == {
            "detail": "Token contained no recognizable user identification",
            "code": "token_not_valid",
        }
    assert counts() == before


@pytest.mark.parametrize("claims", list(BAD_CLAIMS), ids=str)
def test_a_refresh_token_with_malformed_claims_is_401(claims: str, world: World) -> None:
    token = signed(RefreshToken, world.org.creator, BAD_CLAIMS[claims])
    before = counts()

    refresh = APIClient().post("/api/auth/token/refresh/", {"refresh": token}, format="json")
    verify = APIClient().post("/api/auth/token/verify/", {"token": token}, format="json")

    for response in (refresh, verify):
        assert response.status_code == 401, response.content
        assert response.json()["code"] == "token_not_valid"
        assert set(response.json()) <= {"detail", "code", "messages"}
    assert counts() == before


def test_a_well_formed_session_id_of_nobody_is_401(world: World) -> None:
    token = signed(AccessToken, world.org.creator, {"sid": str(uuid.uuid4())})

    response = APIClient().get("/api/auth/me/", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"


# --- through a real HTTP server --------------------------------------------------------------------------------
LIVE_ENDPOINTS = BODY_ENDPOINTS[:4] + BODY_ENDPOINTS[5:6]


@pytest.fixture
def live(live_server, transactional_db) -> Iterator[tuple[httpx.Client, World]]:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client, World()


def live_headers(endpoint: Endpoint, world: World, **headers: str) -> dict[str, str]:
    endpoint.url(world)
    user = endpoint.caller(world)
    auth = bearer_headers(user) if user is not None else {}
    return {"Content-Type": "application/json", **auth, **headers}


def live_assert(response: httpx.Response, contract: str, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert "detail" in body, body
    assert ("code" in body) == (contract == PRODUCT), body
    return body


@pytest.mark.parametrize("endpoint", LIVE_ENDPOINTS, ids=str)
@pytest.mark.parametrize("size", [5_000_000, 50_000_000], ids=["5MB", "50MB"])
def test_live_a_body_over_the_limit_is_413(endpoint: Endpoint, size: int, live: tuple[httpx.Client, World]) -> None:
    http, world = live
    headers = live_headers(endpoint, world)
    before = counts()

    response = http.request(endpoint.method, endpoint.url(world), content=b"[" + b" " * size + b"]", headers=headers)

    assert live_assert(response, endpoint.contract, 413)["detail"] == "The request body is too large."
    assert counts() == before


@pytest.mark.parametrize("endpoint", LIVE_ENDPOINTS, ids=str)
@pytest.mark.parametrize("shape", ["arrays", "objects"])
def test_live_json_nested_100000_deep_is_400(endpoint: Endpoint, shape: str, live: tuple[httpx.Client, World]) -> None:
    http, world = live
    headers = live_headers(endpoint, world)
    before = counts()

    response = http.request(endpoint.method, endpoint.url(world), content=DEPTH_BODIES[shape], headers=headers)

    assert live_assert(response, endpoint.contract, 400)["detail"].startswith("JSON parse error - nested deeper")
    assert counts() == before


@pytest.mark.parametrize("endpoint", LIVE_ENDPOINTS[:2], ids=str)
def test_live_a_chunked_body_the_server_cannot_decode_is_411(
    endpoint: Endpoint, live: tuple[httpx.Client, World]
) -> None:
    """Django's development server passes chunked framing through; the body cannot be read, so it is refused."""
    http, world = live
    headers = live_headers(endpoint, world)
    body = json.dumps(endpoint.body(world)).encode()
    before = counts()

    def chunks() -> Iterator[bytes]:
        yield body

    response = http.request(endpoint.method, endpoint.url(world), content=chunks(), headers=headers)

    assert live_assert(response, endpoint.contract, 411)["detail"] == "A request body needs a Content-Length header."
    assert counts() == before


@pytest.mark.parametrize("endpoint", LIVE_ENDPOINTS[:2], ids=str)
def test_live_a_content_length_shorter_than_the_body_reads_no_further(
    endpoint: Endpoint, live: tuple[httpx.Client, World]
) -> None:
    http, world = live
    body = b'{"description": "' + b"x" * 1_000 + b'"}'
    headers = live_headers(endpoint, world)
    before = counts()

    with httpx.Client(base_url=http.base_url, timeout=30) as fresh:
        request = fresh.build_request(endpoint.method, endpoint.url(world), content=body[:20])
        request.headers.update(headers)
        response = fresh.send(request)

    assert response.status_code == 400, response.text
    assert counts() == before
    assert http.get("/health/").status_code == 200


def test_live_unknown_methods_and_options(live: tuple[httpx.Client, World]) -> None:
    http, world = live
    headers = bearer_headers(world.org.creator)
    paths = ["/api/auth/me/", f"/api/organizations/{world.org.pk}/members/", "/orders/order-c/", "/metrics", "/admin/"]

    for path in paths:
        for method in ("PROPFIND", "TRACE"):
            response = http.request(method, path, headers=headers)
            assert 400 <= response.status_code < 500, (method, path, response.status_code)
            assert response.headers["Content-Type"].startswith("application/json"), (method, path)
    assert http.options(f"/api/organizations/{world.org.pk}/members/", headers=headers).status_code == 200
    assert http.get("/health/").status_code == 200


def test_the_limit_is_the_setting(settings, world: World) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    endpoint = BODY_ENDPOINTS[0]
    body = json.dumps({**endpoint.body(world), "padding": "x" * 2_000}).encode()

    response = send(APIClient(), endpoint, world, body)

    assert response.status_code == 413
    assert not User.objects.filter(username="newcomer").exists()

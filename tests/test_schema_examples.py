"""Every request example of the schema works against `make run`'s demo data.

The demo data is seeded as `make run` seeds it (a fresh database: every table's ids start at 1), then each request
example is sent as the demo user who holds the right, with the path and query parameters of the schema's parameter
examples (one named like the request example goes with it), and must get the operation's success status. Each
example runs in a savepoint rolled back afterwards, so every one starts from the demo data, deletes included.

Only what a live login gives is filled in: tokens, the session id and the mailed confirmation code, as a reader
pastes them in Swagger UI.
"""

import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from rest_framework.test import APIClient

from partner.fake_partner import FakePartner
from tests.support import openapi

DEMO_PASSWORD = "demo-pass-2024"

#: who runs each operation's examples: a demo user holding the right (operation id prefix → username)
DEMO_USERS = {
    "auth_": "demo",
    "health": "demo",
    "organizations_": "org_owner",
    "orders_": "org_owner",
    "assigned_order_acquire": "courier",
    "assigned_order_": "dispatcher",
    "marketplace_order_create": "mp_customer",
    "marketplace_order_edit": "mp_customer",
    "marketplace_order_cancel": "mp_customer",
    "marketplace_order_mine": "mp_customer",
    "marketplace_review_set_status_by_customer": "mp_customer",
    "marketplace_reviews_by_order": "mp_customer",
    "marketplace_review_history": "mp_customer",
    "marketplace_": "mp_executor1",
    "appraisal": "hr",
    "partner_": "partner-service",
    "notifications_": "mp_customer",
    "webhooks_": "mp_customer",
}

#: operations whose examples do not name the demo data yet (their path ids have no examples): expected to fail,
#: strictly, so that the first one fixed fails here until it leaves this set
NOT_YET_ON_DEMO_DATA: set[str] = set()

#: operations that follow on an order placed by another operation's example (placed first, in this order)
PLACED_FIRST = {
    "partner_v2_order_cancel": ["partner_v2_order_create", "partner_v1_send_order"],
    "partner_v2_order_status": ["partner_v2_order_create", "partner_v1_send_order"],
    "partner_v1_get_order_status": ["partner_v2_order_create", "partner_v1_send_order"],
    "partner_v1_cancel_order": ["partner_v2_order_create", "partner_v1_send_order"],
}


def _operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {operation["operationId"]: (method, path, operation) for method, path, operation in openapi.operations()}


def _user_for(operation_id: str) -> str:
    for prefix, username in DEMO_USERS.items():
        if operation_id.startswith(prefix):
            return username
    raise AssertionError(f"{operation_id}: name the demo user who runs its examples in DEMO_USERS")


def _request_examples(operation: dict[str, Any]) -> list[tuple[str | None, str | None, Any]]:
    """(name, media type, body) of each request example; one call without a body when there is none."""
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in ("application/json", *content):
        examples = (content.get(media_type) or {}).get("examples") or {}
        if examples:
            return [(example.get("summary", name), media_type, example["value"]) for name, example in examples.items()]
    return [(None, None, None)]


def _parameter_value(parameter: dict[str, Any], example_name: str | None) -> Any:
    examples = parameter.get("examples") or {}
    for key, example in examples.items():
        if example_name is not None and example_name in (key, example.get("summary")):
            return example["value"]
    if examples:
        return next(iter(examples.values()))["value"]
    return None


def _success_status(operation: dict[str, Any]) -> int:
    return min(int(code) for code in operation["responses"] if code.startswith("2"))


class Demo:
    """Logs demo users in and sends an operation's example as the right one."""

    def __init__(self, capture_on_commit: Any) -> None:
        self.capture_on_commit = capture_on_commit

    def login(self, username: str) -> tuple[APIClient, dict[str, str]]:
        client = APIClient()
        response = client.post("/api/auth/token/", {"username": username, "password": DEMO_PASSWORD}, format="json")
        assert response.status_code == 200, (username, response.content)
        tokens = response.json()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        return client, tokens

    def confirmation_code(self, client: APIClient, email: str) -> str:
        with self.capture_on_commit(execute=True):
            assert client.post("/api/auth/confirm-email/resend/", {"email": email}, format="json").status_code == 202
        return re.findall(r"\b\d{6}\b", mail.outbox[-1].body)[-1]

    def send(self, operation_id: str, example_name: str | None, media_type: str | None, body: Any) -> Any:
        method, path, operation = _operations()[operation_id]
        client, tokens = self.login(_user_for(operation_id))
        url, query = path, {}
        for parameter in operation.get("parameters", []):
            value = _parameter_value(parameter, example_name)
            if parameter["name"] == "session_id":
                value = _session_id(tokens["access"])
            if value is None:
                continue
            if parameter["in"] == "path":
                url = url.replace("{" + parameter["name"] + "}", str(value))
            elif parameter["in"] == "query":
                query[parameter["name"]] = value
        assert "{" not in url, f"{operation_id}: no example for a path parameter of {url}"
        if isinstance(body, dict):
            body = dict(body)
            if "refresh" in body:
                body["refresh"] = tokens["refresh"]
            if "token" in body:
                body["token"] = tokens["access"]
            if operation_id == "auth_confirm_email":
                body["code"] = self.confirmation_code(client, body["email"])
        if query:
            url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
        call = getattr(client, method.lower())
        if body is None:
            return call(url)
        return call(url, json.dumps(body), content_type=media_type)


def _session_id(access: str) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    return str(AccessToken(access)["sid"])  # type: ignore[arg-type]


def _sequences() -> dict[str, int | None]:
    """PostgreSQL's sequences and where they stand (none on SQLite, whose ids roll back with the transaction)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks) -> Iterator[Demo]:  # type: ignore[no-untyped-def]
    """`make run`'s demo data on this database, with the ids a fresh database gives it."""
    before = _sequences()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)  # each sequence restarts after its table's largest id (1 when empty)
    call_command("seed_demo", stdout=io.StringIO())
    yield Demo(django_capture_on_commit_callbacks)
    # Sequences ignore the rollback: put them back where they were, so later tests get the ids they would have.
    with connection.cursor() as cursor:
        for name, value in before.items():  # a sequence never used starts again at 1
            cursor.execute("SELECT setval(%s, %s, %s)", [name, value or 1, value is not None])


def _cases() -> list[Any]:
    cases = []
    for operation_id, (method, path, operation) in _operations().items():
        for name, media_type, body in _request_examples(operation):
            label = f"{method} {path}" + (f" [{name}]" if name else "")
            marks = (
                [pytest.mark.xfail(strict=True, reason="its examples do not name the demo data yet")]
                if operation_id in NOT_YET_ON_DEMO_DATA
                else []
            )
            cases.append(pytest.param(operation_id, name, media_type, body, id=label, marks=marks))
    return cases


@pytest.mark.parametrize(("operation_id", "example_name", "media_type", "body"), _cases())
def test_request_example_works_on_the_demo_data(  # type: ignore[no-untyped-def]
    demo: Demo, settings, operation_id: str, example_name: str | None, media_type: str | None, body: Any
) -> None:
    partner = FakePartner()
    settings.PARTNERAPI_URL = partner.start()
    try:
        with transaction.atomic():
            for earlier in PLACED_FIRST.get(operation_id, []):
                ((name, earlier_media, earlier_body),) = _request_examples(_operations()[earlier][2])
                assert demo.send(earlier, name, earlier_media, earlier_body).status_code == 200
            response = demo.send(operation_id, example_name, media_type, body)
            expected = _success_status(_operations()[operation_id][2])
            assert response.status_code == expected, response.content
            if "result" in (response.json() if response.get("Content-Type", "").startswith("application/json") else {}):
                assert response.json()["result"] == "success", response.content  # the partner's envelope
            transaction.set_rollback(True)
    finally:
        partner.stop()

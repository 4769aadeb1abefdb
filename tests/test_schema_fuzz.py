"""Schema fuzzing: every operation of /api/schema/ with positive and negative data, authenticated.

Zero server errors and zero responses that break the schema. Findings are fixed in the code or in
the schema, never by excluding an operation. FUZZ_EXAMPLES bounds the examples per operation and mode.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import session_start
from accounts.tokens import session_refresh_token
from config.wsgi import application
from tests.accounts.factories import UserFactory

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(autouse=True)
def _keep_test_connection():  # type: ignore[no-untyped-def]
    """Raw WSGI calls would close the test's connection after each request; Django's test client avoids it too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A confirmed staff user, so operations are reached past their permission checks."""
    user = UserFactory(username="fuzzer", is_staff=True, is_superuser=True)
    session = session_start(user=user, user_agent="schemathesis", ip_address="127.0.0.1")
    return {"Authorization": f"Bearer {session_refresh_token(session=session).access_token}"}


def test_the_schema_lists_every_operation() -> None:
    assert len(OPERATIONS) >= 10


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_operation_keeps_its_contract(operation, bearer) -> None:  # type: ignore[no-untyped-def]
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=bearer, checks=CHECKS)

    run()

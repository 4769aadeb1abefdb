"""Schema fuzzing: every operation of /api/schema/ with every check of the installed schemathesis, positive and
negative data, and the stateful phase (the schema's links from a create to the reads and changes of what it made),
as a user of each role.

Zero failures of any check. Findings are fixed in the code or in the schema, never by excluding an operation; the
refusals no schema can express (a used email, a wrong mailed code, a host that does not resolve) are listed per
operation in `schemathesis.toml`, which the CLI reads too. FUZZ_EXAMPLES bounds the examples per operation and
role (default 8, for CI); FUZZ_EXAMPLES=100 is the budget of the README's note.
"""

import io
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from accounts.services import session_start
from accounts.tokens import session_refresh_token
from assignments.permissions import DISPATCHERS_GROUP
from config.wsgi import application
from tests.accounts.factories import UserFactory
from tests.organizations.factories import OrganizationFactory

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
#: steps of one stateful scenario, and scenarios per role
STATEFUL_STEPS = 10
STATEFUL_SCENARIOS = max(MAX_EXAMPLES, 5)


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, kind)
    return buffer.getvalue()


# A multipart part whose `encoding.contentType` names an image format (the avatar) gets a file of that format,
# as a client sends one; the schema says which formats, this says what such a file is made of.
for _kind, _media_type in [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")]:
    schemathesis.openapi.media_type(_media_type, st.just(_image(_kind)))

# A date-time a client sends is a moment to come: deadlines must be in the future, which no schema can say ("after
# now"), and a past one is the document's 400. Every date-time this API takes (filters included) accepts one.
_TOMORROW = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
_LATEST = datetime(2199, 12, 31, tzinfo=UTC).replace(tzinfo=None)
schemathesis.openapi.format(
    "date-time",
    st.datetimes(min_value=_TOMORROW, max_value=_LATEST).map(
        lambda moment: moment.isoformat(timespec="microseconds") + "Z"
    ),
)

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# The stateful phase follows links with positive data: its steps take the token from the call, which would undo a
# generated negation of the Authorization header (negative data runs per operation, with the token fixed)
SCHEMA.config.phases.stateful.generation.update(modes=[GenerationMode.POSITIVE])
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _superuser() -> Any:
    return UserFactory(username="fuzz-superuser", is_staff=True, is_superuser=True)


def _plain_user() -> Any:
    return UserFactory(username="fuzz-user")


def _organization_owner() -> Any:
    return OrganizationFactory(creator=UserFactory(username="fuzz-owner")).creator


def _dispatcher() -> Any:
    user = UserFactory(username="fuzz-dispatcher")
    user.groups.add(Group.objects.get_or_create(name=DISPATCHERS_GROUP)[0])
    return user


#: role → (who, the operations it fuzzes: path prefixes, or every one)
ROLES: dict[str, tuple[Callable[[], Any], tuple[str, ...]]] = {
    "superuser": (_superuser, ("/",)),
    "user": (_plain_user, ("/",)),
    "owner": (_organization_owner, ("/api/organizations/", "/orders/")),
    "dispatcher": (_dispatcher, ("/orders/assign", "/order/", "/api/assignments/")),
}
#: operations whose schema does not yet say what their validation does (README, "What make test proves"): label →
#: why. Each still runs every check; its mark excuses only a contract failure (schemathesis' FailureGroup), and
#: is strict: once the operation keeps its contract, the mark has to go.
NOT_YET_TRUE: dict[str, str] = {}
CASES = [
    pytest.param(
        role,
        operation,
        id=f"{role}-{operation.label}",
        marks=[pytest.mark.xfail(reason=NOT_YET_TRUE[operation.label], raises=FailureGroup, strict=True)]
        if operation.label in NOT_YET_TRUE
        else [],
    )
    for role, (_, prefixes) in ROLES.items()
    for operation in OPERATIONS
    if operation.path.startswith(prefixes)
]


@pytest.fixture(autouse=True)
def _keep_test_connection():  # type: ignore[no-untyped-def]
    """Raw WSGI calls would close the test's connection after each request; Django's test client avoids it too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _bearer(role: str) -> dict[str, str]:
    user = ROLES[role][0]()
    session = session_start(user=user, user_agent="schemathesis", ip_address="127.0.0.1")
    return {"Authorization": f"Bearer {session_refresh_token(session=session).access_token}"}


def _settings(max_examples: int, **more: Any) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        **more,
    )


def test_the_schema_lists_every_operation() -> None:
    assert len(OPERATIONS) >= 10


def test_every_create_links_to_what_it_made() -> None:
    """The stateful phase follows these links; a create without them would be fuzzed alone."""
    schema = SCHEMA.raw_schema
    creates = [
        (path, item["post"])
        for path, item in schema["paths"].items()
        if "201" in item.get("post", {}).get("responses", {})
    ]
    assert creates
    assert [path for path, operation in creates if not operation["responses"]["201"].get("links")] == [
        "/api/auth/register/"  # the new user's own reads need their token, which register does not answer with
    ]


@pytest.mark.parametrize(("role", "operation"), CASES)
def test_operation_keeps_its_contract(role, operation, db) -> None:  # type: ignore[no-untyped-def]
    bearer = _bearer(role)
    # The token is fixed (never negated: a negation the sent token would undo is none); the call names it as the
    # caller's, so ignored_auth re-sends without it
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE, headers=bearer),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, headers=bearer),
    )

    @given(case=strategy)
    @_settings(MAX_EXAMPLES)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers=bearer)  # every check the installed version has

    run()


@pytest.mark.parametrize("role", list(ROLES))
def test_stateful_sequences_keep_the_contract(role, db) -> None:  # type: ignore[no-untyped-def]
    bearer = _bearer(role)

    class Sequences(SCHEMA.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):  # type: ignore[no-untyped-def]
            return {"headers": bearer}

        def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
            # The token is the caller's (explicit), as `call_and_validate(headers=...)` tells the checks: ignored_auth
            # then re-sends the step without it and with a wrong one and expects 401, instead of taking the token for
            # one schemathesis generated and failing the step for being accepted.
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=bearer,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Sequences.run(settings=_settings(STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS))

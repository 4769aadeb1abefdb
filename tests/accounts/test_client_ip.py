"""Which address a session records for its client, behind the proxies the deployment declares (NUM_PROXIES)."""

import pytest
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.throttling import BaseThrottle

from accounts.models import User
from common.http import client_ip
from tests.conftest import login

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.1"


@pytest.fixture
def proxies(settings):  # type: ignore[no-untyped-def]
    def declare(count: int) -> None:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}

    return declare


def _session_ip(client: APIClient) -> str | None:
    current = [s for s in client.get("/api/auth/sessions/").json()["results"] if s["current"]]
    assert len(current) == 1
    return current[0]["ip_address"]


def test_behind_one_proxy_the_session_records_the_address_the_proxy_saw(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    # given one load balancer in front: it appends the address that connected to it
    proxies(1)
    client = APIClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2")

    # when the client logs in
    login(client, user)

    # then the session shows the last entry, written by our balancer; the one before it came from the client side
    assert _session_ip(client) == "10.0.0.2"


def test_behind_two_proxies_the_session_records_the_client_before_them(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    proxies(2)
    client = APIClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2")
    login(client, user)
    assert _session_ip(client) == "203.0.113.7"


def test_without_declared_proxies_a_forged_header_is_ignored(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    proxies(0)
    client = APIClient(REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.7")
    login(client, user)
    assert _session_ip(client) == "198.51.100.20"


def test_the_default_setting_declares_no_proxy(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


@pytest.mark.parametrize(
    "forwarded_for",
    [
        "not-an-ip",
        "",
        " , ",
        "not-an-ip:4711",
        "[not-an-ip]:443",
        "unknown",
        "203.0.113.7 <script>",
        "1" * 5000,
        "::1" + ":1" * 2000,
        "\x00\x01",
    ],
)
@pytest.mark.parametrize("num_proxies", [0, 1, 3])
def test_a_garbage_header_never_fails_the_login(user: User, proxies, forwarded_for: str, num_proxies: int) -> None:  # type: ignore[no-untyped-def]
    proxies(num_proxies)
    client = APIClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded_for)
    login(client, user)
    assert _session_ip(client) == BALANCER


def test_a_remote_addr_that_is_no_ip_is_stored_as_unknown(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    proxies(1)
    client = APIClient(REMOTE_ADDR="unix:/run/gunicorn.sock", HTTP_X_FORWARDED_FOR="also garbage")
    login(client, user)
    assert _session_ip(client) is None


@pytest.mark.parametrize(
    ("num_proxies", "forwarded_for", "expected"),
    [
        (0, None, BALANCER),
        (0, "203.0.113.7", BALANCER),
        (1, None, BALANCER),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "203.0.113.7,10.0.0.2", "10.0.0.2"),
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (3, "203.0.113.7, 10.0.0.2", "203.0.113.7"),  # fewer entries than proxies: the first one
        (1, "2001:db8::7", "2001:db8::7"),
        (None, "203.0.113.7", BALANCER),  # DRF's own default (None) is treated as no proxy
    ],
)
def test_client_ip_follows_drfs_num_proxies_rule(settings, num_proxies, forwarded_for, expected) -> None:  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    request = APIRequestFactory().get("/", REMOTE_ADDR=BALANCER, **headers)
    assert client_ip(request) == expected
    if num_proxies is not None:
        # the same client the throttles count, for every well-formed header
        assert client_ip(request) == BaseThrottle().get_ident(request)


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.7:5123", "203.0.113.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("198.51.100.1, 203.0.113.7:80", "203.0.113.7"),
        ("not-an-ip:80", BALANCER),
    ],
)
def test_a_client_port_written_by_the_balancer_is_dropped(settings, forwarded_for: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = APIRequestFactory().get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


# --- the auth rate limits count the same client --------------------------------------------------------------------


def _login_statuses(user: User, forwarded_for: list[str]) -> list[int]:
    return [
        APIClient(REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=value)
        .post("/api/auth/token/", {"username": user.username, "password": "wrong"})
        .status_code
        for value in forwarded_for
    ]


@pytest.fixture
def two_logins_a_minute(monkeypatch):  # type: ignore[no-untyped-def]
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "auth": "2/min"})


@pytest.mark.usefixtures("two_logins_a_minute")
def test_forging_the_header_does_not_escape_the_login_limit(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    proxies(0)
    assert _login_statuses(user, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [401, 401, 429]


@pytest.mark.usefixtures("two_logins_a_minute")
def test_behind_the_balancer_each_client_has_its_own_login_limit(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    proxies(1)
    assert _login_statuses(user, ["10.0.0.2", "10.0.0.2", "10.0.0.2", "10.0.0.3"]) == [401, 401, 429, 401]


@pytest.mark.usefixtures("two_logins_a_minute")
def test_garbage_headers_share_the_balancers_limit(user: User, proxies) -> None:  # type: ignore[no-untyped-def]
    proxies(1)
    assert _login_statuses(user, ["junk-1", "junk 2", "1" * 300]) == [401, 401, 429]

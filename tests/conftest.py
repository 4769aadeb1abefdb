import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from partner.fake_partner import FakePartner
from tests.accounts.factories import UserFactory
from tests.support.auth import client_for, login

__all__ = ["login"]  # many test modules import it from here


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Tests marked `postgres` need row locks and real concurrency; SQLite has neither."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks, concurrency): set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clear_cache():  # type: ignore[no-untyped-def]
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


#: the shared cache of a deployment (Redis), in a database of the tests' own
SHARED_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
}


@pytest.fixture
def shared_cache(settings):  # type: ignore[no-untyped-def]
    """The cache as deployed (Redis), empty, with no session copied by this process: the redis-py client."""
    from accounts import session_cache

    settings.CACHES = SHARED_CACHE
    client = session_cache._redis()
    assert client is not None
    client.flushdb()
    session_cache._local.clear()
    session_cache._down_until = 0.0
    yield client
    client.flushdb()
    session_cache._local.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):  # type: ignore[no-untyped-def]
    return UserFactory()


@pytest.fixture
def auth_client(user):  # type: ignore[no-untyped-def]
    return client_for(user)


@pytest.fixture
def fake_partner_settings() -> dict[str, Any]:
    """The settings `fake_partner` applies; a module overrides this fixture to change them."""
    # Small timeouts and no sleeps keep the suite fast; counts are the document's defaults unless a test says so.
    return {
        "PARTNERAPI_HTTP_TIMEOUT": 1.0,
        "PARTNERAPI_HTTP_RETRIES_COUNT": 3,
        "PARTNERAPI_HTTP_RETRIES_SLEEP": 0,
        "PARTNERAPI_HTTP_TIMEOUT_ORDER": 1.0,
        "PARTNERAPI_HTTP_RETRIES_COUNT_ORDER": 1,
        "PARTNERAPI_HTTP_RETRIES_SLEEP_ORDER": 0,
    }


@pytest.fixture
def fake_partner(settings, fake_partner_settings: dict[str, Any]) -> Iterator[FakePartner]:  # type: ignore[no-untyped-def]
    """The partner's API over real HTTP on loopback: a FakePartner server in a thread on an ephemeral port."""
    partner = FakePartner(advance_on_read=False)
    settings.PARTNERAPI_URL = partner.start()
    for name, value in fake_partner_settings.items():
        setattr(settings, name, value)
    yield partner
    partner.stop()


@pytest.fixture
def celery_worker(transactional_db):  # type: ignore[no-untyped-def]
    """A real Celery worker (in a thread) on the real RabbitMQ broker, consuming a queue of this test process only
    (other runs and other projects' workers may share the broker); tasks stop running inline meanwhile."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    queue = f"tests-{os.getpid()}"
    eager, default_queue = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(
            app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30, queues=[queue]
        ) as worker:
            yield worker
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
        app.conf.task_always_eager = eager
        app.conf.task_default_queue = default_queue

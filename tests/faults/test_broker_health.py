"""`/health/dependencies/` reports the task broker truthfully and quickly, without failing the API's own health."""

import time

import pytest
from rest_framework.test import APIClient

from tests.support.proxy import Mode, TcpProxy

pytestmark = pytest.mark.django_db

RABBITMQ = ("127.0.0.1", 5672)


def _full_health() -> tuple[int, dict, float]:
    started = time.monotonic()
    response = APIClient().get("/health/dependencies/")
    return response.status_code, response.json(), time.monotonic() - started


@pytest.mark.parametrize(
    ("mode", "broker"), [(Mode.PASS, "ok"), (Mode.REFUSE, "unavailable"), (Mode.STALL, "unavailable")]
)
def test_dependencies_report_the_broker_within_2_s(settings, mode: Mode, broker: str) -> None:  # type: ignore[no-untyped-def]
    with TcpProxy(RABBITMQ) as proxy:
        proxy.mode = mode
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = f"amqp://guest:guest@{proxy.address}//"

        status, body, elapsed = _full_health()

    assert (status, body) == (200, {"status": "ok", "checks": {"database": "ok", "broker": broker}})
    assert elapsed < 2.0


def test_dependencies_say_tasks_run_inline_when_there_is_no_broker(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_TASK_ALWAYS_EAGER = True

    assert _full_health()[:2] == (200, {"status": "ok", "checks": {"database": "ok", "broker": "inline"}})

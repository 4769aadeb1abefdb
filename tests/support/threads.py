"""Concurrency in tests: start calls at the same moment in threads, each with its own database connection."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_at_once(calls: list[Callable[[], T]]) -> list[T]:
    """Run every call at once (a barrier releases them together); their results in the order of `calls`.

    A call that raises leaves its slot empty and the test sees the missing result; a stuck thread fails the test
    instead of hanging the suite."""
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = calls[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a concurrent call did not finish within 120 s"
    return results  # type: ignore[return-value]

"""Hand-written SQL for the hot read paths: fixed statements run as they are, rows turned into dicts.

The ORM rebuilds and recompiles a query on every request (a quarter of a cheap read's CPU went there); a read
served thousands of times a second keeps its statement next to its selector, in `<app>/queries.py`, with a
test that it answers what the ORM version does on the same data. `PagedRows` lets DRF's paginator page
such a statement: it validates the page, counts once and slices once, as it does a queryset.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def fetch_all(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


class PagedRows:
    """A statement paged by DRF's paginator: `count()` runs `count_sql`, a slice runs `page_sql` with its
    `LIMIT %s OFFSET %s` appended to `params`; each row becomes what `to_data` makes of it."""

    def __init__(
        self, *, count_sql: str, page_sql: str, params: Sequence[Any], to_data: Callable[[tuple[Any, ...]], Any]
    ) -> None:
        self.count_sql, self.page_sql, self.params, self.to_data = count_sql, page_sql, list(params), to_data

    def count(self) -> int:
        row = fetch_one(self.count_sql, self.params)
        return int(row[0]) if row else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        if not isinstance(window, slice) or window.step is not None or window.start is None or window.stop is None:
            raise TypeError("PagedRows reads pages only: rows[start:stop]")
        limit = max(0, window.stop - window.start)
        return list(map(self.to_data, fetch_all(self.page_sql, [*self.params, limit, window.start])))

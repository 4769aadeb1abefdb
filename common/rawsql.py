"""Hand-written SQL for the hot read paths: fixed statements run as they are, rows turned into dicts.

The ORM rebuilds and recompiles a query on every request (a quarter of a cheap read's CPU went there); a read
served thousands of times a second keeps its statement next to its selector, in `<app>/queries.py`, with a
test that it answers what the ORM version does on the same data. `PagedRows` lets DRF's paginator page
such a statement: it validates the page, counts once and slices once, as it does a queryset; given a statement
that also counts (`count(*) OVER ()`), the page the request names is read with its count in one round trip
(`expect_requested_page`).
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


_BIGINT_MAX = 2**63 - 1  # LIMIT and OFFSET are bigints in PostgreSQL


class PagedRows:
    """A statement paged by DRF's paginator: `count()` runs `count_sql`, a slice runs `page_sql` with its
    `LIMIT %s OFFSET %s` appended to `params`; each row becomes what `to_data` makes of it.

    `counted_page_sql` is `page_sql` with the total as its last column (`count(*) OVER ()`): once `expect` has
    named the page, the first of `count()` and the slice reads rows and count in that one statement. Worth it where
    the rows matching are few (a window count reads them all before the first is returned); a page past the end
    returns no row to carry the count, and `count_sql` answers it as before.
    """

    def __init__(
        self,
        *,
        count_sql: str,
        page_sql: str,
        params: Sequence[Any],
        to_data: Callable[[tuple[Any, ...]], Any],
        counted_page_sql: str | None = None,
    ) -> None:
        self.count_sql, self.page_sql, self.params, self.to_data = count_sql, page_sql, list(params), to_data
        self.counted_page_sql = counted_page_sql
        self._expected: tuple[int, int] | None = None  # (offset, limit) of the page the request names
        self._counted_page: tuple[int, int, list[tuple[Any, ...]]] | None = None  # (offset, limit, rows) read
        self._count: int | None = None

    def expect(self, *, offset: int, limit: int) -> None:
        """The page the paginator is about to ask for (it counts first, then slices)."""
        if self.counted_page_sql is not None and offset >= 0 and limit > 0 and offset + limit <= _BIGINT_MAX:
            self._expected = (offset, limit)  # past a bigint no row is there: the count alone answers the 404

    def _read_expected_page(self) -> None:
        assert self._expected is not None
        assert self.counted_page_sql is not None
        offset, limit = self._expected
        self._expected = None
        rows = fetch_all(self.counted_page_sql, [*self.params, limit, offset])
        self._counted_page = (offset, limit, rows)
        if rows:
            self._count = int(rows[0][-1])
        elif offset == 0:
            self._count = 0

    def count(self) -> int:
        if self._expected is not None:
            self._read_expected_page()
        if self._count is None:
            row = fetch_one(self.count_sql, self.params)
            self._count = int(row[0]) if row else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        if not isinstance(window, slice) or window.step is not None or window.start is None or window.stop is None:
            raise TypeError("PagedRows reads pages only: rows[start:stop]")
        offset, limit = window.start, max(0, window.stop - window.start)
        if self._expected is not None:
            self._read_expected_page()
        read = self._counted_page
        if read is not None and read[0] == offset and limit <= read[1]:
            rows = read[2][:limit]
        else:
            rows = fetch_all(self.page_sql, [*self.params, limit, offset])
        return list(map(self.to_data, rows))


def expect_requested_page(rows: PagedRows, paginator: Any, request: Any) -> PagedRows:
    """Tell `rows` the page DRF's PageNumberPagination `paginator` will read for `request`, so it can read it with
    its count (a page number that is not a plain positive integer is left to the paginator to refuse)."""
    page_size = paginator.get_page_size(request)
    number = request.query_params.get(paginator.page_query_param) or "1"
    if page_size and number.isascii() and number.isdigit() and int(number) >= 1:
        rows.expect(offset=(int(number) - 1) * page_size, limit=page_size)
    return rows

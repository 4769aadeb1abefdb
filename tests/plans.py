"""Query plans for tests that prove a list is served by an index."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def changelist_plan(client: Client, url: str, params: dict[str, object], table: str) -> str:
    """The plan of an admin changelist's page query, as if the table were large."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    (page_sql,) = [
        q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f'ANALYZE "{table}"')
        # Priced out, not forbidden: a Sort (or a scan of the whole table) stays in the plan when no index fits.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {page_sql}")
        return "\n".join(row[0] for row in cursor.fetchall())

# The feed's `search` is Django's icontains: UPPER(column::text) LIKE UPPER('%word%'). A trigram GIN index on
# exactly those expressions, over open marketplace orders, answers it without scanning the feed. PostgreSQL
# only (pg_trgm); SQLite, used by `make run`, scans.

from django.db import migrations

OPEN = "executor_id IS NULL AND NOT done"
CREATE_SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS mkt_order_search_idx ON reviews_marketplaceorder USING gin "
    f"(UPPER(name::text) gin_trgm_ops, UPPER(description::text) gin_trgm_ops) WHERE {OPEN}"
)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE_SEARCH_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS mkt_order_search_idx")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]

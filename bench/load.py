"""Bulk-load a benchmark dataset into PostgreSQL with INSERT ... SELECT generate_series.

Defaults at --scale 1: 10k users (nine in ten with an executor profile), 100 organizations, 200k orders
(half organization orders in orders_order, half marketplace orders in reviews_marketplaceorder), 1M responses
to marketplace orders, 100k assignments, 50k appraisal participants.
Everything is generated inside PostgreSQL, so loading takes a minute or two on 2 cores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

BENCH_PASSWORD = "bench-pass-2024"
#: Every PROFILELESS_EVERY-th user has no reviews_executorprofile row and shows the defaults (level null,
#: balls 100, rating 0); every other user has one, so the marketplace reads' profile joins find rows.
PROFILELESS_EVERY = 10


@dataclass(frozen=True)
class Sizes:
    users: int
    profiles: int
    organizations: int
    orders: int
    reviews: int
    assignments: int
    participants: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        def n(value: int, floor: int) -> int:
            return max(floor, int(value * scale))

        users = n(10_000, 300)
        return cls(
            users=users,
            profiles=users - users // PROFILELESS_EVERY,
            organizations=n(100, 2),
            orders=n(200_000, 2_000),
            reviews=n(1_000_000, 10_000),
            assignments=n(100_000, 1_000),
            participants=n(50_000, 1_000),
        )


def _exec(sql: str, params: list | tuple | dict | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _scalar(sql: str, params: list | tuple | None = None):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return row[0] if row else None


def loaded_sizes() -> Sizes | None:
    """The sizes recorded by the last complete load, if any."""
    _exec("CREATE TABLE IF NOT EXISTS bench_dataset (sizes jsonb NOT NULL)")
    row = _scalar("SELECT sizes::text FROM bench_dataset LIMIT 1")
    if row is None:
        return None
    import json

    try:
        return Sizes(**json.loads(row))
    except TypeError:  # recorded by a loader with other sizes (an older dataset layout): load again
        return None


def load(sizes: Sizes, log=print) -> None:  # type: ignore[no-untyped-def]
    """Replace the benchmark rows with a fresh dataset of the given sizes."""
    import json

    started = time.monotonic()
    with transaction.atomic():
        # the app's statement deadline (DATABASE_STATEMENT_TIMEOUT_MS) is for requests; a load takes minutes
        _exec("SET LOCAL statement_timeout = 0")
        _exec(
            """TRUNCATE reviews_orderreviewstatuschange, reviews_orderreview, reviews_marketplaceorder,
               reviews_executorprofile, orders_order,
               organizations_membership, organizations_service, organizations_client, organizations_organization,
               assignments_assignedorderhistory, assignments_assignedorder,
               appraisals_appraisalparticipant, appraisals_appraisal, accounts_usersession,
               accounts_emailconfirmation, bench_dataset CASCADE"""
        )
        # the scenarios put some bench users in groups
        _exec(
            "DELETE FROM accounts_user_groups "
            "WHERE user_id IN (SELECT id FROM accounts_user WHERE username LIKE 'bench%%')"
        )
        _exec("DELETE FROM accounts_user WHERE username LIKE 'bench%%'")
        password = make_password(BENCH_PASSWORD)
        _load_users(sizes, password)
        log(f"  users           {sizes.users:>9,}  {time.monotonic() - started:6.1f}s")
        _load_profiles(sizes)
        log(f"  profiles        {sizes.profiles:>9,}  {time.monotonic() - started:6.1f}s")
        _load_organizations(sizes)
        log(f"  organizations   {sizes.organizations:>9,}  {time.monotonic() - started:6.1f}s")
        _load_orders(sizes)
        log(f"  orders          {sizes.orders:>9,}  {time.monotonic() - started:6.1f}s")
        _load_reviews(sizes)
        log(f"  responses       {sizes.reviews:>9,}  {time.monotonic() - started:6.1f}s")
        _load_assignments(sizes)
        log(f"  assignments     {sizes.assignments:>9,}  {time.monotonic() - started:6.1f}s")
        _load_participants(sizes)
        log(f"  participants    {sizes.participants:>9,}  {time.monotonic() - started:6.1f}s")
        _exec("INSERT INTO bench_dataset (sizes) VALUES (%s::jsonb)", [json.dumps(sizes.__dict__)])
    _exec("VACUUM ANALYZE")  # statistics and the visibility map, as autovacuum leaves a settled table
    log(f"  loaded and analyzed in {time.monotonic() - started:.1f}s")


def _load_users(sizes: Sizes, password: str) -> None:
    _exec(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
            is_active, date_joined, patronymic, phone, address, about, confirmed_email, confirmed_phone,
            created_at, updated_at, avatar)
        SELECT %s, false, 'bench' || g, 'Name' || g, 'Surname' || g, 'bench' || g || '@example.com', false,
            true, now(), 'P', '+7900' || lpad(g::text, 7, '0'), 'Street ' || g, 'About ' || g, true, false,
            now(), now(), ''
        FROM generate_series(1, %s) AS g
        """,
        [password, sizes.users],
    )
    _exec(
        "CREATE TEMP TABLE bench_users ON COMMIT DROP AS "
        "SELECT row_number() OVER (ORDER BY id) AS n, id FROM accounts_user WHERE username LIKE 'bench%%'"
    )
    _exec("CREATE UNIQUE INDEX ON bench_users (n)")


def _load_profiles(sizes: Sizes) -> None:
    """Executor profiles for all users but every PROFILELESS_EVERY-th; one in seven has no level yet."""
    _exec(
        """
        INSERT INTO reviews_executorprofile (user_id, level, balls, rating, updated_at)
        SELECT u.id, CASE WHEN u.n %% 7 = 0 THEN NULL ELSE u.n %% 5 END, 100 + (u.n %% 50) * 3,
            (u.n %% 5) + 0.5, now()
        FROM bench_users u
        WHERE u.n %% %s <> 0
        """,
        [PROFILELESS_EVERY],
    )


def _load_organizations(sizes: Sizes) -> None:
    owner_role = _scalar(
        "SELECT id FROM organizations_role WHERE can_create AND can_change AND can_delete ORDER BY id LIMIT 1"
    )
    _exec(
        """
        INSERT INTO organizations_organization (name, description, address, creator_id, numbers, links,
            created_at, updated_at)
        SELECT 'Organization ' || g, 'Bench organization ' || g, 'Address ' || g, u.id,
            '{"main": "+79999999999"}'::jsonb, '{"site": "example.com"}'::jsonb, now(), now()
        FROM generate_series(1, %s) AS g JOIN bench_users u ON u.n = g
        """,
        [sizes.organizations],
    )
    # the creator of each organization is its owner; 20 further members each
    _exec(
        """
        INSERT INTO organizations_membership (organization_id, user_id, role_id, created_at)
        SELECT o.id, o.creator_id, %s, now() FROM organizations_organization o
        """,
        [owner_role],
    )
    _exec(
        """
        INSERT INTO organizations_membership (organization_id, user_id, role_id, created_at)
        SELECT o.id, u.id, %s, now()
        FROM organizations_organization o
        JOIN bench_users u ON u.n > %s AND (u.n %% %s) = (o.id %% %s) AND u.n <= %s + 20 * %s
        """,
        [
            owner_role,
            sizes.organizations,
            sizes.organizations,
            sizes.organizations,
            sizes.organizations,
            sizes.organizations,
        ],
    )
    for table, extra_cols, extra_vals in (
        ("organizations_service", "address, phone", "'Address', '+79990000000'"),
        ("organizations_client", "phone, email", "'+79990000000', 'client@example.com'"),
    ):
        _exec(
            f"""
            INSERT INTO {table} (name, {extra_cols}, organization_id, created_at, updated_at)
            SELECT 'Item ' || g, {extra_vals}, o.id, now(), now()
            FROM organizations_organization o CROSS JOIN generate_series(1, 3) AS g
            """
        )


def _load_orders(sizes: Sizes) -> None:
    org_orders = sizes.orders // 2
    market_orders = sizes.orders - org_orders
    # organization orders: creator and executor are the organization's creator; its first service and client
    _exec(
        """
        WITH org AS (
            SELECT o.id, o.creator_id, row_number() OVER (ORDER BY o.id) AS n,
                (SELECT min(s.id) FROM organizations_service s WHERE s.organization_id = o.id) AS service_id,
                (SELECT min(c.id) FROM organizations_client c WHERE c.organization_id = o.id) AS client_id
            FROM organizations_organization o
        )
        INSERT INTO orders_order (order_code, description, creator_id, executor_id, organization_id, client_id,
            service_id, done, created_at, updated_at)
        SELECT 100000000000000 + g, 'Organization order ' || g, org.creator_id, org.creator_id, org.id,
            org.client_id, org.service_id, g %% 3 = 0, now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, %s) AS g
        JOIN org ON org.n = 1 + (g %% %s)
        """,
        [org_orders, sizes.organizations],
    )
    # marketplace orders: customers are spread over all users; all open (no executor, not done), so no
    # customer_score; every other one has a deadline
    _exec(
        """
        INSERT INTO reviews_marketplaceorder (order_code, name, description, creator_id, executor_id, price,
            term, deadline, done, customer_score, cancel_reason, created_at, updated_at)
        SELECT 200000000000000 + g, 'Task ' || g, 'Marketplace order ' || g, u.id, NULL,
            1000 + (g %% 500) * 10 + (g %% 4) * 0.25, 1 + g %% 30,
            CASE WHEN g %% 2 = 0 THEN now() + ((1 + g %% 30) || ' days')::interval END, false, NULL, '',
            now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, %s) AS g
        JOIN bench_users u ON u.n = 1 + (g %% %s)
        """,
        [market_orders, sizes.users],
    )


def _load_reviews(sizes: Sizes) -> None:
    """Responses on marketplace orders. The newest few hundred orders belong to one customer and get 200
    responses each (for page-of-100 reads); the rest share what is left of the total."""
    _exec(
        "CREATE TEMP TABLE bench_market ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) AS n, id, "
        "creator_id FROM reviews_marketplaceorder"
    )
    _exec("CREATE UNIQUE INDEX ON bench_market (n)")
    market = _scalar("SELECT count(*) FROM bench_market")
    heavy = max(5, min(500, market // 100))
    heavy_customer = _scalar("SELECT id FROM bench_users WHERE n = 3")
    _exec("UPDATE bench_market SET creator_id = %s WHERE n <= %s", [heavy_customer, heavy])
    _exec(
        "UPDATE reviews_marketplaceorder o SET creator_id = %s FROM bench_market m WHERE m.id = o.id AND m.n <= %s",
        [heavy_customer, heavy],
    )
    per_order = max(1, (sizes.reviews - heavy * 200) // max(1, market - heavy))
    # the executor of response k on order n is a distinct user (k < users) and never the customer
    for first, last, count in ((1, heavy, 200), (heavy + 1, market, per_order)):
        _exec(
            """
            INSERT INTO reviews_orderreview (order_id, executor_id, status, to_price, to_deadline, cancel_reason,
                show, created_at, updated_at)
            SELECT m.id, u.id, CASE WHEN k %% 4 = 0 THEN 'reconciliation' ELSE 'looked' END, NULL, NULL, NULL,
                NULL, now(), now()
            FROM bench_market m
            CROSS JOIN generate_series(1, %s) AS k
            JOIN bench_users u ON u.n = 1 + ((m.n + k * 7) %% %s)
            WHERE m.n BETWEEN %s AND %s AND u.id <> m.creator_id
            ON CONFLICT DO NOTHING
            """,
            [count, sizes.users, first, last],
        )


def _load_assignments(sizes: Sizes) -> None:
    # one active (assigned) order per executor for the first executors, the rest completed
    _exec(
        """
        INSERT INTO assignments_assignedorder (order_id, executor_id, zone_id, status, assigned_at, acquired_at,
            completed_at, cancelled_at)
        SELECT 'bench-order-' || g, 'executor-' || (g %% 5000), 'zone-' || (g %% 50),
            CASE WHEN g <= 5000 THEN 'assigned' ELSE 'completed' END,
            now() - (g || ' seconds')::interval, NULL,
            CASE WHEN g <= 5000 THEN NULL ELSE now() END, NULL
        FROM generate_series(1, %s) AS g
        """,
        [sizes.assignments],
    )


def _load_participants(sizes: Sizes) -> None:
    appraisals = max(1, sizes.participants // 100)
    _exec(
        """
        INSERT INTO appraisals_appraisal (external_id, title, description, created_at, updated_at)
        SELECT 'bench-appraisal-' || g, 'Appraisal ' || g, '', now(), now() FROM generate_series(1, %s) AS g
        """,
        [appraisals],
    )
    _exec(
        """
        WITH a AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM appraisals_appraisal)
        INSERT INTO appraisals_appraisalparticipant (appraisal_id, external_id, participant_user_external_id,
            date_completed, is_main, text_feedback, text_hint, participation_reason, status, request_date,
            request_last_date, created_at, updated_at)
        SELECT a.id, 'bench-participant-' || g, 'user-' || g, now(), g %% 10 = 0, 'ZmVlZGJhY2s=', NULL, NULL,
            1 + g %% 4, now(), NULL, now(), now()
        FROM generate_series(1, %s) AS g JOIN a ON a.n = 1 + (g %% %s)
        """,
        [sizes.participants, appraisals],
    )

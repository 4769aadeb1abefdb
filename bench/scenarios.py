"""The benchmark's scenarios: who calls what, with tokens minted for users of the loaded dataset."""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connection

from accounts.models import User
from accounts.services import session_start
from accounts.tokens import session_refresh_token
from appraisals.permissions import HR_INTEGRATION_GROUP
from assignments.permissions import DISPATCHERS_GROUP
from bench.run import Scenario
from orders.models import Order
from partner.permissions import PARTNER_API_GROUP
from reviews.selectors import order_feed


def _token(user: User) -> str:
    session = session_start(user=user, user_agent="bench", ip_address="127.0.0.1")
    return str(session_refresh_token(session=session).access_token)


def _ids(sql: str, params: list | None = None) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return [row[0] for row in cursor.fetchall()]


def _bench_user(n: int, *groups: str) -> User:
    user = User.objects.get(username=f"bench{n}")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def build() -> list[Scenario]:
    scenarios: list[Scenario] = []

    # An executor opening orders they already responded to (a read: the response exists).
    (executor_id,) = _ids(
        "SELECT executor_id FROM reviews_orderreview GROUP BY executor_id ORDER BY count(*) DESC LIMIT 1"
    )
    executor = User.objects.get(pk=executor_id)
    seen = _ids("SELECT order_id FROM reviews_orderreview WHERE executor_id = %s LIMIT 200", [executor_id])
    scenarios.append(
        Scenario(
            name="order_detail",
            lines=[f"GET /api_v2/order/{o}/" for o in seen],
            baseline_lines=[f"GET /bench/baseline/order/{o}/{executor_id}/" for o in seen],
            token=_token(executor),
        )
    )

    # The customer of the busiest orders reads their responses, 100 a page.
    busiest = _ids(
        "SELECT order_id FROM reviews_orderreview GROUP BY order_id HAVING count(*) >= 100 "
        "ORDER BY count(*) DESC LIMIT 50"
    )
    (customer_id,) = _ids("SELECT creator_id FROM reviews_marketplaceorder WHERE id = %s", [busiest[0]])
    own = _ids(
        "SELECT o.id FROM reviews_marketplaceorder o WHERE o.creator_id = %s AND o.id = ANY(%s)",
        [customer_id, busiest],
    )
    scenarios.append(
        Scenario(
            name="reviews_by_order_id_100",
            lines=[f"GET /api_v2/order/reviews_by_order_id/{o}/?page_size=100" for o in own],
            baseline_lines=[f"GET /bench/baseline/reviews/{o}/?page_size=100" for o in own],
            token=_token(User.objects.get(pk=customer_id)),
        )
    )

    feed_user = _bench_user(7)
    feed_token = _token(feed_user)
    deep_feed_page = max(1, min(1000, order_feed(user=feed_user).count() // 20))
    scenarios.append(
        Scenario(
            name="marketplace_feed",
            lines=["GET /api_v2/order/"],
            baseline_lines=[f"GET /bench/baseline/feed/{feed_user.pk}/"],
            token=feed_token,
        )
    )
    scenarios.append(
        Scenario(
            name="marketplace_feed_deep",
            lines=[f"GET /api_v2/order/?page={deep_feed_page}"],
            baseline_lines=[f"GET /bench/baseline/feed/{feed_user.pk}/?page={deep_feed_page}"],
            token=feed_token,
            note=f"page {deep_feed_page} of 20",
        )
    )

    organization_id, owner_id = (
        _ids("SELECT id FROM organizations_organization ORDER BY id LIMIT 1")[0],
        _ids("SELECT creator_id FROM organizations_organization ORDER BY id LIMIT 1")[0],
    )
    owner_token = _token(User.objects.get(pk=owner_id))
    deep_org_page = max(1, min(1000, Order.objects.filter(organization_id=organization_id).count() // 20))
    scenarios.append(
        Scenario(
            name="organization_orders",
            lines=[f"GET /orders/order-l/{organization_id}/?page=1"],
            baseline_lines=[f"GET /bench/baseline/organization-orders/{organization_id}/?page=1"],
            token=owner_token,
        )
    )
    scenarios.append(
        Scenario(
            name="organization_orders_deep",
            lines=[f"GET /orders/order-l/{organization_id}/?page={deep_org_page}"],
            baseline_lines=[f"GET /bench/baseline/organization-orders/{organization_id}/?page={deep_org_page}"],
            token=owner_token,
            note=f"page {deep_org_page} of 20",
        )
    )

    # The whole list as document 001's bare array (about 2,000 orders at scale 1), streamed.
    scenarios.append(
        Scenario(
            name="organization_orders_all",
            lines=[f"GET /orders/order-l/{organization_id}/"],
            baseline_lines=[f"GET /bench/baseline/organization-orders/{organization_id}/"],
            token=owner_token,
            note=f"{deep_org_page * 20} orders, one array",
        )
    )

    # Someone reading their sessions (a page of 20).
    reader = _bench_user(15)
    reader_session = session_start(user=reader, user_agent="bench", ip_address="127.0.0.1")
    scenarios.append(
        Scenario(
            name="my_sessions",
            lines=["GET /api/auth/sessions/"],
            baseline_lines=[f"GET /bench/baseline/sessions/{reader.pk}/{reader_session.pk}/"],
            token=str(session_refresh_token(session=reader_session).access_token),
        )
    )

    # An executor acquiring their active order (repeated acquires return the same order).
    courier = _bench_user(11)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM assignments_assignedorderhistory WHERE assigned_order_id IN "
            "(SELECT id FROM assignments_assignedorder WHERE executor_id = %s)",
            [str(courier.pk)],
        )
        cursor.execute("DELETE FROM assignments_assignedorder WHERE executor_id = %s", [str(courier.pk)])
        cursor.execute(
            "INSERT INTO assignments_assignedorder (order_id, executor_id, zone_id, status, assigned_at) "
            "VALUES (%s, %s, 'zone-1', 'assigned', now())",
            [f"bench-acquire-{courier.pk}", str(courier.pk)],
        )
    scenarios.append(
        Scenario(
            name="acquire",
            lines=[f"GET /order/acquire?executor_id={courier.pk}"],
            token=_token(courier),
        )
    )

    dispatcher = _bench_user(12, DISPATCHERS_GROUP)
    scenarios.append(
        Scenario(
            name="assign",
            lines=[
                f"PUT /orders/assign?order_id=bench-{{n}}&executor_id=executor-{{n}}&zone_id=zone-{i}" for i in range(8)
            ],
            token=_token(dispatcher),
            note="a new order each request",
        )
    )

    hr = _bench_user(13, HR_INTEGRATION_GROUP)
    participants = _ids(
        "SELECT appraisal_id || '/participants/' || id FROM appraisals_appraisalparticipant WHERE status <> 5 "
        "ORDER BY id LIMIT 200"
    )
    patch = json.dumps([{"op": "replace", "path": "/textHint", "value": "aGludA=="}], separators=(",", ":"))
    scenarios.append(
        Scenario(
            name="participant_patch",
            lines=[f"PATCH /api/appraisals/{p} {patch}" for p in participants],
            token=_token(hr),
            content_type="application/json-patch+json",
        )
    )

    # The fake partner numbers its orders from the start each run, so earlier runs' partner orders go.
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {', '.join(m._meta.db_table for m in apps.get_app_config('partner').get_models())} CASCADE"
        )
    partner_group, _ = Group.objects.get_or_create(name=PARTNER_API_GROUP)
    partner_group.permissions.add(Permission.objects.get(content_type__app_label="partner", codename="use_partner_api"))
    partner_user = _bench_user(14, PARTNER_API_GROUP)
    body = json.dumps(
        {
            "order_id": "{n}",
            "their_pharmacy_id": "1",
            "order_type": 2,
            "client": {"name": "Bench", "phone": "+79990000000", "email": "bench@example.com"},
            "items": [{"their_id": "58", "price": 10, "count": 1}],
        },
        separators=(",", ":"),
    ).replace('"{n}"', "{n}")
    scenarios.append(
        Scenario(
            name="partner_create",
            lines=[f"POST /v2/orders/ {body}"],
            token=_token(partner_user),
            note="against the fake partner",
        )
    )
    return scenarios

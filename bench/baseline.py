"""Baseline views for the benchmark: the same data as the API's read endpoints, from one hand-written
query and json.dumps, with no framework on the path. They are the floor of framework cost and are
mounted only when BENCH_BASELINES is set (never in a normal deployment). bench.run checks, before
measuring, that each baseline answers exactly the JSON its endpoint does (pagination links aside, which
name the baseline's own path)."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import path

USER_COLUMNS = (
    "{a}.id, {a}.last_name, {a}.first_name, {a}.patronymic, {a}.address, {a}.email, {a}.phone, {a}.avatar, "
    "{a}.confirmed_email, {a}.confirmed_phone, {a}.created_at, {a}.updated_at"
)


@functools.cache
def _default_avatar() -> str:
    return static("accounts/default-user-image.svg")  # the collected (hashed) name, as the app shows it


def _base(request: HttpRequest) -> str:
    """Scheme and host, once per request (as the app's common.representation.absolute_url does)."""
    base = getattr(request, "_bench_base", None)
    if base is None:
        base = request.build_absolute_uri("/")[:-1]
        request._bench_base = base  # type: ignore[attr-defined]
    return base


def _media(request: HttpRequest, name: str | None) -> str | None:
    return _base(request) + settings.MEDIA_URL + name if name else None


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None  # DRF's JSON encoder writes a Decimal as a number


def _page(request: HttpRequest) -> tuple[int, int, int]:
    """(page, page_size, offset) as the API's PageNumberPagination reads them."""
    page_size = min(int(request.GET.get("page_size", 20)), 100)
    page = int(request.GET.get("page", 1))
    return page, page_size, (page - 1) * page_size


def _envelope(request: HttpRequest, page: int, page_size: int, count: int, results: list) -> HttpResponse:
    """DRF's page envelope, with its next/previous links on this request's URL."""
    url = request.build_absolute_uri()

    def link(number: int) -> str:
        scheme, netloc, path_, query, fragment = urlsplit(url)
        params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "page"]
        if number != 1:
            params.append(("page", str(number)))
        return urlunsplit((scheme, netloc, path_, urlencode(sorted(params), doseq=True), fragment))

    has_next = page * page_size < count
    return _json(
        {
            "count": count,
            "next": link(page + 1) if has_next else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": results,
        }
    )


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _json(data: Any) -> HttpResponse:
    return HttpResponse(json.dumps(data, default=str), content_type="application/json")


def _user(request: HttpRequest, row: tuple) -> dict[str, Any]:
    return {
        "id": row[0],
        "surname": row[1],
        "name": row[2],
        "patronymic": row[3],
        "address": row[4],
        "email": row[5],
        "phone": row[6],
        "image": _media(request, row[7]) or _base(request) + _default_avatar(),
        "confirmed_email": row[8],
        "confirmed_phone": row[9],
        "created_at": _iso(row[10]),
        "updated_at": _iso(row[11]),
    }


def organization_orders(request: HttpRequest, organization_id: int) -> HttpResponse:
    """A page with `?page`, else the whole list as a bare array (document 001)."""
    paged = "page" in request.GET
    page, page_size, offset = _page(request)
    window = "LIMIT %s OFFSET %s" if paged else ""
    sql = f"""
        SELECT o.id, o.order_code, o.description, o.client_id, o.done, o.created_at, o.updated_at,
            {USER_COLUMNS.format(a="cr")}, {USER_COLUMNS.format(a="ex")},
            org.id, org.name, org.description, org.address, org.created_at, org.numbers, org.links, org.updated_at,
            {USER_COLUMNS.format(a="oc")},
            s.id, s.name, s.address, s.phone, s.created_at, s.updated_at,
            count(*) OVER ()
        FROM orders_order o
        JOIN accounts_user cr ON cr.id = o.creator_id
        JOIN accounts_user ex ON ex.id = o.executor_id
        JOIN organizations_organization org ON org.id = o.organization_id
        JOIN accounts_user oc ON oc.id = org.creator_id
        JOIN organizations_service s ON s.id = o.service_id
        WHERE o.organization_id = %s
        ORDER BY o.created_at DESC, o.id DESC
        {window}
    """
    results = []
    count = 0
    for r in _rows(sql, [organization_id, page_size, offset] if paged else [organization_id]):
        organization = {
            "id": r[31],
            "name": r[32],
            "description": r[33],
            "address": r[34],
            "creator": _user(request, r[39:51]),
            "created_at": _iso(r[35]),
            "numbers": json.loads(r[36]),  # Django reads jsonb as text
            "links": json.loads(r[37]),
            "updated_at": _iso(r[38]),
        }
        results.append(
            {
                "id": r[0],
                "order_code": r[1],
                "description": r[2],
                "creator": _user(request, r[7:19]),
                "executor": _user(request, r[19:31]),
                "organization": organization,
                "client": r[3],
                "done": r[4],
                "service": {
                    "id": r[51],
                    "name": r[52],
                    "address": r[53],
                    "phone": r[54],
                    "organization": organization,
                    "created_at": _iso(r[55]),
                    "updated_at": _iso(r[56]),
                },
                "created_at": _iso(r[5]),
                "updated_at": _iso(r[6]),
            }
        )
        count = r[57]
    return _envelope(request, page, page_size, count, results) if paged else _json(results)


#: A user as the marketplace shows one; {p} is their reviews_executorprofile row, LEFT JOINed (a user without
#: one shows rating 0).
BRIEF = "{a}.id, {a}.username, {a}.first_name, {a}.last_name, COALESCE({p}.rating, 0), {a}.avatar"


def _brief(request: HttpRequest, row: tuple) -> dict[str, Any] | None:
    if row[0] is None:
        return None
    return {
        "id": row[0],
        "username": row[1],
        "first_name": row[2],
        "last_name": row[3],
        "rating": row[4],
        "avatar": _media(request, row[5]),
    }


def _market_order(request: HttpRequest, r: tuple) -> dict[str, Any]:
    return {
        "id": r[0],
        "order_code": r[1],
        "name": r[2],
        "description": r[3],
        "price": _money(r[4]),
        "term": r[5],
        "deadline": _iso(r[6]),
        "customer_score": r[7],
        "done": r[8],
        "customer": _brief(request, r[11:17]),
        "executor": _brief(request, r[17:23]),
        "cancelled_at": _iso(r[23]),
        "cancel_reason": r[24],
        "created_at": _iso(r[9]),
        "updated_at": _iso(r[10]),
    }


MARKET_ORDER = f"""
    o.id, o.order_code, o.name, o.description, o.price, o.term, o.deadline, o.customer_score, o.done,
    o.created_at, o.updated_at, {BRIEF.format(a="c", p="cp")}, {BRIEF.format(a="e", p="ep")},
    o.cancelled_at, o.cancel_reason
"""
MARKET_JOINS = """
    JOIN accounts_user c ON c.id = o.creator_id
    LEFT JOIN reviews_executorprofile cp ON cp.user_id = c.id
    LEFT JOIN accounts_user e ON e.id = o.executor_id
    LEFT JOIN reviews_executorprofile ep ON ep.user_id = e.id
"""


def marketplace_feed(request: HttpRequest, user_id: int) -> HttpResponse:
    page, page_size, offset = _page(request)
    sql = f"""
        SELECT {MARKET_ORDER}, count(*) OVER ()
        FROM reviews_marketplaceorder o {MARKET_JOINS}
        WHERE o.executor_id IS NULL AND NOT o.done AND o.cancelled_at IS NULL AND o.creator_id <> %s
          AND NOT EXISTS (SELECT 1 FROM reviews_orderreview r WHERE r.order_id = o.id AND r.executor_id = %s
                          AND (r.show = false OR r.status = 'rejected'))
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT %s OFFSET %s
    """
    rows = _rows(sql, [user_id, user_id, page_size, offset])
    results = [_market_order(request, r) for r in rows]
    return _envelope(request, page, page_size, rows[0][-1] if rows else 0, results)


def marketplace_order_detail(request: HttpRequest, order_id: int, user_id: int) -> HttpResponse:
    sql = f"""
        SELECT {MARKET_ORDER}, r.id, r.status, r.to_price, r.to_deadline, r.cancel_reason, r.show
        FROM reviews_marketplaceorder o {MARKET_JOINS}
        LEFT JOIN reviews_orderreview r ON r.order_id = o.id AND r.executor_id = %s
        WHERE o.id = %s
    """
    rows = _rows(sql, [user_id, order_id])
    if not rows:
        return HttpResponse(status=404)
    data = _market_order(request, rows[0])
    data["order_in_order_review"] = [
        {
            "id": r[25],
            "status": r[26],
            "to_price": _money(r[27]),
            "to_deadline": _iso(r[28]),
            "cancel_reason": r[29],
            "show": r[30],
        }
        for r in rows
        if r[25] is not None
    ]
    return _json(data)


def reviews_by_order(request: HttpRequest, order_id: int) -> HttpResponse:
    page, page_size, offset = _page(request)
    sql = """
        SELECT r.id, r.status, r.to_price, r.to_deadline, r.cancel_reason, r.show,
            u.id, u.username, u.first_name, u.last_name, u.email, p.level, u.about, COALESCE(p.balls, 100),
            u.phone, u.avatar, COALESCE(p.rating, 0), count(*) OVER ()
        FROM reviews_orderreview r
        JOIN accounts_user u ON u.id = r.executor_id
        LEFT JOIN reviews_executorprofile p ON p.user_id = u.id
        WHERE r.order_id = %s ORDER BY r.id LIMIT %s OFFSET %s
    """
    rows = _rows(sql, [order_id, page_size, offset])
    results = [
        {
            "id": r[0],
            "status": r[1],
            "to_price": _money(r[2]),
            "to_deadline": _iso(r[3]),
            "cancel_reason": r[4],
            "show": r[5],
            "executor": {
                "id": r[6],
                "username": r[7],
                "first_name": r[8],
                "last_name": r[9],
                "email": r[10],
                "level": r[11],
                "about": r[12],
                "balls": r[13],
                "phone": r[14],
                "avatar": _media(request, r[15]),
                "rating": r[16],
            },
        }
        for r in rows
    ]
    return _envelope(request, page, page_size, rows[0][-1] if rows else 0, results)


def my_sessions(request: HttpRequest, user_id: int, session_id: str) -> HttpResponse:
    page, page_size, offset = _page(request)
    sql = """
        SELECT id, user_agent, ip_address, created_at, last_seen_at, revoked_at, count(*) OVER ()
        FROM accounts_usersession WHERE user_id = %s ORDER BY created_at DESC LIMIT %s OFFSET %s
    """
    rows = _rows(sql, [user_id, page_size, offset])
    results = [
        {
            "id": str(r[0]),
            "user_agent": r[1],
            "ip_address": r[2],
            "created_at": _iso(r[3]),
            "last_seen_at": _iso(r[4]),
            "revoked_at": _iso(r[5]),
            "active": r[5] is None,
            "current": str(r[0]) == session_id,
        }
        for r in rows
    ]
    return _envelope(request, page, page_size, rows[0][-1] if rows else 0, results)


urlpatterns = [
    path("sessions/<int:user_id>/<str:session_id>/", my_sessions),
    path("organization-orders/<int:organization_id>/", organization_orders),
    path("feed/<int:user_id>/", marketplace_feed),
    path("order/<int:order_id>/<int:user_id>/", marketplace_order_detail),
    path("reviews/<int:order_id>/", reviews_by_order),
]

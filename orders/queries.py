"""Hand-written SQL of the organization order lists (common/rawsql.py says why), next to `selectors.py`.

Each row answers the dict `orders.api.serializers.order_data` builds from `selectors.order_list`'s orders
(tests/orders/test_queries.py holds them equal byte for byte). Every row of document 001's lists nests its
creator, executor, organization and service; they are few per list (one organization, its services, a handful of
people), so each is built once per response and the same dict is shared by every row that names it. Filters,
search and ordering stay on the ORM path.
"""

import json
from collections.abc import Iterator
from typing import Any

import orjson
from django.db import connection

from accounts.api.serializers import absolute_media_url
from accounts.models import User
from common.fastjson import dumps
from common.rawsql import PagedRows
from common.representation import iso_datetime

_USER = (
    "{u}.id, {u}.last_name, {u}.first_name, {u}.patronymic, {u}.address, {u}.email, {u}.phone, {u}.avatar, "
    "{u}.confirmed_email, {u}.confirmed_phone, {u}.created_at, {u}.updated_at"
)
_USER_WIDTH = 12
# 0-9 the order, then the creator, the executor, the service, the organization and the organization's creator
_COLUMNS = f"""
    o.id, o.order_code, o.description, o.client_id, o.done, o.created_at, o.updated_at,
    o.creator_id, o.executor_id, o.service_id,
    {_USER.format(u="cr")}, {_USER.format(u="ex")},
    s.name, s.address, s.phone, s.created_at, s.updated_at,
    org.id, org.name, org.description, org.address, org.created_at, org.numbers, org.links, org.updated_at,
    {_USER.format(u="oc")}"""
_CREATOR, _EXECUTOR, _SERVICE = 10, 10 + _USER_WIDTH, 10 + 2 * _USER_WIDTH
_ORGANIZATION = _SERVICE + 5
_ORGANIZATION_CREATOR = _ORGANIZATION + 8
_JOINS = """
    JOIN accounts_user cr ON cr.id = o.creator_id
    JOIN accounts_user ex ON ex.id = o.executor_id
    JOIN organizations_service s ON s.id = o.service_id
    JOIN organizations_organization org ON org.id = o.organization_id
    JOIN accounts_user oc ON oc.id = org.creator_id"""
_ORDERING = "ORDER BY o.created_at DESC, o.id DESC"  # Order.Meta.ordering
_WHERE = "o.organization_id = %s"
_BY_CREATOR = " AND o.creator_id = %s"


def _list_sql(where: str) -> str:
    return f"SELECT {_COLUMNS} FROM orders_order o {_JOINS} WHERE {where} {_ORDERING}"


def _page_sql(where: str) -> str:
    # the page's keys are picked on the bare table first (as common.pagination's DeferredJoinPaginator)
    return f"""SELECT {_COLUMNS} FROM orders_order o {_JOINS}
        WHERE o.id IN (SELECT o.id FROM orders_order o WHERE {where} {_ORDERING} LIMIT %s OFFSET %s) {_ORDERING}"""


LIST_SQL = _list_sql(_WHERE)
LIST_BY_CREATOR_SQL = _list_sql(_WHERE + _BY_CREATOR)
PAGE_SQL = _page_sql(_WHERE)
PAGE_BY_CREATOR_SQL = _page_sql(_WHERE + _BY_CREATOR)
COUNT_SQL = f"SELECT count(*) FROM orders_order o WHERE {_WHERE}"
COUNT_BY_CREATOR_SQL = f"SELECT count(*) FROM orders_order o WHERE {_WHERE}{_BY_CREATOR}"

_avatar_field = User._meta.get_field("avatar")


class _OrderRows:
    """Rows to document 001's order dicts. Each nested user, service and organization is built and rendered to
    JSON once per response (an `orjson.Fragment`, which orjson copies as it is): a list of thousands of rows
    names a handful of them."""

    def __init__(self, request: Any) -> None:
        self.request = request
        self.users: dict[int, orjson.Fragment] = {}
        self.services: dict[int, orjson.Fragment] = {}
        self.organization: orjson.Fragment | None = None

    def user(self, row: tuple[Any, ...], at: int) -> orjson.Fragment:
        user = self.users.get(row[at])
        if user is None:
            user = self.users[row[at]] = _fragment(
                {
                    "id": row[at],
                    "surname": row[at + 1],
                    "name": row[at + 2],
                    "patronymic": row[at + 3],
                    "address": row[at + 4],
                    "email": row[at + 5],
                    "phone": row[at + 6],
                    "image": absolute_media_url(self.request, _avatar_file(row[at + 7])),
                    "confirmed_email": row[at + 8],
                    "confirmed_phone": row[at + 9],
                    "created_at": iso_datetime(row[at + 10]),
                    "updated_at": iso_datetime(row[at + 11]),
                }
            )
        return user

    def organization_of(self, row: tuple[Any, ...]) -> orjson.Fragment:
        # one organization per list (the WHERE names it)
        if self.organization is None:
            at = _ORGANIZATION
            self.organization = _fragment(
                {
                    "id": row[at],
                    "name": row[at + 1],
                    "description": row[at + 2],
                    "address": row[at + 3],
                    "creator": self.user(row, _ORGANIZATION_CREATOR),
                    "created_at": iso_datetime(row[at + 4]),
                    "numbers": _json(row[at + 5]),
                    "links": _json(row[at + 6]),
                    "updated_at": iso_datetime(row[at + 7]),
                }
            )
        return self.organization

    def service(self, row: tuple[Any, ...]) -> orjson.Fragment:
        service = self.services.get(row[9])
        if service is None:
            at = _SERVICE
            service = self.services[row[9]] = _fragment(
                {
                    "id": row[9],
                    "name": row[at],
                    "address": row[at + 1],
                    "phone": row[at + 2],
                    "organization": self.organization_of(row),
                    "created_at": iso_datetime(row[at + 3]),
                    "updated_at": iso_datetime(row[at + 4]),
                }
            )
        return service

    def __call__(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return {
            "id": row[0],
            "order_code": row[1],
            "description": row[2],
            "creator": self.user(row, _CREATOR),
            "executor": self.user(row, _EXECUTOR),
            "organization": self.organization_of(row),
            "client": row[3],
            "done": row[4],
            "service": self.service(row),
            "created_at": iso_datetime(row[5]),
            "updated_at": iso_datetime(row[6]),
        }


def _avatar_file(name: str | None) -> Any:
    """The avatar as the model reads it (an ImageFieldFile: the storage's URL of the name, falsy when empty)."""
    return _avatar_field.attr_class(None, _avatar_field, name)  # type: ignore[arg-type]  # .url needs no instance


def _fragment(data: dict[str, Any]) -> orjson.Fragment:
    return orjson.Fragment(dumps(data))


def _json(value: Any) -> Any:
    """A JSONField's value as the model reads it (Django's PostgreSQL backend hands jsonb over as text)."""
    return json.loads(value) if isinstance(value, str) else value


def _params(organization_id: int, creator_id: int | None) -> list[int]:
    return [organization_id] if creator_id is None else [organization_id, creator_id]


def order_batches(
    *, organization_id: int, creator_id: int | None = None, request: Any, size: int
) -> Iterator[list[dict[str, Any]]]:
    """The organization's orders (only `creator_id`'s, when given), newest first, `size` at a time, read from a
    server-side cursor: memory holds one batch however long the list is. One statement."""
    to_data = _OrderRows(request)
    sql = LIST_SQL if creator_id is None else LIST_BY_CREATOR_SQL
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, _params(organization_id, creator_id))
        while rows := cursor.fetchmany(size):
            yield list(map(to_data, rows))


def order_page(*, organization_id: int, creator_id: int | None = None, request: Any) -> PagedRows:
    """The same list for the paginator: a count and one page."""
    by_creator = creator_id is not None
    return PagedRows(
        count_sql=COUNT_BY_CREATOR_SQL if by_creator else COUNT_SQL,
        page_sql=PAGE_BY_CREATOR_SQL if by_creator else PAGE_SQL,
        params=_params(organization_id, creator_id),
        to_data=_OrderRows(request),
    )

"""Hand-written SQL of the marketplace's hot reads (common/rawsql.py says why), next to `selectors.py`.

Each function answers the dicts the serializers build from the selectors' querysets (tests/reviews/
test_queries.py holds them equal on the same data): order detail, a customer's responses to an order, the feed.
Filters and anything not hot stay on the ORM path.
"""

from typing import Any

from django.core.files.storage import default_storage

from accounts.authentication import fetch_one_checked
from accounts.models import User
from accounts.queries import SESSION_PROBE_SQL
from common.rawsql import PagedRows, fetch_all
from common.representation import absolute_url, iso_datetime
from reviews import errors
from reviews.api.serializers import _money
from reviews.models import PROFILE_DEFAULTS, ReviewStatus

#: a user as the marketplace shows one briefly; {u} the user, {p} their profile (LEFT JOINed)
_BRIEF = "{u}.username, {u}.first_name, {u}.last_name, {u}.avatar, {p}.rating"
_ORDER_COLUMNS = f"""
    o.id, o.order_code, o.name, o.description, o.price, o.term, o.deadline, o.customer_score, o.done,
    o.created_at, o.updated_at, o.creator_id, o.executor_id, {_BRIEF.format(u="c", p="cp")},
    {_BRIEF.format(u="e", p="ep")}, o.cancelled_at, o.cancel_reason"""
_ORDER_JOINS = """
    JOIN accounts_user c ON c.id = o.creator_id
    LEFT JOIN reviews_executorprofile cp ON cp.user_id = o.creator_id
    LEFT JOIN accounts_user e ON e.id = o.executor_id
    LEFT JOIN reviews_executorprofile ep ON ep.user_id = o.executor_id"""

ORDER_SQL = f"SELECT {_ORDER_COLUMNS} FROM reviews_marketplaceorder o {_ORDER_JOINS} WHERE o.id = %s"
#: the same with the session check folded in as its last column (accounts.authentication.fetch_one_checked)
ORDER_PROBED_SQL = (
    f"SELECT {_ORDER_COLUMNS}, {SESSION_PROBE_SQL} FROM reviews_marketplaceorder o {_ORDER_JOINS} WHERE o.id = %s"
)

_REVIEW_COLUMNS = "r.id, r.status, r.to_price, r.to_deadline, r.cancel_reason, r.show"
ALL_REVIEWS_SQL = f"SELECT {_REVIEW_COLUMNS} FROM reviews_orderreview r WHERE r.order_id = %s ORDER BY r.id"
MY_REVIEWS_SQL = (
    f"SELECT {_REVIEW_COLUMNS} FROM reviews_orderreview r WHERE r.order_id = %s AND r.executor_id = %s ORDER BY r.id"
)

ORDER_CUSTOMER_SQL = "SELECT creator_id FROM reviews_marketplaceorder WHERE id = %s"
ORDER_CUSTOMER_PROBED_SQL = f"SELECT creator_id, {SESSION_PROBE_SQL} FROM reviews_marketplaceorder WHERE id = %s"
REVIEWS_COUNT_SQL = "SELECT count(*) FROM reviews_orderreview WHERE order_id = %s"
REVIEWS_PAGE_SQL = f"""
    SELECT {_REVIEW_COLUMNS}, u.id, u.username, u.first_name, u.last_name, u.email, u.about, u.phone, u.avatar,
        p.user_id, p.level, p.balls, p.rating
    FROM reviews_orderreview r
    JOIN accounts_user u ON u.id = r.executor_id
    LEFT JOIN reviews_executorprofile p ON p.user_id = r.executor_id
    WHERE r.order_id = %s ORDER BY r.id LIMIT %s OFFSET %s"""

# The feed: open orders (no executor, not done, not cancelled: `reviews.models.OPEN_ORDER`), not mine, not hidden
# by me (my response has show=false or is rejected). The page's keys are picked on the bare table first (as
# common.pagination's DeferredJoinPaginator).
_FEED_WHERE = f"""
    o.executor_id IS NULL AND NOT o.done AND o.cancelled_at IS NULL AND o.creator_id <> %s
    AND NOT EXISTS (SELECT 1 FROM reviews_orderreview h WHERE h.order_id = o.id AND h.executor_id = %s
                    AND (h.show = false OR h.status = '{ReviewStatus.REJECTED.value}'))"""
FEED_COUNT_SQL = f"SELECT count(*) FROM reviews_marketplaceorder o WHERE {_FEED_WHERE}"
FEED_PAGE_SQL = f"""
    SELECT {_ORDER_COLUMNS} FROM reviews_marketplaceorder o {_ORDER_JOINS}
    WHERE o.id IN (SELECT o.id FROM reviews_marketplaceorder o WHERE {_FEED_WHERE}
                   ORDER BY o.created_at DESC, o.id DESC LIMIT %s OFFSET %s)
    ORDER BY o.created_at DESC, o.id DESC"""


def _avatar(request: Any, name: str | None) -> str | None:
    """As the serializers' avatar: null without an upload, else the storage's URL made absolute."""
    return absolute_url(request, default_storage.url(name)) if name else None


def _rating(value: float | None) -> float:
    return float(PROFILE_DEFAULTS["rating"] if value is None else value)


def _order(row: tuple[Any, ...], request: Any) -> dict[str, Any]:
    executor_id = row[12]
    return {
        "id": row[0],
        "order_code": row[1],
        "name": row[2],
        "description": row[3],
        "price": _money(row[4]),
        "term": row[5],
        "deadline": iso_datetime(row[6]),
        "customer_score": row[7],
        "done": row[8],
        "customer": {
            "id": row[11],
            "username": row[13],
            "first_name": row[14],
            "last_name": row[15],
            "rating": _rating(row[17]),
            "avatar": _avatar(request, row[16]),
        },
        "executor": None
        if executor_id is None
        else {
            "id": executor_id,
            "username": row[18],
            "first_name": row[19],
            "last_name": row[20],
            "rating": _rating(row[22]),
            "avatar": _avatar(request, row[21]),
        },
        "cancelled_at": iso_datetime(row[23]),
        "cancel_reason": row[24],
        "created_at": iso_datetime(row[9]),
        "updated_at": iso_datetime(row[10]),
    }


def _review(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "id": row[0],
        "status": row[1],
        "to_price": _money(row[2]),
        "to_deadline": iso_datetime(row[3]),
        "cancel_reason": row[4],
        "show": row[5],
    }


def order_detail_data(*, order_id: int, user: User, request: Any) -> dict[str, Any] | None:
    """`GET /api_v2/order/{id}/` as MarketplaceOrderDetailOutputSerializer shows `services.order_open`'s order, in
    two statements; None for an executor's first view, which opens their response (`services.order_open`)."""
    row = fetch_one_checked(ORDER_SQL, ORDER_PROBED_SQL, [order_id], request)
    if row is None:
        raise errors.order_not_found()
    if row[11] == user.pk:  # the customer sees every response
        reviews = fetch_all(ALL_REVIEWS_SQL, [order_id])
    else:
        reviews = fetch_all(MY_REVIEWS_SQL, [order_id, user.pk])
        if not reviews:
            return None
    return {**_order(row, request), "order_in_order_review": list(map(_review, reviews))}


def reviews_by_order_page(*, order_id: int, user: User, request: Any) -> PagedRows:
    """The responses to one of my orders with their executors, for the paginator (`selectors.reviews_by_order`)."""
    row = fetch_one_checked(ORDER_CUSTOMER_SQL, ORDER_CUSTOMER_PROBED_SQL, [order_id], request)
    if row is None:
        raise errors.order_not_found()
    if row[0] != user.pk:
        raise errors.not_order_customer()

    def to_data(r: tuple[Any, ...]) -> dict[str, Any]:
        has_profile = r[14] is not None
        return {
            **_review(r),
            "executor": {
                "id": r[6],
                "username": r[7],
                "first_name": r[8],
                "last_name": r[9],
                "email": r[10],
                "level": r[15] if has_profile else PROFILE_DEFAULTS["level"],
                "about": r[11],
                "balls": r[16] if has_profile else PROFILE_DEFAULTS["balls"],
                "phone": r[12],
                "avatar": _avatar(request, r[13]),
                "rating": _rating(r[17]),
            },
        }

    return PagedRows(count_sql=REVIEWS_COUNT_SQL, page_sql=REVIEWS_PAGE_SQL, params=[order_id], to_data=to_data)


def order_feed_page(*, user: User, request: Any) -> PagedRows:
    """The open orders an executor may respond to, for the paginator (`selectors.order_feed`)."""
    return PagedRows(
        count_sql=FEED_COUNT_SQL,
        page_sql=FEED_PAGE_SQL,
        params=[user.pk, user.pk],
        to_data=lambda row: _order(row, request),
    )

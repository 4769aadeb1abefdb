from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination
from rest_framework.request import Request

from common.query import check_once


class DeferredJoinPaginator(Paginator):
    """Picks a page's primary keys with a narrow query, then loads those rows with their joins.

    `OFFSET n` makes the database build and throw away n rows; with the joins of a list (users, organizations)
    those rows are wide, and deep pages sort them on disk. Offsetting over the bare keys inside an `IN`
    subquery keeps the skipped rows narrow (often index-only), so page 1000 costs about what page 1 does.
    It is still one query: the subquery runs inside the page query.
    """

    def _get_page(self, object_list: Any, number: int, paginator: Paginator) -> Page:
        # `object_list` is the full list sliced to the page by Paginator.page(); slice its keys instead
        full: Any = self.object_list
        if _defer_safe(full):
            query = object_list.query
            keys = full.values("pk")[query.low_mark : query.high_mark]
            object_list = full.filter(pk__in=keys)
        return super()._get_page(object_list, number, paginator)  # type: ignore[misc]  # Django's private hook


def _defer_safe(object_list: Any) -> bool:
    """Plain model querysets only: a union, a DISTINCT, a window function or a sliced queryset is paged as is."""
    if not isinstance(object_list, QuerySet) or object_list._iterable_class is not ModelIterable:
        return False
    query = object_list.query
    if query.combinator or query.distinct or query.is_sliced:
        return False
    # a window function (row numbers, running totals) must see every row, not only the page's
    return not any(getattr(annotation, "contains_over_clause", False) for annotation in query.annotations.values())


PAGE_SIZE_INVALID = "A whole number of at least 1 is required."


class PageNumberPagination(BasePageNumberPagination):
    """`{count, next, previous, results}` with `?page` and `?page_size` (at most 100).

    The schema says what is checked: `page` and `page_size` are whole numbers of at least 1. A `page_size` that is
    not one is a 400 naming it (it used to fall back to the default in silence); one above 100 gives 100. A `page`
    that is not a page of the list is the 404 "Invalid page." as always.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = DeferredJoinPaginator

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        check_once(request.query_params, self.page_query_param, may_be_empty=False)
        return super().get_page_number(request, paginator)

    def get_page_size(self, request: Request) -> int:
        check_once(request.query_params, self.page_size_query_param, may_be_empty=False)
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_INVALID]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}; above {self.max_page_size}, {self.max_page_size})."
                )
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The envelope as the docs show it: examples of one row on a single page, not DRF's placeholder URLs."""
        envelope = super().get_paginated_response_schema(schema)
        properties = envelope["properties"]
        properties["count"]["example"] = 1
        properties["next"]["example"] = None
        properties["previous"]["example"] = None
        return envelope

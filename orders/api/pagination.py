from typing import Any

from rest_framework.request import Request

from common.pagination import PageNumberPagination


class OptionalPageNumberPagination(PageNumberPagination):
    """Document 001's lists are bare JSON arrays; `?page` asks for the `{count, next, previous, results}` envelope."""

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        if self.page_query_param not in request.query_params:
            return None
        return super().paginate_queryset(queryset, request, view)

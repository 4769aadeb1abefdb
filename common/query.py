"""Query parameters as the schema declares them: a filter with a type is given at most once and never empty.

django-filter reads the last of a repeated parameter and treats an empty one as "no filter"; the schema of an
integer, number, boolean, date-time or enum parameter allows neither, so both are a 400 naming the parameter. A
free-text filter (`search`, an exact `externalId`) may be empty, as its schema (a string) says; it is still given
once. The page parameters follow the same rule in common.pagination.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter
from rest_framework.request import Request

from common.filters import StableOrderingFilter

GIVE_ONCE = "Give this parameter once."
NO_NUL_MESSAGE = "Null characters are not allowed."
NOT_EMPTY = "A value is required (leave the parameter out for no filter)."


def _free_text(declared: Any) -> bool:
    """A filter whose schema is a plain string: no type, format or enum an empty value would break."""
    return type(declared) is django_filters.CharFilter


def check_once(query: QueryDict, name: str, *, may_be_empty: bool) -> None:
    """A 400 naming `name` when the query gives it more than once, or empty where that is not allowed."""
    values = query.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [GIVE_ONCE]})
    if values == [""] and not may_be_empty:
        raise ValidationError({name: [NOT_EMPTY]})


class StrictFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that first holds each declared filter parameter to its schema (see the module)."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            for name, declared in filterset_class.base_filters.items():
                if isinstance(declared, django_filters.MultipleChoiceFilter):
                    continue  # an array: `?status=a&status=b`, each value checked by its form field
                check_once(request.query_params, name, may_be_empty=_free_text(declared))
        return super().filter_queryset(request, queryset, view)


class StrictSearchFilter(SearchFilter):
    """DRF's `?search=`, given once and without NUL (a string, so it may be empty); documented only where the view
    searches (`search_fields`): DRF's own filter lists it on every view and ignores it where nothing is searched."""

    def get_search_terms(self, request: Request) -> list[str]:
        check_once(request.query_params, self.search_param, may_be_empty=True)
        if "\x00" in request.query_params.get(self.search_param, ""):
            raise ValidationError({self.search_param: [NO_NUL_MESSAGE]}, code="null_characters_not_allowed")
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        from common.schema import NO_NUL  # the schema layer imports the API settings that name this class

        if not getattr(view, "search_fields", None):
            return []
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["pattern"] = NO_NUL
        return parameters


class StrictOrderingFilter(StableOrderingFilter):
    """`?ordering=`, given once (its schema is a string: empty is the default order)."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        check_once(request.query_params, self.ordering_param, may_be_empty=True)
        return super().get_ordering(request, queryset, view)

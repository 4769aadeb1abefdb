"""Filter fields shared by every app's FilterSets."""

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField
from rest_framework.filters import OrderingFilter


class UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 converted to UTC.

    Python accepts offsets up to ±23:59 but PostgreSQL only up to ±15:59, so a filter passing the parsed
    value through would turn `...T10:00-21:05` into a database error; in UTC every accepted value is valid.
    """

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError("Enter a valid date/time.", code="invalid") from exc


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class StableOrderingFilter(OrderingFilter):
    """`?ordering=` with the primary key appended as the last tie-breaker.

    Ordering by a column with ties (`done`, `status`) leaves the order of tied rows to the database, which may
    differ from one page's query to the next: rows would repeat on one page and never show on another.
    """

    def get_valid_fields(self, queryset, view, context=None):
        """Only what a view declares in `ordering_fields` (each backed by an index); none otherwise."""
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_valid_fields(queryset, view, context or {})

    def get_schema_operation_parameters(self, view):
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_schema_operation_parameters(view)

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        keys = {field.lstrip("-") for field in ordering}
        return ordering if keys & {"pk", "id"} else [*ordering, "-pk" if ordering[-1].startswith("-") else "pk"]

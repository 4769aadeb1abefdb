"""Filter fields shared by every app's FilterSets."""

import re
from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.core.validators import MinValueValidator
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


# Query values as OpenAPI clients spell them: what the schema's type says, nothing else. django-filter's own fields
# also take what Python parses (`1_000`, ` 5`, `+5`, `1e3` for an integer filter, digits of other scripts) and read
# an unknown boolean as "no filter"; a filter with a schema type answers 400 to anything else instead.
_INTEGER_TEXT = re.compile(r"-?[0-9]+")
_NUMBER_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_BOOLEAN_TEXT = {"true": True, "false": False}


class StrictIntegerField(forms.IntegerField):
    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _INTEGER_TEXT.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictDecimalField(forms.DecimalField):
    def to_python(self, value: Any) -> Any:  # a Decimal or None (django-stubs says int)
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _NUMBER_TEXT.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictBooleanField(forms.Field):
    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or value.lower() not in _BOOLEAN_TEXT:
            raise forms.ValidationError("Enter true or false.", code="invalid")
        return _BOOLEAN_TEXT[value.lower()]


class IntegerFilter(django_filters.NumberFilter):
    """An integer (`-?[0-9]+`); no upper bound, as the schema's integer has none (an out-of-range value matches no
    row, or every row, as Django's integer lookups do)."""

    field_class = StrictIntegerField
    #: added to the parameter's schema (common.schema.FilterParameterExtension): an id column reads as a number
    openapi_schema = {"type": "integer"}

    def get_max_validator(self) -> None:
        return None


NUMBER_BOUND = 1e50


class DecimalFilter(django_filters.NumberFilter):
    """A number as JSON writes one, from -1e50 to 1e50 (django-filter's upper bound; the lower one keeps a huge
    exponent from reaching PostgreSQL, whose numeric has a range)."""

    field_class = StrictDecimalField
    #: added to the parameter's schema (common.schema.FilterParameterExtension)
    openapi_schema = {"type": "number", "minimum": -NUMBER_BOUND, "maximum": NUMBER_BOUND}

    @property
    def field(self) -> forms.Field:
        field = super().field
        if not any(isinstance(v, MinValueValidator) for v in field.validators):
            field.validators.append(MinValueValidator(-NUMBER_BOUND))
        return field


class StrictBooleanFilter(django_filters.BooleanFilter):
    """`true` or `false` (any case); anything else is a 400 rather than no filter."""

    field_class = StrictBooleanField

"""Serializer fields that take exactly the JSON type the schema gives them.

DRF's `CharField` (and `EmailField`, `URLField`, `SlugField`, `RegexField`, which inherit it) turns a JSON number
into text, so `{"title": 0}` would be saved as `"0"` though the schema says string. The strict fields refuse
anything but a string with the field's own 400, "Not a valid string." (code `invalid`, as DRF's CharField words a
list or an object). Form bodies (urlencoded, multipart) carry every value as a string, so they pass as before.

Input serializers declare `StrictCharField` & co. instead of DRF's; a `StrictModelSerializer` maps the model's text
fields (CharField, TextField, EmailField, SlugField, URLField) to them, and `StrictSlugRelatedField` looks objects up
by a string only.
"""

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

NOT_A_STRING = "Not a valid string."


class StrictStringMixin:
    """Refuses a value that is not a `str` before the field's own parsing sees it, and one longer than the field's
    `max_length` as sent: DRF counts the length after trimming whitespace, the schema's `maxLength` before."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(NOT_A_STRING, code="invalid")
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class StrictEmailField(StrictStringMixin, serializers.EmailField):
    """An email address; with `allow_blank`, also `""` (documented as either)."""


class StrictURLField(StrictStringMixin, serializers.URLField):
    pass


class StrictSlugField(StrictStringMixin, serializers.SlugField):
    pass


class StrictRegexField(StrictStringMixin, serializers.RegexField):
    pass


class StrictSlugRelatedField(StrictStringMixin, serializers.SlugRelatedField):
    """An object named by a text slug: `{"role": 0}` is not the role named "0"."""


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated text fields are the strict ones."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.SlugField: StrictSlugField,
        models.URLField: StrictURLField,
    }
    serializer_related_to_field = StrictSlugRelatedField


class EmailOrBlankSchema(OpenApiSerializerFieldExtension):
    """An email field that allows blank is an address or `""`: `format: email` alone would call the empty string
    a schema violation, in a request and in an answer (a client without an email shows `"email": ""`)."""

    target_class = StrictEmailField
    match_subclasses = True
    priority = 1  # before the generic text-field extensions, which leave a formatted string as it is

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not self.target.allow_blank or not isinstance(schema, dict) or schema.get("format") != "email":
            return schema
        address = {"type": schema.pop("type"), "format": schema.pop("format")}
        return {"anyOf": [address, {"type": "string", "maxLength": 0}], **schema}

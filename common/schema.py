"""The OpenAPI side of the HTTP conventions handlers opt into with a decorator: `Idempotency-Key`
(`common.idempotency.idempotent`) and `ETag` / `If-Match` (`common.conditional.with_etag`, `if_match`).

Views set `schema = ConventionsAutoSchema()`; each operation whose handler carries a mark gets its request and
answer headers and its extra answers (400/409/422 for a key, 412 for a stale `If-Match`) in the error contract of
the view, next to what the app's `api/openapi.py` declares for it.

The field extensions state what DRF's validation of a request field does and drf-spectacular leaves out: a nested
list's bounds (`NestedListExtension`), text that is not blank (`CharFieldInputExtension`), the step of a decimal
sent as a number (`DecimalNumberInputExtension`). The hook `add_body_variants` gives each media type of a request
body the schema of what it can carry (a form has no null and no nested object, JSON no file).
"""

import copy
from decimal import Decimal
from typing import Any

import django_filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from common import conditional, idempotency
from common.openapi import ProductErrorSerializer
from common.openapi import _Detail as DetailSerializer

SUCCESS_CODES = [200, 201]

IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=f"^[ -~]{{1,{idempotency.MAX_LENGTH}}}$",
    description=(
        "Optional; 1 to 255 printable ASCII characters, unique per request you mean (a UUID is a good key). The "
        "first answer is stored for 24 hours per user and key and replayed byte for byte, with "
        "`Idempotent-Replayed: true`, to every retry with the same key; the same key with another method, path or "
        "body is 422; a retry sent while the first is still running waits for it and gets its answer. 400 and 5xx "
        "answers are not stored: a retry with the key runs again."
    ),
)
REPLAYED = OpenApiParameter(
    idempotency.REPLAYED_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=SUCCESS_CODES,
    description="`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
)
IF_MATCH = OpenApiParameter(
    conditional.IF_MATCH,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional; the `ETag` of the representation you read (or `*`). The write is applied only if the resource "
        "still has it, checked under the row lock the write takes; otherwise 412 and nothing changes. Without the "
        "header the write is applied as before."
    ),
)
ETAG = OpenApiParameter(
    conditional.ETAG,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=SUCCESS_CODES,
    description="Strong ETag of the resource's current representation (as its GET answers it); send it back "
    "in `If-Match` to change the resource only if nobody changed it since.",
)


def _error(view: Any, description: str, code: str, message: str, name: str) -> OpenApiResponse:
    """An answer in the view's error contract: `{"detail", "code"}` (product) or document 001's `{"detail"}`."""
    if getattr(getattr(view, "error_contract", None), "name", "") == "product":
        value: dict[str, Any] = {"detail": message, "code": code}
        return OpenApiResponse(
            ProductErrorSerializer, f"{description} Code: `{code}`.", [OpenApiExample(name, value, response_only=True)]
        )
    return OpenApiResponse(
        DetailSerializer, description, [OpenApiExample(name, {"detail": message}, response_only=True)]
    )


class ConventionsAutoSchema(AutoSchema):
    def _handler(self) -> Any:
        action = getattr(self.view, "action", None) or self.method.lower()
        return getattr(self.view, action, None)

    def _marked(self, mark: str) -> bool:
        return bool(getattr(self._handler(), mark, False))

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._marked(idempotency.MARK):
            parameters += [IDEMPOTENCY_KEY, REPLAYED]
        if self._marked(conditional.MARK_IF_MATCH):
            parameters += [IF_MATCH, ETAG]
        elif self._marked(conditional.MARK_GET):
            parameters.append(ETAG)
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        extra: dict[int, OpenApiResponse] = {}
        if self._marked(idempotency.MARK):
            extra[400] = _error(
                self.view,
                "The Idempotency-Key header is not 1 to 255 printable ASCII characters; nothing ran.",
                idempotency.IdempotencyErrorCode.KEY_INVALID,
                idempotency.KEY_INVALID_MESSAGE,
                "Bad Idempotency-Key",
            )
            extra[409] = _error(
                self.view,
                "A request with this Idempotency-Key is still running after a wait; retry shortly.",
                idempotency.IdempotencyErrorCode.KEY_IN_USE,
                idempotency.KEY_IN_USE_MESSAGE,
                "Key in use",
            )
            extra[422] = _error(
                self.view,
                "The Idempotency-Key was already used with another request (method, path or body); nothing ran.",
                idempotency.IdempotencyErrorCode.KEY_REUSED,
                idempotency.KEY_REUSED_MESSAGE,
                "Key reused",
            )
        if self._marked(conditional.MARK_IF_MATCH):
            extra[412] = _error(
                self.view,
                "If-Match does not match the resource's current ETag; nothing changed.",
                conditional.PRECONDITION_FAILED,
                conditional.PRECONDITION_FAILED_MESSAGE,
                "Stale ETag",
            )
        for code, response in extra.items():
            if str(code) in responses:
                _add_examples(responses[str(code)], self._get_response_for_code(response, str(code)))
            else:
                responses[str(code)] = self._get_response_for_code(response, str(code))
        return responses


def _add_examples(existing: dict[str, Any], extra: dict[str, Any]) -> None:
    """The operation declares this status already: keep its body, add the convention's example and say when."""
    for media_type, content in extra.get("content", {}).items():
        target = existing.setdefault("content", {}).setdefault(media_type, {})
        target.setdefault("examples", {}).update(content.get("examples", {}))
    description = extra.get("description", "")
    if description and description not in existing.get("description", ""):
        existing["description"] = f"{existing.get('description', '')} Or: {description}".strip()


class NestedListExtension(OpenApiSerializerFieldExtension):
    """A nested list of objects (`ListSerializer(child=..., allow_empty=False, max_length=...)`) with its
    `minItems` / `maxItems`: drf-spectacular states them for a ListField only, so the schema would admit the
    empty list the serializer refuses."""

    target_class = "rest_framework.serializers.ListSerializer"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if schema is None or schema.get("type") != "array":
            return schema
        if field.min_length is not None:
            schema["minItems"] = field.min_length
        elif not field.allow_empty:
            schema["minItems"] = 1
        if field.max_length is not None:
            schema["maxItems"] = field.max_length
        return schema


#: Python's whitespace (`str.isspace`: what DRF's `trim_whitespace` and `str.strip()` remove), as a regex class body
PYTHON_SPACE = r"\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: text with something besides whitespace (what a trimmed CharField without `allow_blank` needs); the pattern is a
#: search, so only the leading whitespace and the first other character are spelled
NOT_BLANK = rf"^[{PYTHON_SPACE}]*[^{PYTHON_SPACE}]"
#: text without NUL
NO_NUL = r"^[^\u0000]*$"
#: the longest text whose schema states "no NUL" (see CharFieldInputExtension)
SHORT_TEXT = 255
#: NOT_BLANK without NUL anywhere (DRF refuses NUL in every CharField)
NOT_BLANK_NO_NUL = rf"^[^\u0000]*[^\u0000{PYTHON_SPACE}][^\u0000]*$"


class CharFieldInputExtension(OpenApiSerializerFieldExtension):
    """A text field of a request with the characters DRF takes: something besides whitespace where it trims the
    text and refuses it blank (`minLength: 1` alone admits `" "`), and no NUL (refused in every CharField). The NUL
    is stated up to `SHORT_TEXT` characters: the anchored pattern makes generating longer text too slow for the fuzz
    test, and a long text field with a NUL in it is still a 400 the schema does not state."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if direction != "request" or not isinstance(schema, dict) or schema.get("type") != "string":
            return schema
        if any(key in schema for key in ("pattern", "format", "enum")):
            return schema
        short = field.max_length is not None and field.max_length <= SHORT_TEXT
        if field.allow_blank or not field.trim_whitespace:
            if short:
                schema["pattern"] = NO_NUL
        else:
            schema["pattern"] = NOT_BLANK_NO_NUL if short else NOT_BLANK
        return schema


class DecimalNumberInputExtension(OpenApiSerializerFieldExtension):
    """A decimal a request sends as a JSON number (`coerce_to_string=False`) with its step: DRF refuses more
    decimal places than `decimal_places`, which the number's bounds alone do not say."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> Any:
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if direction == "request" and isinstance(schema, dict) and schema.get("type") == "number":
            if field.decimal_places is not None:
                schema["multipleOf"] = float(Decimal(1).scaleb(-field.decimal_places))
        return schema


# --- what each media type of a body can carry ---------------------------------------------------------------
_FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_NULL_ENUM = "#/components/schemas/NullEnum"


def _is_object(schema: dict, components: dict) -> bool:
    if "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema.get("type") == "object" or "additionalProperties" in schema or "properties" in schema


def _not_null(schema: dict) -> dict:
    """The property without its null: no `nullable`, and a `oneOf` without its NullEnum branch."""
    schema = {key: value for key, value in schema.items() if key != "nullable"}
    branches = [branch for branch in schema.get("oneOf", []) if branch.get("$ref") != _NULL_ENUM]
    if "oneOf" in schema and len(branches) == 1:
        del schema["oneOf"]
        return {**branches[0], **schema}
    if "oneOf" in schema:
        schema["oneOf"] = branches
    return schema


def _body_variant(schema: dict, media_type: str, components: dict) -> dict | None:
    """`schema` as `media_type` can carry it, or None when a required property cannot be carried at all.

    A form (urlencoded or multipart) has no null (DRF reads an empty value as null, which no schema of a string
    can say) and no nested object; urlencoded has no file either. JSON has no file: a file property takes only
    null there (it clears the file) when it is nullable."""
    variant = copy.deepcopy(schema)
    required = set(variant.get("required", []))
    properties = variant.get("properties", {})
    for name, prop in list(properties.items()):
        binary = prop.get("format") == "binary"
        if media_type == "application/json":
            if not binary:
                continue
            carried: dict | None = (
                {"type": "string", "enum": [None], "nullable": True} if prop.get("nullable") else None
            )
        elif _is_object(prop, components) or (binary and media_type != "multipart/form-data"):
            carried = None
        else:
            carried = _not_null(prop)
        if carried is None:
            if name in required:
                return None
            del properties[name]
        else:
            properties[name] = carried
    return variant


def add_body_variants(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: each media type of a request body gets the schema of what it can carry
    (`_body_variant`): a component `<Name>Form` / `<Name>Multipart` / `<Name>Json` where that differs from the
    serializer's, and a media type that cannot carry a required property is not listed."""
    components = result.get("components", {}).get("schemas", {})
    suffixes = {"application/json": "Json", _FORM_MEDIA_TYPES[0]: "Form", _FORM_MEDIA_TYPES[1]: "Multipart"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            content = operation["requestBody"].get("content", {})
            for media_type in [media_type for media_type in content if media_type in suffixes]:
                ref = content[media_type].get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                if name not in components:
                    continue
                variant = _body_variant(components[name], media_type, components)
                if variant is None:
                    del content[media_type]
                elif variant != components[name]:
                    variant_name = name.removesuffix("Request") + suffixes[media_type] + "Request"
                    components.setdefault(variant_name, variant)
                    content[media_type]["schema"] = {"$ref": f"#/components/schemas/{variant_name}"}
    return result


class FilterParameterExtension(DjangoFilterExtension):
    """django-filter's query parameters, with the `openapi_schema` a filter declares (common.filters) added to its
    parameter's schema: what its form field validates beyond the type drf-spectacular infers."""

    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> Any:
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            parameter["schema"].update(getattr(filter_field, "openapi_schema", {}))
            if type(filter_field) is django_filters.CharFilter:  # a form CharField refuses NUL
                parameter["schema"].setdefault("pattern", NO_NUL)
        return parameters

"""Shared OpenAPI pieces: the error bodies every document uses."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

_Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
# A validation error maps each bad field to its messages (nested objects for nested input);
# a body that is not valid JSON gets {"detail": "..."}.
_FieldErrors = {
    "type": "object",
    "description": "Field name → list of messages (or nested errors); `detail` for a malformed body.",
    "additionalProperties": {},
}

ERROR_400 = OpenApiResponse(
    response=_FieldErrors,
    description="Validation failed: every bad field with its messages.",
    examples=[OpenApiExample("Missing field", value={"description": ["This field is required."]})],
)
ERROR_401 = OpenApiResponse(
    response=_Detail,
    description="No token, or a malformed or expired one.",
    examples=[
        OpenApiExample(
            "No token",
            value={"detail": "Authentication credentials were not provided."},
        )
    ],
)
ERROR_403 = OpenApiResponse(
    response=_Detail,
    description="Not allowed: missing right, unconfirmed email or revoked session.",
    examples=[
        OpenApiExample(
            "Forbidden",
            value={"detail": "You do not have permission to perform this action."},
        )
    ],
)
ERROR_404 = OpenApiResponse(
    response=_Detail,
    description="No such object, or not one of yours.",
    examples=[OpenApiExample("Not found", value={"detail": "No Order matches the given query."})],
)
ERROR_409 = OpenApiResponse(
    response=_Detail,
    description="The request conflicts with the current state.",
    examples=[
        OpenApiExample(
            "Conflict",
            value={"detail": "The request conflicts with the current state."},
        )
    ],
)
ERROR_429 = OpenApiResponse(
    response=_Detail,
    description="Too many requests; retry after the time given.",
    examples=[
        OpenApiExample(
            "Throttled",
            value={"detail": "Request was throttled. Expected available in 60 seconds."},
        )
    ],
)


def error_response(base: OpenApiResponse, *examples: OpenApiExample, description: str = "") -> OpenApiResponse:
    """One of the shared error answers above with the operation's own messages (and, if given, description)."""
    return OpenApiResponse(response=base.response, description=description or base.description, examples=list(examples))


def add_page_not_found(result: dict, generator, request, public) -> dict:  # type: ignore[no-untyped-def]
    """Postprocessing hook: every paginated list answers 404 for a page past the end."""
    not_found = {
        "description": "Invalid page.",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorDetail"},
                "examples": {"InvalidPage": {"value": {"detail": "Invalid page."}, "summary": "Page past the end"}},
            }
        },
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            if any(p.get("name") == "page" and p.get("in") == "query" for p in operation.get("parameters", [])):
                operation.setdefault("responses", {}).setdefault("404", not_found)
    return result

"""Shared OpenAPI pieces: the error bodies every document uses."""

import re
from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

from common.pagination import PAGE_SIZE_INVALID

_Detail = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
# A validation error maps each bad field to its messages (nested objects for nested input);
# a body that is not valid JSON gets {"detail": "..."}.
_FieldErrors = {
    "type": "object",
    "description": "Field name → list of messages (or nested errors); `detail` for a malformed body.",
    "additionalProperties": {},
}

#: The shape only: each operation shows its own fields with `field_errors_400` (tests/test_openapi_docs.py checks
#: that every 400 example names a field or parameter the operation has).
ERROR_400 = OpenApiResponse(
    response=_FieldErrors,
    description="Validation failed: every bad field with its messages.",
)


def field_errors_400(description: str = "", **examples: dict) -> OpenApiResponse:
    """Document 001's 400 with the operation's own fields: each keyword names an example, its value is the body."""
    return OpenApiResponse(
        response=_FieldErrors,
        description=description or ERROR_400.description,
        examples=[OpenApiExample(name.replace("_", " ").capitalize(), value=value) for name, value in examples.items()],
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


def add_page_not_found(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: every paginated list answers 404 for a page past the end, and 400 for a `page_size`
    that is not a whole number of at least 1 (common.pagination), in the list's own error contract."""
    not_found = {
        "description": "Invalid page.",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorDetail"},
                "examples": {"InvalidPage": {"value": {"detail": "Invalid page."}, "summary": "Page past the end"}},
            }
        },
    }
    messages = {"page_size": [PAGE_SIZE_INVALID]}
    bad_page_size = {
        "description": "`page_size` is not a whole number of at least 1.",
        "content": {
            "application/json": {
                "schema": _ANY_ERROR,
                "examples": {
                    "BadPageSize": {
                        "value": {"detail": "Invalid input.", "code": "invalid", "fields": messages},
                        "summary": "page_size=0",
                    },
                },
            }
        },
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            names = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "page" in names:
                operation.setdefault("responses", {}).setdefault("404", not_found)
            if "page_size" in names:
                operation.setdefault("responses", {}).setdefault("400", bad_page_size)
    return result


# --- the product's own error contract: {"detail", "code"} (+ "fields"); see common/exceptions.py -------------
ProductErrorSerializer = inline_serializer(
    "ProductError",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(help_text="Stable machine-readable code; the operation lists its codes."),
        "fields": serializers.DictField(
            required=False, help_text="Validation only: field name → list of messages (or nested errors)."
        ),
    },
)

#: (code, message) of the refusals every authenticated product endpoint shares
NOT_AUTHENTICATED = ("not_authenticated", "Authentication credentials were not provided.")
PERMISSION_DENIED = ("permission_denied", "You do not have permission to perform this action.")
NOT_FOUND = ("not_found", "No such object, or not one of yours.")
THROTTLED = ("throttled", "Request was throttled. Expected available in 60 seconds.")


def product_error(description: str, *cases: tuple[str, str], fields: dict | None = None) -> OpenApiResponse:
    """An error answer of the product contract; `cases` are its (code, message) pairs, listed in the description
    and shown as examples. `fields` adds the field errors of a validation example."""
    codes = ", ".join(f"`{code}`" for code, _ in cases)
    examples = []
    for code, message in cases:
        value: dict = {"detail": message, "code": code}
        if fields is not None and code in ("invalid", "required", "blank", "null"):
            value["fields"] = fields
        examples.append(OpenApiExample(code, value=value, response_only=True))
    return OpenApiResponse(
        response=ProductErrorSerializer, description=f"{description} Codes: {codes}.", examples=examples
    )


PRODUCT_400 = product_error(
    "Validation failed: every bad field with its messages.",
    ("invalid", "Invalid input."),
    fields={"email": ["This field is required."]},
)
PRODUCT_401 = product_error("No token, or a malformed or expired one.", NOT_AUTHENTICATED)
PRODUCT_403 = product_error("Not allowed: missing right, unconfirmed email or revoked session.", PERMISSION_DENIED)
PRODUCT_404 = product_error("No such object, or not one of yours.", NOT_FOUND)
PRODUCT_429 = product_error("Too many requests; retry after the time given.", THROTTLED)


# --- what every operation with a body can answer, whatever its view ------------------------------------------
#: the refusals of the request guard (common.middleware) and the parsers, in the view's error contract
_BODY_REFUSALS = {
    "411": (
        "A chunked body the server could not de-chunk (Django's development server): send a Content-Length.",
        {"detail": "A request body needs a Content-Length header.", "code": "length_required"},
    ),
    "413": (
        "The request body is larger than the upload limit (`DATA_UPLOAD_MAX_MEMORY_SIZE`).",
        {"detail": "The request body is too large.", "code": "request_too_large"},
    ),
    "415": (
        "The Content-Type is not one the operation lists.",
        {"detail": 'Unsupported media type "text/plain" in request.', "code": "unsupported_media_type"},
    ),
}
_ANY_ERROR = {
    "type": "object",
    "additionalProperties": {},
    "description": "The operation's error contract: `{detail, code}` (product) or `{detail}` (document 001).",
}


def add_body_refusals(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: an operation that takes a body lists the guard's 411, 413 and 415 (its own, if declared,
    are kept)."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, example) in _BODY_REFUSALS.items():
                content = {"schema": _ANY_ERROR, "examples": {"Refused": {"value": example}}}
                responses.setdefault(code, {"description": description, "content": {"application/json": content}})
    return result


# --- links from a created object to the operations that read and change it -----------------------------------
#: (path of the create operation, where its answer has the new id) when it is not `id`
_CREATED_ID = {"/api/organizations/{organization_id}/members/": "$response.body#/user/id"}
#: create operation → (target path, its id parameter) outside the create path's own subtree; the target's other
#: path parameters come from the answer's field of the same name, or as `_FROM_ANSWER` says
_MORE_TARGETS: dict[str, list[tuple[str, str]]] = {
    "/orders/order-c/": [
        ("/orders/order-r/{id}/", "id"),
        ("/orders/order-r/{id}/{organization_id}/", "id"),
        ("/orders/order-ud/{id}/", "id"),
    ],
    "/api_v2/order/": [("/api_v2/order/mine/{id}/", "id"), ("/api_v2/order/reviews_by_order_id/{id}/", "id")],
    "/api/organizations/": [
        ("/orders/order-l/{organization_id}/", "organization_id"),
        ("/orders/order-creator-l/{organization_id}/", "organization_id"),
    ],
}
_FROM_ANSWER = {"organization_id": "$response.body#/organization"}
_PARAMETER = re.compile(r"\{([^}]+)\}")


def add_links(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: every 201 links to the operations on the object it created (OpenAPI links), so a
    client, and schemathesis' stateful phase, can follow a create with its reads, changes and deletes.

    A target is a path under the create path with one more `{parameter}` (the new id) whose other parameters
    are the create path's own (taken from the request), or one named in `_MORE_TARGETS`."""
    paths = result.get("paths", {})
    for source, path_item in paths.items():
        create = path_item.get("post")
        if not isinstance(create, dict) or "201" not in create.get("responses", {}):
            continue
        own = set(_PARAMETER.findall(source))
        targets = list(_MORE_TARGETS.get(source, []))
        for target in paths:
            if not target.startswith(source) or target == source:
                continue
            tail = target[len(source) :].lstrip("/")
            rest = _PARAMETER.findall(tail)
            match = re.match(r"\{([^}]+)\}", tail)
            if match and rest[:1] == [match.group(1)] and set(rest[1:]) <= own:
                targets.append((target, match.group(1)))
        links: dict[str, Any] = {}
        for target, id_parameter in targets:
            for operation in paths.get(target, {}).values():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                parameters = {id_parameter: _CREATED_ID.get(source, "$response.body#/id")}
                for name in set(_PARAMETER.findall(target)) - {id_parameter}:
                    parameters[name] = f"$request.path.{name}" if name in own else _FROM_ANSWER[name]
                links[operation["operationId"]] = {"operationId": operation["operationId"], "parameters": parameters}
        if links:
            create["responses"]["201"]["links"] = links
    return result

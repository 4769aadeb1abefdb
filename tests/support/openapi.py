"""The OpenAPI schema as the tests read it (`openapi.schema()`): generated once per run, as /api/schema/ serves it."""

import functools
from typing import Any

from drf_spectacular.generators import SchemaGenerator


@functools.cache
def schema() -> dict[str, Any]:
    """The public schema; shared by every test, so read it, never change it."""
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(*prefixes: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) of every operation, or of those whose path starts with one of `prefixes`."""
    return [
        (method.upper(), path, operation)
        for path, path_operations in schema()["paths"].items()
        if not prefixes or path.startswith(prefixes)
        for method, operation in path_operations.items()
    ]


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """The component a `$ref` names (following references), or `node` itself."""
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node

"""JSON Patch (RFC 6902) for flat camelCase resources: checked, applied with `jsonpatch`, mapped to 400/409.

A patch is applied to the resource's writable representation, then validated exactly like a full replacement
(PUT). Paths must name one of the resource's fields.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import jsonpatch
import jsonpointer
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from appraisals.errors import InvalidPatchError, PatchConflictError, PatchTestFailedError
from common.parsers import JSONParser

JSON_PATCH_MEDIA_TYPE = "application/json-patch+json"
OPERATIONS = ("add", "remove", "replace", "move", "copy", "test")
NEEDS_VALUE = frozenset({"add", "replace", "test"})
NEEDS_FROM = frozenset({"move", "copy"})
MAX_OPERATIONS = 100
_OPERATION_KINDS = (("add", "replace", "test"), ("move", "copy"), ("remove",))

Resource = TypeVar("Resource")


class JSONPatchParser(JSONParser):
    """Parses `application/json-patch+json` bodies (plain JSON underneath, with the API's nesting limit)."""

    media_type = JSON_PATCH_MEDIA_TYPE


class JsonPatch(Generic[Resource]):
    """The JSON Patch rules of one resource: its patchable fields, path aliases and datetime fields, the
    representation a patch applies to (`document`) and how the result is validated (`validate`, as PUT does)."""

    def __init__(
        self,
        *,
        fields: Iterable[str],
        document: Callable[[Resource], dict[str, Any]],
        validate: Callable[[Any], dict[str, Any]],
        aliases: Mapping[str, str] | None = None,
        datetime_fields: Iterable[str] = (),
    ) -> None:
        self.document = document
        self.validate = validate
        self.paths = {f"/{field}": f"/{field}" for field in fields}
        self.paths.update({f"/{alias}": f"/{field}" for alias, field in (aliases or {}).items()})
        self.datetime_paths = {f"/{field}" for field in datetime_fields}
        self._datetime_field = serializers.DateTimeField()

    def patch_schema(self, title: str) -> dict[str, Any]:
        """This resource's patch document for the OpenAPI schema: an array of RFC 6902 operations."""
        paths = sorted(self.paths)
        return {
            "type": "array",
            "title": title,
            "description": (
                "JSON Patch (RFC 6902): operations applied in order to the resource's camelCase representation, "
                "all or nothing. The result is validated like PUT."
            ),
            "maxItems": MAX_OPERATIONS,
            "items": {"oneOf": [self._operation_schema(ops, paths) for ops in _OPERATION_KINDS]},
        }

    @staticmethod
    def _operation_schema(ops: tuple[str, ...], paths: list[str]) -> dict[str, Any]:
        """One kind of operation: `value` is required by add, replace and test, `from` by move and copy."""
        properties: dict[str, Any] = {
            "op": {"type": "string", "enum": list(ops)},
            "path": {"type": "string", "enum": paths, "description": "The field to change (JSON Pointer)."},
        }
        required = ["op", "path"]
        if set(ops) <= NEEDS_FROM:
            properties["from"] = {"type": "string", "enum": paths, "description": "The source field."}
            required.append("from")
        if set(ops) <= NEEDS_VALUE:
            properties["value"] = {"description": "New value for `add` and `replace`; expected value for `test`."}
            required.append("value")
        return {"type": "object", "required": required, "properties": properties}

    def builder(self, body: Any) -> Callable[[Resource], dict[str, Any]]:
        """How a PATCH builds the new field values: the operations are checked now (400 before any row is
        locked); the service then hands over the locked row, its representation is patched and validated."""
        operations = self.check(body)
        return lambda instance: self.validate(self.apply(self.document(instance), operations))

    def check(self, body: Any) -> list[dict[str, Any]]:
        """The operations of a well-formed patch, with aliases resolved; 400 naming every problem otherwise."""
        if not isinstance(body, list):
            raise InvalidPatchError(["Expected a JSON Patch document: an array of operations."])
        if len(body) > MAX_OPERATIONS:
            raise InvalidPatchError([f"A patch may hold at most {MAX_OPERATIONS} operations."])
        problems: list[str] = []
        operations = []
        for index, operation in enumerate(body):
            checked, errors = self._check_operation(operation)
            problems.extend(f"Operation {index}: {error}" for error in errors)
            operations.append(checked)
        if problems:
            raise InvalidPatchError(problems)
        return operations

    def _check_operation(self, operation: Any) -> tuple[dict[str, Any], list[str]]:
        if not isinstance(operation, dict):
            return {}, ["must be an object with op and path."]
        errors = []
        op = operation.get("op")
        if not isinstance(op, str) or op not in OPERATIONS:
            errors.append(f'"op" must be one of {", ".join(OPERATIONS)}.')
            op = None
        checked = dict(operation)
        known = ", ".join(sorted(self.paths))
        path = operation.get("path")
        if not isinstance(path, str) or path not in self.paths:
            errors.append(f'"path" must name a field of the resource: one of {known}.')
        else:
            checked["path"] = self.paths[path]
        if op in NEEDS_FROM:
            source = operation.get("from")
            if not isinstance(source, str) or source not in self.paths:
                errors.append(f'"from" must name a field of the resource: one of {known}.')
            else:
                checked["from"] = self.paths[source]
        if op in NEEDS_VALUE and "value" not in operation:
            errors.append(f'"value" is required for "{op}".')
        if op == "test" and not errors and checked["path"] in self.datetime_paths:
            checked["value"] = self._canonical_datetime(checked["value"])
        return checked, errors

    def _canonical_datetime(self, value: Any) -> Any:
        """`test` compares datetimes as instants: any offset of the stored moment matches."""
        if not isinstance(value, str):
            return value
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return value
        if parsed is None or parsed.tzinfo is None:
            return value
        try:
            return self._datetime_field.to_representation(parsed)
        except OverflowError:
            return value

    @staticmethod
    def apply(document: dict[str, Any], operations: list[dict[str, Any]]) -> Any:
        """Apply every operation or none: a failed `test` or a missing target → 409 naming the operation."""
        result: Any = document
        for index, operation in enumerate(operations):
            label = f'Operation {index} ("{operation["op"]}" {operation["path"]})'
            try:
                result = jsonpatch.JsonPatch([operation]).apply(result, in_place=False)
            except jsonpatch.JsonPatchTestFailed as exc:
                raise PatchTestFailedError(f"{label} failed: the value differs; nothing was changed.") from exc
            except jsonpatch.JsonPatchConflict as exc:
                raise PatchConflictError(
                    f"{label} cannot be applied: its target does not exist at that point; nothing was changed."
                ) from exc
            except (jsonpatch.InvalidJsonPatch, jsonpointer.JsonPointerException) as exc:
                raise InvalidPatchError([f"{label}: {exc}"]) from exc
        return result

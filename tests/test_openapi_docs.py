"""The docs are written for people: every operation has a summary and a description, tags are declared in reading
order with descriptions and named for the domain, and error examples name what the operation really has."""

from typing import Any

import pytest
from django.conf import settings

from tests.support import openapi

#: keys of an error body that are not field names
ERROR_KEYS = {"detail", "code", "fields", "message", "errors", "non_field_errors"}


def _declared_tags() -> list[dict[str, str]]:
    return settings.SPECTACULAR_SETTINGS["TAGS"]


def _examples(response: dict[str, Any]) -> dict[str, Any]:
    examples: dict[str, Any] = {}
    for media in response.get("content", {}).values():
        examples.update(media.get("examples") or {})
    return examples


def _input_names(operation: dict[str, Any]) -> set[str]:
    """The body fields and the parameters a client sends to this operation."""
    names = {parameter["name"] for parameter in operation.get("parameters", [])}
    for media in operation.get("requestBody", {}).get("content", {}).values():
        body = openapi.resolve(media["schema"])
        names |= set(body.get("properties", {}))
        if body.get("type") == "array":  # a JSON Patch: the patch itself and the fields of what it changes
            answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
            names |= {"patch", *openapi.resolve(answer).get("properties", {})}
    return names


def test_every_operation_has_a_summary_and_a_description() -> None:
    missing = [
        f"{method} {path}"
        for method, path, op in openapi.operations()
        if not (op.get("summary") and op.get("description"))
    ]
    assert not missing
    assert len(openapi.operations()) >= 70


def test_tags_are_declared_in_reading_order_with_descriptions() -> None:
    declared = [tag["name"] for tag in _declared_tags()]
    assert declared[0] == "auth"
    assert all(tag.get("description") for tag in _declared_tags())
    assert not [name for name in declared if "document" in name.lower()]
    assert [tag["name"] for tag in openapi.schema()["tags"]] == declared  # the schema carries them, in this order
    used = {tag for _, _, operation in openapi.operations() for tag in operation["tags"]}
    assert used == set(declared), "every tag used is declared, and every declared tag is used"


def test_each_operation_has_one_tag_and_every_orders_path_shares_it() -> None:
    assert all(len(operation["tags"]) == 1 for _, _, operation in openapi.operations())
    orders_tags = {op["tags"][0] for _, path, op in openapi.operations() if path.startswith("/orders/")}
    assert orders_tags == {"orders"}


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [pytest.param(*op, id=f"{op[0]} {op[1]}") for op in openapi.operations() if "400" in op[2]["responses"]],
)
def test_400_examples_name_fields_the_operation_has(method: str, path: str, operation: dict[str, Any]) -> None:
    names = _input_names(operation)
    for name, example in _examples(operation["responses"]["400"]).items():
        value = example["value"]
        bad_fields = set(value.get("fields") or {}) | set(value.get("errors") or {}) | (set(value) - ERROR_KEYS)
        assert bad_fields <= names, f"{method} {path} example {name!r} names {sorted(bad_fields - names)}"


def test_every_500_answer_shows_its_body() -> None:
    answers = [(f"{m} {p}", op["responses"]["500"]) for m, p, op in openapi.operations() if "500" in op["responses"]]
    assert answers
    assert [where for where, response in answers if not _examples(response)] == []

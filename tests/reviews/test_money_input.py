"""A price in a request is accepted exactly when the schema says it may be (reviews.api.serializers.MoneyInputField)."""

import re

import jsonschema_rs
import pytest

from reviews.api.serializers import MONEY_TEXT, MoneyInputField

SCHEMA = MoneyInputField._spectacular_annotation["field"]  # type: ignore[attr-defined]

TEXTS: list[object] = [
    "0",
    "0.00",
    "15000",
    "15000.5",
    "15000.50",
    "9999999999.99",
    "0000000000012.30",
    "1.",
    ".5",
    "007",
]
REFUSED_TEXTS: list[str] = [
    "",
    " ",
    "-1",
    "-0",
    "1e3",
    " 5",
    "5 ",
    "+5",
    "1_000",
    "٥",
    "1.234",
    "10000000000",
    ".",
    "abc",
    "1.0.0",
]
NUMBERS: list[object] = [0, 0.0, 1, 0.07, 12.5, 15000, 9999999999.99, -0.0]
REFUSED_NUMBERS: list[object] = [-1, -0.01, 0.001, 1e-7, 1e10, 10**11, 2.675e3 + 0.001]


def _accepted(value: object) -> bool:
    field = MoneyInputField()
    try:
        field.run_validation(value)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("value", TEXTS + REFUSED_TEXTS + NUMBERS + REFUSED_NUMBERS + [True, None, [], {}])
def test_validation_agrees_with_the_schema(value: object) -> None:
    # jsonschema-rs, schemathesis' validator: a number's multipleOf is read in decimal, as the JSON text spells it
    assert _accepted(value) == jsonschema_rs.Draft4Validator(SCHEMA).is_valid(value)


@pytest.mark.parametrize("value", TEXTS + NUMBERS)
def test_prices_a_client_sends_are_accepted(value: object) -> None:
    assert _accepted(value)


@pytest.mark.parametrize("value", REFUSED_TEXTS)
def test_other_text_is_refused_and_the_pattern_says_so(value: str) -> None:
    assert not _accepted(value)
    assert not re.search(MONEY_TEXT, value)

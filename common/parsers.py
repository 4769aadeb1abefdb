"""The API's JSON parser: DRF's, refusing documents nested deeper than `JSON_MAX_DEPTH` before they are decoded.

`json.loads` recurses once per level of nesting, so `[[[[...]]]]` 100,000 deep raises RecursionError (a 500)
instead of a parse error. The depth is measured first, without recursion and in linear time (strings are cut out:
brackets inside them do not nest). A RecursionError that gets past the check anyway is a parse error too.

It stays a subclass of DRF's JSONParser: DRF reads such a parser's body through `HttpRequest.body`, which enforces
`DATA_UPLOAD_MAX_MEMORY_SIZE` (413), instead of handing it the raw stream.
"""

import re
from itertools import accumulate
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json

#: default for the `JSON_MAX_DEPTH` setting: far deeper than any body the API takes, far below recursion limits
DEFAULT_MAX_DEPTH = 64

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DELTA = [0] * 128
_DELTA[ord("[")] = _DELTA[ord("{")] = 1
_DELTA[ord("]")] = _DELTA[ord("}")] = -1


def json_too_deep(text: str, max_depth: int) -> bool:
    """True when the JSON document `text` nests arrays and objects more than `max_depth` levels deep.

    Linear and never recursive: escapes, then strings, then everything but brackets are cut out (all in C), and
    the deepest running count of open brackets is the depth. Past a syntax error the count may be off, but the
    decoder stops there too.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text))).encode("ascii")
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0) > max_depth


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a nesting limit (`JSON_MAX_DEPTH`); every refusal is DRF's 400 parse error."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        max_depth = getattr(settings, "JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        try:
            text = stream.read().decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        if json_too_deep(text, max_depth):
            raise ParseError(f"JSON parse error - nested deeper than {max_depth} levels")
        parse_constant = json.strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        except RecursionError as exc:  # a last resort: the depth check lets no such document through
            raise ParseError(f"JSON parse error - nested deeper than {max_depth} levels") from exc

"""The API's JSON parser: DRF's, refusing documents nested deeper than `JSON_MAX_DEPTH` before they are decoded.

`json.loads` recurses once per level of nesting, so `[[[[...]]]]` 100,000 deep raises RecursionError (a 500)
instead of a parse error. The depth is measured first, without recursion and in linear time (strings are cut out:
brackets inside them do not nest). A RecursionError that gets past the check anyway is a parse error too.

It stays a subclass of DRF's JSONParser: DRF reads such a parser's body through `HttpRequest.body`, which enforces
`DATA_UPLOAD_MAX_MEMORY_SIZE` (413), instead of handing it the raw stream.
"""

import re
from itertools import accumulate
from typing import IO, Any, cast

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


class _Head:
    """A stream that keeps the first bytes read from it."""

    def __init__(self, stream: Any, size: int = 256) -> None:
        self._stream, self._size, self.head = stream, size, b""

    def read(self, *args: Any) -> bytes:
        chunk: bytes = self._stream.read(*args)
        if len(self.head) < self._size:
            self.head += chunk[: self._size - len(self.head)]
        return chunk


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing a body that is not a multipart form.

    Django's parser skips whatever comes before the first boundary and any part without a name, so a body that is no
    form (`[]`, a JSON document sent as multipart, a part with no headers) read as an empty form and changed nothing
    with a 200. A form with no parts is its closing delimiter alone; anything else with no parts is a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        recorded = _Head(stream) if stream is not None else None
        result = super().parse(cast(IO[Any], recorded), media_type, parser_context)
        if recorded is not None and not result.data and not result.files:
            boundary = (media_type or "").partition("boundary=")[2].split(";")[0].strip().strip('"')
            if recorded.head.strip() not in (b"", b"--" + boundary.encode("latin-1") + b"--"):
                raise ParseError("Multipart form parse error - the body has no part.")
        return result

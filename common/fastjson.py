"""JSON for the hot read paths: orjson, writing the bytes DRF's JSONRenderer writes for the same data.

DRF's renderer runs `json.dumps` with its encoder (compact separators, UTF-8 text, U+2028/U+2029 escaped for
JavaScript). orjson writes the same text for dicts, lists, strings, ints, floats, bools and None about ten times
faster; everything else (Decimal, datetime, UUID, lazy strings) goes through DRF's encoder, as before.
"""

import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import orjson
from django.http import HttpResponse, StreamingHttpResponse
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

_drf_encoder = JSONEncoder()
# datetimes through DRF's encoder: it cuts microseconds to milliseconds and writes UTC as `Z`
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):  # DRF's encoder: a number (COERCE_DECIMAL_TO_STRING is off for our fields)
        return float(value)
    return _drf_encoder.default(value)


def dumps(data: Any) -> bytes:
    """`data` as DRF's JSONRenderer writes it (compact, UTF-8)."""
    text = orjson.dumps(data, default=_default, option=_OPTIONS)
    if b"\xe2\x80\xa8" in text or b"\xe2\x80\xa9" in text:  # as DRF: line/paragraph separators break JS parsers
        text = text.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return text


class FastJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer with orjson; an `indent` asked for in the Accept header is DRF's own rendering."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)


def fast_renderers() -> list[Any]:
    """The project's renderers with JSON by orjson: for views on the hot read paths."""
    return [FastJSONRenderer if r is JSONRenderer else r for r in api_settings.DEFAULT_RENDERER_CLASSES]


class FastJSONNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with what API clients send answered without parsing the Accept header: no Accept, `*/*`
    or exactly `application/json`, no `?format=` and no format suffix, JSON the first renderer: DRF picks that
    renderer and names `application/json` too. Anything else is negotiated by DRF."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        if (
            not format_suffix
            and renderers
            and renderers[0].media_type == "application/json"
            and request.META.get("HTTP_ACCEPT", "*/*") in ("*/*", "application/json")
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], "application/json"
        return super().select_renderer(request, renderers, format_suffix)


class _ArrayChunks:
    """The bytes of one JSON array, a batch of rows at a time. `close()` (the response's, once the client is done
    or gone) closes the batches' source, so a server-side cursor is not left open."""

    def __init__(self, head: list[list[Any]], batches: Iterator[list[Any]]) -> None:
        self.head, self.batches = head, batches

    def __iter__(self) -> Iterator[bytes]:
        opening = b"["
        for batch in itertools.chain(self.head, self.batches):
            if batch:
                yield opening + dumps(batch)[1:-1]
                opening = b","
        yield b"[]" if opening == b"[" else b"]"

    def close(self) -> None:
        close = getattr(self.batches, "close", None)
        if close is not None:
            close()


def json_array_response(batches: Iterator[list[Any]]) -> HttpResponse | StreamingHttpResponse:
    """The rows of `batches` as one JSON array, the bytes DRF's JSONRenderer writes for the whole list: one
    response when it fits in one batch, else streamed a batch at a time, so a list of thousands of rows never sits
    in memory whole (rows, dicts or text)."""
    first = next(batches, [])
    second = next(batches, None)
    if second is None:
        return HttpResponse(dumps(first), content_type="application/json")
    return StreamingHttpResponse(_ArrayChunks([first, second], batches), content_type="application/json")

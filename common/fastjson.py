"""JSON for the hot read paths: orjson, writing the bytes DRF's JSONRenderer writes for the same data.

DRF's renderer runs `json.dumps` with its encoder (compact separators, UTF-8 text, U+2028/U+2029 escaped for
JavaScript). orjson writes the same text for dicts, lists, strings, ints, floats, bools and None about ten times
faster; everything else (Decimal, datetime, UUID, lazy strings) goes through DRF's encoder, as before.
"""

from decimal import Decimal
from typing import Any

import orjson
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

"""The request guard: every request body is bounded, and a request no view can take is refused in JSON.

It runs first, before anything can read a body:

- **Size.** `DATA_UPLOAD_MAX_MEMORY_SIZE` bounds the whole body, file uploads included (Django applies it to
  `request.body` and to form fields only). A body declared larger gets a stream that refuses to be read, so
  whoever reads it (DRF's parsers, Django's form parsing) raises `RequestDataTooBig`, which the view's error
  contract answers with 413 after authentication, like any other refusal of the body. A chunked body (no
  Content-Length) that the server has de-chunked (`wsgi.input_terminated`: gunicorn, uWSGI, mod_wsgi) is read
  here, up to one byte over the limit, and handed on with its length; one the server has not de-chunked (the
  development server) cannot be read at all and is refused with 411. A Content-Length that is not a number is
  a 400. A Content-Length smaller than the body is all that is read (the server's stream stops there).
- **Methods.** DRF's views answer a method they do not serve with 405 in their own contract. Other views (the
  admin, `/metrics`, static files) answer an unknown method (`TRACE`, `PROPFIND`...) with the same JSON 405,
  and any 405 of theirs that is not JSON is rewritten as one.
"""

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import status
from rest_framework.views import APIView

from common.errors import CommonErrorCode
from common.exceptions import (
    BODY_TOO_LARGE,
    DOCUMENT_001,
    MALFORMED_REQUEST,
    PRODUCT,
    TOO_MANY_FIELDS,
    ErrorContract,
    Problem,
)

#: what the API's views are written for; anything else is refused before a view runs
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LENGTH_REQUIRED = "A request body needs a Content-Length header."
BAD_CONTENT_LENGTH = "The Content-Length header is not a valid length."


def _is_api_view(view_func: Callable[..., Any]) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def view_contract(view_func: Callable[..., Any]) -> ErrorContract:
    """The error contract of the view behind `view_func`, as the exception handler would choose it."""
    if _is_api_view(view_func):
        return getattr(view_func.cls, "error_contract", None) or DOCUMENT_001  # type: ignore[attr-defined]
    return PRODUCT


def refusal(contract: ErrorContract, status_code: int, code: str, detail: str, **headers: str) -> JsonResponse:
    problem = Problem(status_code, code, detail)
    response = JsonResponse(contract.body(problem), status=contract.status(problem), safe=False)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def method_not_allowed(method: str, allow: str | None = None) -> JsonResponse:
    headers = {"Allow": allow} if allow else {}
    detail = f'Method "{method}" not allowed.'
    return refusal(PRODUCT, status.HTTP_405_METHOD_NOT_ALLOWED, CommonErrorCode.METHOD_NOT_ALLOWED, detail, **headers)


class _RefusedBody(io.RawIOBase):
    """The stream of a body over the limit: reading it is `RequestDataTooBig`, whoever reads."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")

    def readline(self, size: int | None = -1) -> bytes:
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == status.HTTP_405_METHOD_NOT_ALLOWED and not _is_json(response):
            return method_not_allowed(request.method or "", response.get("Allow"))
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in KNOWN_METHODS and not _is_api_view(view_func):
            return method_not_allowed(request.method or "")
        return _bound_body(request, view_contract(view_func))


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _bound_body(request: HttpRequest, contract: ErrorContract) -> HttpResponse | None:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.strip():
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return refusal(contract, status.HTTP_400_BAD_REQUEST, CommonErrorCode.BAD_REQUEST, BAD_CONTENT_LENGTH)
        if limit is not None and length > limit:
            request._stream = _RefusedBody()  # type: ignore[assignment]  # a stream that refuses to be read
        return None
    if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return None
    if not request.META.get("wsgi.input_terminated"):
        return refusal(contract, status.HTTP_411_LENGTH_REQUIRED, CommonErrorCode.LENGTH_REQUIRED, LENGTH_REQUIRED)
    body = _read_at_most(request.META["wsgi.input"], None if limit is None else limit + 1)
    request.META["CONTENT_LENGTH"] = str(len(body))
    if limit is not None and len(body) > limit:
        request._stream = _RefusedBody()  # type: ignore[assignment]  # a stream that refuses to be read
    else:
        request._stream = io.BytesIO(body)
    return None


def _read_at_most(stream: Any, size: int | None) -> bytes:
    """The stream's bytes up to `size` (all of them when None): a server's input may answer a read in pieces."""
    chunks: list[bytes] = []
    read = 0
    while size is None or read < size:
        chunk = stream.read(65536 if size is None else min(65536, size - read))
        if not chunk:
            break
        chunks.append(chunk)
        read += len(chunk)
    return b"".join(chunks)


def json_bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django's own 400s, raised outside DRF (a body over the limit or too many fields read by the
    admin's forms, a malformed request), in JSON like every other answer; 413 for a body over the limit."""
    if isinstance(exception, RequestDataTooBig):
        return refusal(
            PRODUCT, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, CommonErrorCode.REQUEST_TOO_LARGE, BODY_TOO_LARGE
        )
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return refusal(PRODUCT, status.HTTP_400_BAD_REQUEST, CommonErrorCode.TOO_MANY_FIELDS, TOO_MANY_FIELDS)
    return refusal(PRODUCT, status.HTTP_400_BAD_REQUEST, CommonErrorCode.BAD_REQUEST, MALFORMED_REQUEST)

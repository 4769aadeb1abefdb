"""HTTP client of the partner's API: httpx for transport, tenacity for retries, a metric for every attempt.

Retried: connection errors, timeouts and 5xx answers. Never retried: 4xx answers and bodies that are not the
protocol's JSON. `POST /create` uses the `_ORDER` timeout, attempt count and sleep; it is repeated only after a
failure the partner told us about (a 5xx) or one that kept the request from leaving (connection refused), and
`find-orders` is asked first. Once `/create` has left and no answer comes back (a timeout, a lost connection, an
answer we cannot read), the outcome is unknown: `PartnerOutcomeUnknown`, never a second `/create`.

Every call has a total deadline (`PARTNERAPI_HTTP_DEADLINE`, `_ORDER` for `/create`) over its attempts, sleeps and
every socket read and write: a partner that answers a byte at a time cannot hold a call past it.
"""

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_fixed,
)

from common.deadline_http import DeadlineTransport, bounded, call_deadline
from partner.conf import PartnerSettings, partner_settings
from partner.metrics import PARTNER_REQUEST_SECONDS, PARTNER_RETRIES

logger = logging.getLogger("partner.client")


class PartnerError(Exception):
    """The partner could not give a usable answer."""


class PartnerUnavailable(PartnerError):
    """Unreachable, timed out or 5xx after every attempt, or no partner URL configured."""


class PartnerOutcomeUnknown(PartnerUnavailable):
    """`/create` was sent and no usable answer came back: the partner may or may not have the order."""


class PartnerBadResponse(PartnerError):
    """A 4xx answer, or a body that is not the protocol's JSON."""


class PartnerRefused(PartnerError):
    """The partner answered `{"status": "error", "errors": ...}`."""

    def __init__(self, errors: Any) -> None:
        super().__init__(f"Partner refused: {errors!r}")
        self.errors = errors


_http_client: httpx.Client | None = None
_http_client_lock = threading.Lock()


def _http() -> httpx.Client:
    """One pooled client per process (building one costs ~0.2 s of TLS setup); timeouts are set per request."""
    global _http_client
    with _http_client_lock:
        if _http_client is None:
            limits = httpx.Limits(max_connections=50, max_keepalive_connections=10)
            _http_client = httpx.Client(transport=DeadlineTransport(limits), limits=limits)
        return _http_client


class _TransientAttemptError(Exception):
    """One attempt failed in a way worth retrying."""


# Failures that keep a request from leaving: /create was not sent, so it may be sent again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class StatusAnswer:
    their_status: str
    items: Any


def _as_id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == "":
        raise PartnerBadResponse(f"Not an order id: {value!r}")
    return str(value)


class PartnerClient:
    def __init__(self, conf: PartnerSettings | None = None) -> None:
        self.conf = conf or partner_settings()

    # --- the protocol -------------------------------------------------------------------------------------
    def find_orders(self, external_id: int) -> list[str]:
        body = self._call("find_orders", "GET", "/find-orders", params={"external_id": str(external_id)})
        try:
            ids = body["data"]["ids"]
        except (KeyError, TypeError) as exc:
            raise PartnerBadResponse("find-orders: no data.ids in the answer") from exc
        if not isinstance(ids, list):
            raise PartnerBadResponse("find-orders: data.ids is not a list")
        return [_as_id(value) for value in ids]

    def create_order(self, *, external_id: int, form: dict[str, Any]) -> str:
        """Place an order; returns their order id. Raises PartnerRefused with the partner's `errors`, and
        PartnerOutcomeUnknown once `/create` was sent without a usable answer (it is then never repeated)."""
        attempts = 0

        def attempt() -> dict[str, Any]:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                found = self.find_orders(external_id)
                if found:
                    return {"status": "ok", "order_id": found[0]}
            return self._attempt(
                "create", "POST", "/create", data=form, timeout=self.conf.http_timeout_order, idempotent=False
            )

        body = self._retrying(
            "create",
            attempt,
            attempts=self.conf.http_retries_count_order,
            sleep=self.conf.http_retries_sleep_order,
            deadline=self.conf.http_deadline_order,
        )
        status = body.get("status")
        if status == "ok":
            try:
                return _as_id(body.get("order_id"))
            except PartnerBadResponse as exc:
                raise PartnerOutcomeUnknown(f"create: {exc}") from exc
        if status == "error":
            raise PartnerRefused(body.get("errors"))
        raise PartnerOutcomeUnknown(f"create: unexpected status {status!r}")

    def order_status(self, their_order_id: str) -> StatusAnswer:
        body = self._call("orders_data", "GET", "/orders-data", params={"order_ids": their_order_id})
        if body.get("status") != "ok":
            raise PartnerBadResponse(f"orders-data: status {body.get('status')!r}, errors {body.get('errors')!r}")
        data = body.get("data")
        entry = data.get(str(their_order_id)) if isinstance(data, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("status"), str):
            raise PartnerBadResponse(f"orders-data: no status for order {their_order_id}")
        return StatusAnswer(their_status=entry["status"], items=entry.get("items"))

    def cancel_order(self, their_order_id: str) -> None:
        body = self._call("cancel", "POST", "/cancel", data={"order_id": their_order_id})
        status = body.get("status")
        if status == "ok":
            return
        if status == "error":
            raise PartnerRefused(body.get("errors"))
        raise PartnerBadResponse(f"cancel: unexpected status {status!r}")

    # --- transport ------------------------------------------------------------------------------------------
    def _call(self, call: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return self._retrying(
            call,
            lambda: self._attempt(call, method, path, timeout=self.conf.http_timeout, **kwargs),
            attempts=self.conf.http_retries_count,
            sleep=self.conf.http_retries_sleep,
            deadline=self.conf.http_deadline,
        )

    def _retrying(
        self, call: str, attempt: Callable[[], dict[str, Any]], *, attempts: int, sleep: float, deadline: float
    ) -> dict[str, Any]:
        if not self.conf.url:
            raise PartnerUnavailable("PARTNERAPI_URL is not set")
        with call_deadline(deadline) as ends_at:
            return self._retrying_until(call, attempt, attempts=attempts, sleep=sleep, ends_at=ends_at)

    def _retrying_until(
        self, call: str, attempt: Callable[[], dict[str, Any]], *, attempts: int, sleep: float, ends_at: float
    ) -> dict[str, Any]:

        def count_retry(state: RetryCallState) -> None:
            PARTNER_RETRIES.labels(call).inc()
            logger.warning("Partner %s: attempt %s failed, retrying", call, state.attempt_number)

        retrying = Retrying(
            # no attempt starts that could not end by the deadline (its sleep included)
            stop=stop_after_attempt(attempts) | stop_before_delay(max(0.0, ends_at - time.monotonic())),
            wait=wait_fixed(sleep),
            retry=retry_if_exception_type(_TransientAttemptError),
            before_sleep=count_retry,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _TransientAttemptError as exc:
            raise PartnerUnavailable(str(exc)) from exc

    def _attempt(
        self,
        call: str,
        method: str,
        path: str,
        *,
        timeout: float,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        idempotent: bool = True,
    ) -> dict[str, Any]:
        """One request, within the per-attempt timeout and what is left of the call's deadline.

        A non-idempotent request (`/create`) that failed after it may have left raises PartnerOutcomeUnknown."""
        started = time.monotonic()
        outcome = "ok"
        try:
            try:
                remaining = bounded(timeout, httpx.PoolTimeout)
                response = _http().request(
                    method, f"{self.conf.url}{path}", params=params, data=data, timeout=remaining
                )
            except httpx.TransportError as exc:
                timed_out = isinstance(exc, httpx.TimeoutException)
                outcome = "timeout" if timed_out else "connect_error"
                what = f"timed out (attempt timeout {timeout}s or the call's deadline)" if timed_out else f"{exc!r}"
                if not idempotent and not isinstance(exc, _NOT_SENT):
                    raise PartnerOutcomeUnknown(f"{call}: sent, no answer: {what}") from exc
                raise _TransientAttemptError(f"{call}: {what}") from exc
            if response.status_code >= 500:
                outcome = "http_5xx"
                raise _TransientAttemptError(f"{call}: HTTP {response.status_code}")
            if response.status_code >= 400:
                outcome = "http_4xx"
                raise PartnerBadResponse(f"{call}: HTTP {response.status_code}")
            unreadable = PartnerBadResponse if idempotent else PartnerOutcomeUnknown
            try:
                body = response.json()
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                outcome = "bad_response"
                raise unreadable(f"{call}: the answer is not JSON") from exc
            if not isinstance(body, dict):
                outcome = "bad_response"
                raise unreadable(f"{call}: the answer is not a JSON object")
            return body
        finally:
            PARTNER_REQUEST_SECONDS.labels(call, outcome).observe(time.monotonic() - started)

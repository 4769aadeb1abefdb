"""A fake of the partner's HTTP API (document 004's protocol) for development and tests.

A real HTTP server: stock with prices and quantities, orders whose status moves on each time it is read,
cancellation allowed only early. Tests configure it to misbehave per path: answer 5xx N times, answer garbage,
delay the answer (after doing the work, as a slow partner does), or work slowly (the work is done, and shows in
find-orders, only after a while, and the answer follows it).
"""

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

STATUS_FLOW = ["created", "accepted", "delivery", "in_shop", "done"]
CANCELLABLE = {"created", "accepted"}


@dataclass
class StockItem:
    price: Decimal | None  # reservation price
    preorder_price: Decimal | None
    quantity: int


def default_stock() -> dict[str, StockItem]:
    return {
        "58": StockItem(Decimal("10"), Decimal("9.50"), 1000),
        "21737": StockItem(Decimal("10"), None, 500),
        "455": StockItem(Decimal("455.23"), Decimal("430.00"), 5),
        "700": StockItem(None, Decimal("120.00"), 100),  # pre-order only
        "800": StockItem(Decimal("0"), None, 100),  # listed, not sold
    }


def _fmt(price: Decimal | None) -> str:
    return "NONE" if price is None else f"{price:.2f}"


@dataclass
class FakePartner:
    stock: dict[str, StockItem] = field(default_factory=default_stock)
    advance_on_read: bool = True
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 5001
    _faults: dict[str, list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    _delays: dict[str, float] = field(default_factory=dict)
    _work_delays: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    #: called with one readable line per request (run_fake_partner prints them); tests leave it unset
    log: Callable[[str], None] | None = None

    # --- test controls --------------------------------------------------------------------------------------
    def fail(self, path: str, times: int = 1, status: int = 500) -> None:
        """The next `times` requests to `path` answer HTTP `status` without doing anything."""
        with self._lock:
            self._faults[path].extend([("status", status)] * times)

    def garbage(self, path: str, times: int = 1) -> None:
        """The next `times` requests to `path` answer 200 with a body that is not JSON."""
        with self._lock:
            self._faults[path].extend([("garbage", 200)] * times)

    def answer(self, path: str, body: dict[str, Any], times: int = 1) -> None:
        """The next `times` requests to `path` answer 200 with this JSON body without doing anything."""
        with self._lock:
            self._faults[path].extend([("json", body)] * times)

    def delay(self, path: str, seconds: float) -> None:
        """Requests to `path` do their work, then wait `seconds` before answering."""
        with self._lock:
            self._delays[path] = seconds

    def work_slowly(self, path: str, seconds: float) -> None:
        """Requests to `path` wait `seconds` before doing their work (then answer at once): a partner that takes
        a while to create an order, which `find-orders` does not show meanwhile."""
        with self._lock:
            self._work_delays[path] = seconds

    def orders_for(self, external_id: int | str) -> list[str]:
        """The partner's order ids for one of our order ids."""
        with self._lock:
            return [their_id for their_id, order in self.orders.items() if order["external_id"] == str(external_id)]

    def set_status(self, their_order_id: str, status: str) -> None:
        with self._lock:
            self.orders[str(their_order_id)]["status"] = status

    def calls(self, path: str) -> int:
        with self._lock:
            return sum(1 for _, p in self.requests if p == path)

    # --- server ---------------------------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        partner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                partner._handle(self, "GET")

            def do_POST(self) -> None:
                partner._handle(self, "POST")

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-partner", daemon=True
        ).start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"

    def serve_forever(self, host: str, port: int) -> None:
        self.start(host, port)
        threading.Event().wait()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- protocol -------------------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        path = parts.path
        query = parse_qs(parts.query)
        form: dict[str, list[str]] = {}
        if method == "POST":
            length = int(handler.headers.get("Content-Length") or 0)
            form = parse_qs(handler.rfile.read(length).decode(), keep_blank_values=True)
        with self._lock:
            self.requests.append((method, path))
            fault = self._faults[path].pop(0) if self._faults.get(path) else None
            delay = self._delays.get(path, 0.0)
            work_delay = self._work_delays.get(path, 0.0)
        if fault is not None:
            kind, value = fault
            if kind == "json":
                self._send(handler, 200, json.dumps(value).encode())
            elif kind == "status":
                self._send(handler, value, b"<html>Bad gateway</html>", "text/html")
            else:
                self._send(handler, 200, b"<html>not json at all", "text/html")
            self._log(method, handler.path, form, f"{value if kind == 'status' else 200} (fault: {kind})")
            return
        routes = {
            ("GET", "/find-orders"): lambda: self._find_orders(query),
            ("POST", "/create"): lambda: self._create(form),
            ("GET", "/orders-data"): lambda: self._orders_data(query),
            ("POST", "/cancel"): lambda: self._cancel(form),
        }
        route = routes.get((method, path))
        if route is None:
            self._send(handler, 404, b'{"status": "error", "errors": ["not found"]}')
            self._log(method, handler.path, form, "404 not found")
            return
        if work_delay:
            time.sleep(work_delay)
        with self._lock:
            answer = route()
        if delay:
            time.sleep(delay)
        self._send(handler, 200, json.dumps(answer).encode())
        self._log(method, handler.path, form, f"200 {json.dumps(answer, ensure_ascii=False)}")

    def _log(self, method: str, target: str, form: dict[str, list[str]], outcome: str) -> None:
        """One line per request: what was asked (the form's fields, compactly) and what was answered."""
        if self.log is None:
            return
        fields = " ".join(f"{key}={values[0] if len(values) == 1 else values}" for key, values in form.items())
        line = f"{time.strftime('%H:%M:%S')} {method} {target}{' ' + fields if fields else ''} -> {outcome}"
        self.log(line if len(line) <= 240 else line[:237] + "...")

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "application/json"
    ) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _find_orders(self, query: dict[str, list[str]]) -> dict[str, Any]:
        external_id = (query.get("external_id") or [""])[0]
        ids = [int(their_id) for their_id, order in self.orders.items() if order["external_id"] == external_id]
        return {"data": {"ids": ids}}

    def _create(self, form: dict[str, list[str]]) -> dict[str, Any]:
        ids, quantities, prices = form.get("ids[]", []), form.get("quantity[]", []), form.get("prices[]", [])
        if not ids or not (len(ids) == len(quantities) == len(prices)):
            return {"status": "error", "errors": {"items": ["ids[], quantity[] and prices[] must match"]}}
        errors: dict[str, list[str]] = {}
        for their_id, raw_quantity, raw_price in zip(ids, quantities, prices, strict=True):
            item = self.stock.get(their_id)
            if item is None:
                errors.setdefault(their_id, []).append("Item not found")
                continue
            try:
                quantity, price = int(raw_quantity), Decimal(raw_price)
            except (ValueError, InvalidOperation):
                errors.setdefault(their_id, []).append("Wrong quantity")
                continue
            if quantity <= 0 or quantity > item.quantity:
                errors.setdefault(their_id, []).append("Wrong quantity")
            if price not in {p for p in (item.price, item.preorder_price) if p}:
                errors.setdefault(their_id, []).append(
                    f"Wrong price: current price is {_fmt(item.price)} or {_fmt(item.preorder_price)}"
                )
        if errors:
            return {"status": "error", "errors": {"items": errors}}
        their_order_id = str(self.next_id)
        self.next_id += 1
        for their_id, raw_quantity in zip(ids, quantities, strict=True):
            self.stock[their_id].quantity -= int(raw_quantity)
        self.orders[their_order_id] = {
            "external_id": (form.get("external_id") or [""])[0],
            "shop_id": (form.get("shop_id") or [""])[0],
            "status": "created",
            "items": [
                {"id": their_id, "quantity": int(q), "price": p}
                for their_id, q, p in zip(ids, quantities, prices, strict=True)
            ],
        }
        return {"status": "ok", "order_id": int(their_order_id)}

    def _orders_data(self, query: dict[str, list[str]]) -> dict[str, Any]:
        data = {}
        for their_order_id in (query.get("order_ids") or [""])[0].split(","):
            order = self.orders.get(their_order_id)
            if order is None:
                continue
            data[their_order_id] = {"status": order["status"], "items": order["items"]}
            if self.advance_on_read and order["status"] in STATUS_FLOW[:-1]:
                order["status"] = STATUS_FLOW[STATUS_FLOW.index(order["status"]) + 1]
        return {"status": "ok", "data": data}

    def _cancel(self, form: dict[str, list[str]]) -> dict[str, Any]:
        order = self.orders.get((form.get("order_id") or [""])[0])
        if order is None:
            return {"status": "error", "errors": ["order not found"]}
        if order["status"] not in CANCELLABLE:
            return {"status": "error", "errors": ["cancellation not allowed"]}
        order["status"] = "cancelled"
        return {"status": "ok"}

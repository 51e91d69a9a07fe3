"""A tiny stand-in storefront: a few HTML pages plus the control API's JSON endpoints.

It lets the flow framework be tested without the real storefront: pages are plain
strings (or functions of the shop, for pages that show state), and every control
call is recorded so a test can assert on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.local_http import serve_in_thread

Page = str | Callable[["FakeShop"], str]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font: 16px sans-serif; margin: 0; padding: 16px; background: #fff; }}</style>
</head><body>{body}</body></html>"""


def html(title: str, body: str) -> str:
    return PAGE.format(title=title, body=body)


@dataclass
class FakeShop:
    """Pages by path, a count of scenarios made, and the control calls received."""

    pages: dict[str, Page] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    scenarios: int = 0
    status: str = "Awaiting shipment"
    url: str = ""

    def scenario(self, name: str) -> dict[str, Any]:
        self.scenarios += 1
        return {
            "token": f"tok{self.scenarios}",
            "name": name,
            "buyer_email": f"buyer{self.scenarios}@example.com",
            "buyer_password": "practice-1234",
            "seller_email": f"seller{self.scenarios}@example.com",
            "seller_password": "seller-1234",
            "buyer_sign_in_url": "/trainer/sign-in/buyer",
            "seller_sign_in_url": "/trainer/sign-in/seller",
            "now": "2026-03-02T09:00:00",
            "orders": [
                {"number": "1001", "status": self.status},
                {"number": "1002", "status": "Awaiting payment"},
            ],
        }

    def order_state(self, number: str) -> dict[str, Any]:
        """An order as the control API describes it (``flowspec.contract.control``)."""
        return {"number": number, "status": self.status, "payment_method": "bank_card",
                "paid_cents": 0, "items": [], "cancellation": None, "messages": [],
                "refunds": [], "coupons": []}


def _handler(shop: FakeShop) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def reply(self, status: int, body: str, kind: str = "application/json") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/api/scenarios":
                return self.reply(200, json.dumps([{"name": "demo"}]))
            page = shop.pages.get(path)
            if page is None:
                return self.reply(404, html("Not found", "<h1>Not found</h1>"), "text/html")
            return self.reply(200, page(shop) if callable(page) else page, "text/html")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path == "/api/scenarios":
                if body.get("name") == "missing":
                    return self.reply(404, json.dumps({"detail": "unknown scenario"}))
                return self.reply(200, json.dumps(shop.scenario(body["name"])))
            if match := re.fullmatch(r"/api/scenarios/(\w+)/clock", self.path):
                shop.calls.append(("clock", {"token": match[1], **body}))
                later = {"token": match[1], "name": "demo", "now": "2026-03-03T09:00:00"}
                return self.reply(200, json.dumps({**later, "orders": [], "lapsed": []}))
            if match := re.fullmatch(r"/api/scenarios/(\w+)/orders/(\w+)/seller", self.path):
                shop.calls.append(("seller", {"token": match[1], "order": match[2], **body}))
                if body.get("action") == "cancel":
                    shop.status = "Closed"
                return self.reply(200, json.dumps(shop.order_state(match[2])))
            return self.reply(404, json.dumps({"detail": "no such endpoint"}))

    return Handler


class running:
    """``with running(shop) as shop:`` serves ``shop`` on a free local port."""

    def __init__(self, shop: FakeShop) -> None:
        self.shop = shop
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(shop))

    def __enter__(self) -> FakeShop:
        self.thread = serve_in_thread(self.server)
        self.shop.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.shop

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

"""Every storefront page type as bytes, saved or compared: a speed change must not change
what a page says (the recordings are screenshots of these pages).

``python -m bench.page_bytes save FOLDER`` · ``python -m bench.page_bytes compare FOLDER`` ·
``python -m bench.page_bytes --quick`` (saved into a temporary folder)

A fresh storefront on a temporary SQLite database (the demo account, seeded as on first
start); signed in as the demo buyer, then as the demo seller, it fetches My Orders with
each tab, every order's details, finances, cancel form and messages, the coupon wallet,
the sign-in pages, a 404, the seller's console and orders, and the trainer's pages. The
random parts (the session's CSRF token, each form's submission key) are replaced by a
fixed word before saving; everything else must match byte for byte.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from domain import scenarios
from domain.statuses import ORDER_TABS
from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.sign_in import sign_in

RANDOM_VALUES = re.compile(r'(name="(?:csrf_token|submission)" value=")[^"]*(")')


def _normalised(body: bytes) -> bytes:
    return RANDOM_VALUES.sub(r"\1RANDOM\2", body.decode("utf-8")).encode("utf-8")


def pages() -> dict[str, bytes]:
    """Every page type, keyed by a file name that says which page it is."""
    found: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="page-bytes-") as folder:
        app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'shop.db'}"))

        def keep(client: TestClient, name: str, path: str) -> str:
            answer = client.get(path, follow_redirects=False)
            found[f"{name}.{answer.status_code}.html"] = _normalised(answer.content)
            return answer.text

        with TestClient(app, base_url="http://127.0.0.1") as buyer:
            keep(buyer, "buyer-login", "/login")
            sign_in(buyer, "buyer", scenarios.DEMO_BUYER_EMAIL)
            orders = keep(buyer, "orders", "/orders")
            for tab in ORDER_TABS:
                keep(buyer, f"orders-tab-{tab.replace(' ', '_')}", f"/orders?tab={tab}")
            numbers = sorted(set(re.findall(r'href="/orders/([0-9A-Za-z-]+)"', orders)))
            for number in numbers:
                for suffix in ("", "/finances", "/cancel", "/messages"):
                    keep(buyer, f"order-{number}{suffix.replace('/', '-')}",
                         f"/orders/{number}{suffix}")
            keep(buyer, "coupons", "/coupons")
            keep(buyer, "order-missing", "/orders/NO-SUCH-ORDER")
            keep(buyer, "page-missing", "/no-such-page")
        with TestClient(app, base_url="http://127.0.0.1") as seller:
            keep(seller, "seller-login", "/seller/login")
            sign_in(seller, "seller", scenarios.DEMO_SELLER_EMAIL)
            console = keep(seller, "seller-console", "/seller")
            for number in sorted(set(re.findall(r'href="/seller/orders/([0-9A-Za-z-]+)"',
                                                console))):
                keep(seller, f"seller-order-{number}", f"/seller/orders/{number}")
        with TestClient(app, base_url="http://127.0.0.1") as trainer:
            keep(trainer, "trainer", "/trainer")
            keep(trainer, "trainer-demo", f"/trainer/{scenarios.DEMO_TOKEN}")
        app.state.db.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_bytes", description=__doc__)
    parser.add_argument("action", choices=("save", "compare"), nargs="?")
    parser.add_argument("folder", type=Path, nargs="?", help="not needed with --quick")
    parser.add_argument("--quick", action="store_true",
                        help="save into a temporary folder: what the quick-run test runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.action, args.folder = "save", Path(tempfile.mkdtemp(prefix="bench-quick-"))
    elif args.action is None or args.folder is None:
        parser.error("give save or compare, and the folder")
    now = pages()
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        for name, body in now.items():
            (args.folder / name).write_bytes(body)
        print(f"saved {len(now)} pages in {args.folder}")
        return 0
    before = {path.name: path.read_bytes() for path in args.folder.glob("*.html")}
    differ = sorted(name for name in before.keys() & now.keys() if before[name] != now[name])
    missing = sorted(before.keys() - now.keys())
    new = sorted(now.keys() - before.keys())
    for label, names in (("differ", differ), ("missing now", missing), ("new", new)):
        for name in names:
            print(f"{label}: {name}")
    same = len(before.keys() & now.keys()) - len(differ)
    print(f"{same} of {len(before)} pages byte-identical")
    return 1 if differ or missing or new else 0


if __name__ == "__main__":
    sys.exit(main())

"""CPU time per request of My Orders and an order's details, in process, no profiler.

``python -m bench.storefront_cpu [--rounds N] [--quick]``

CPU (process) time is steadier than wall-clock time on a shared machine, so two commits
can be compared side by side while other work runs: run this in each checkout, one after
the other, twice, and compare the minima. The storefront runs in this process on a
temporary SQLite database; sync endpoints run inline (no thread hand-off) and requests
go through httpx's ASGI transport, signed in as the demo buyer. ``static 404`` is a
request that renders only the error page: the framework's and the template's share.
Prints its figures; writes no results file (the minima are read side by side).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
from pathlib import Path
from time import process_time

import fastapi.routing
import httpx
import starlette.concurrency

from bench.support.common import add_quick_option
from bench.support.request_profile import run_inline
from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.sign_in import demo_buyer_form


async def measure(rounds: int, repeats: int) -> dict[str, list[float]]:
    for module in (starlette.concurrency, fastapi.routing):
        module.run_in_threadpool = run_inline
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as folder:
        app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'shop.db'}"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            form = (await client.get("/login")).text
            await client.post("/login", data=demo_buyer_form(form))
            numbers = re.findall(r'href="/orders/([0-9A-Za-z-]+)"',
                                 (await client.get("/orders")).text)
            paths = {"My Orders": "/orders", "order details": f"/orders/{numbers[-1]}",
                     "static 404": "/static/nothing"}

            async def get(label: str) -> None:
                await client.get(paths[label])

            found: dict[str, list[float]] = {label: [] for label in paths}
            for _ in range(repeats):
                for label in paths:
                    for _ in range(20):
                        await get(label)
                    started = process_time()
                    for _ in range(rounds):
                        await get(label)
                    found[label].append(1000 * (process_time() - started) / rounds)
        app.state.db.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.storefront_cpu", description=__doc__)
    parser.add_argument("--rounds", type=int, default=150)
    add_quick_option(parser)
    args = parser.parse_args(argv)
    rounds, repeats = (10, 1) if args.quick else (args.rounds, 3)
    for label, values in asyncio.run(measure(rounds, repeats)).items():
        print(f"{label:<24} {min(values):5.2f} ms CPU per request (min of "
              f"{', '.join(f'{v:.2f}' for v in values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""CPU time per request of My Orders and an order's details, in process, no profiler.

``python -m bench.storefront_cpu [--rounds N]``

CPU (process) time is steadier than wall-clock time on a shared machine, so two commits
can be compared side by side while other work runs: run this in each checkout, one after
the other, twice, and compare the minima. The storefront runs in this process on a
temporary SQLite database; sync endpoints run inline (no thread hand-off) and requests
go through httpx's ASGI transport, signed in as the demo buyer. ``static 404`` is a
request that renders only the error page: the framework's and the template's share.
A page measured plainly is sent from the render cache after its first view (nothing here
writes); ``, rendered`` empties the cache before each request, so the page is rendered
every time, as the first view after a change of its data is.
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

from bench.common import demo_sign_in_form
from mock_site.settings import Settings
from mock_site.web.app import create_app


async def _inline(call, /, *args, **kwargs):
    return call(*args, **kwargs)


async def measure(rounds: int, repeats: int = 3) -> dict[str, list[float]]:
    for module in (starlette.concurrency, fastapi.routing):
        module.run_in_threadpool = _inline
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as folder:
        app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'shop.db'}"))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            form = (await client.get("/login")).text
            await client.post("/login", data=demo_sign_in_form(form))
            numbers = re.findall(r'href="/orders/([0-9A-Za-z-]+)"',
                                 (await client.get("/orders")).text)
            paths = {"My Orders": "/orders", "order details": f"/orders/{numbers[-1]}",
                     "static 404": "/static/nothing",
                     "My Orders, rendered": "/orders",
                     "order details, rendered": f"/orders/{numbers[-1]}"}
            cache = getattr(app.state, "page_cache", None)

            async def get(label: str) -> None:
                if cache is not None and label.endswith(", rendered"):
                    cache.clear()
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
    args = parser.parse_args(argv)
    for label, values in asyncio.run(measure(args.rounds)).items():
        print(f"{label:<24} {min(values):5.2f} ms CPU per request (min of "
              f"{', '.join(f'{v:.2f}' for v in values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

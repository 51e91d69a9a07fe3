"""Where one storefront request's CPU goes, in process (``bench.storefront_load`` uses it):
the demo buyer's My Orders and first order's details, each rendered as every request is."""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import re
from collections import defaultdict
from time import process_time
from typing import Any

import fastapi.routing
import httpx
import starlette.concurrency
from sqlalchemy import event
from sqlalchemy.orm import strategies

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.sign_in import demo_buyer_form

AREAS = (
    ("templates", ("/templates/",)),
    ("jinja2", ("/jinja2/", "/markupsafe/")),
    ("sqlalchemy", ("/sqlalchemy/",)),
    ("sqlite3 / driver", ("sqlite3", "psycopg")),
    ("starlette", ("/starlette/",)),
    ("fastapi", ("/fastapi/",)),
    ("pydantic", ("/pydantic", "pydantic_core")),
    ("session cookie (itsdangerous, json, base64)", ("/itsdangerous/", "/json/", "base64")),
    ("asyncio / anyio", ("/asyncio/", "/anyio/")),
    ("storefront code", ("/mock_site/",)),
    ("test client (httpx)", ("/httpx/", "/h11/")),
)


def _area(filename: str, function: str) -> str:
    where = filename if filename != "~" else function
    for area, needles in AREAS:
        if any(needle in where for needle in needles):
            return area
    return "other (builtins, stdlib)"


async def run_inline(call, /, *args, **kwargs):
    """In place of ``run_in_threadpool``: a sync endpoint runs in the caller's thread."""
    return call(*args, **kwargs)


def profile_pages(database_url: str, rounds: int = 300) -> dict[str, Any]:
    """CPU per request and where it goes, in process and in one thread, no concurrency:
    ``{"my_orders": {...}, "order_details": {...}}``.

    FastAPI runs sync endpoints in a worker thread, out of cProfile's sight; here they
    run inline (the thread hand-off patched out) and requests go through httpx's ASGI
    transport, so every function a request calls is profiled. The figures also count
    SQL statements and lazy relationship loads per request.
    """
    patched = [(module, module.run_in_threadpool) for module in (starlette.concurrency,
                                                                fastapi.routing)]
    for module, _ in patched:
        module.run_in_threadpool = run_inline
    counts = {"sql": 0, "lazy": 0}
    loader = getattr(strategies, "LazyLoader", None) or strategies._LazyLoader  # 2.0 / 2.1
    emit_lazyload = loader._emit_lazyload

    def counted_lazyload(self, *args, **kwargs):
        counts["lazy"] += 1
        return emit_lazyload(self, *args, **kwargs)

    loader._emit_lazyload = counted_lazyload
    try:
        app = create_app(Settings(database_url=database_url))
        event.listen(app.state.db.engine, "before_cursor_execute",
                     lambda *_: counts.__setitem__("sql", counts["sql"] + 1))
        found = asyncio.run(_measure(app, rounds, counts))
        app.state.db.dispose()
    finally:
        for module, original in patched:
            module.run_in_threadpool = original
        loader._emit_lazyload = emit_lazyload
    return found


async def _measure(app, rounds: int, counts: dict) -> dict[str, Any]:
    found: dict[str, Any] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        form = (await client.get("/login")).text
        await client.post("/login", data=demo_buyer_form(form))
        orders = (await client.get("/orders")).text
        number = re.findall(r'href="/orders/([0-9A-Za-z-]+)"', orders)[0]
        for label, path in (("my_orders", "/orders"), ("order_details", f"/orders/{number}")):
            for _ in range(20):
                await client.get(path)
            counts.update(sql=0, lazy=0)
            await client.get(path)
            per_request = dict(counts)
            started = process_time()  # CPU time: steadier than wall on a busy machine
            for _ in range(rounds):
                await client.get(path)
            cpu_ms = 1000 * (process_time() - started) / rounds
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(rounds):
                await client.get(path)
            profiler.disable()
            found[label] = {
                "cpu_ms_per_request": round(cpu_ms, 2),
                "sql_statements_per_request": per_request["sql"],
                "lazy_loads_per_request": per_request["lazy"],
                "share_of_cpu_by_area_percent": _shares(pstats.Stats(profiler)),
            }
    return found


def _shares(stats: pstats.Stats) -> dict[str, float]:
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        by_area[_area(filename, function)] += row[2]
    total = sum(by_area.values())
    return {area: round(100 * seconds / total, 1)
            for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1])
            if 100 * seconds / total >= 1}

"""Requests per second and latency of the storefront's busiest pages under 50 users.

``python -m bench.storefront_load [--duration S] [--connections N] [--think-ms MS]
[--database URL] [--workers N]``

Starts the storefront on a free loopback port with a temporary SQLite database (the demo
account is seeded on first start), signs in as the demo buyer, and drives My Orders and
one order's details page with ``wrk`` (Debian package ``wrk``; a Lua script sends the
session cookie), 50 connections for a fixed time each: first with no pause between
requests (every connection as fast as it can), then as 50 users who pause about a second
between clicks; every view after the first is sent from the render cache (nothing
writes). Then the same pages rendered on every request (the render cache off). Beside
them, a bare FastAPI page served the same way (uvicorn, same host,
same log level, one worker, a sync endpoint like the storefront's) answering a constant
body of the same size as My Orders. Prints requests/s, p50/p99 latency and ratios;
target p99 < 25 ms at 50 users.

Then, in process and one request at a time, each page is requested a few hundred times,
kept and rendered, under cProfile to show where a request's CPU goes, with its SQL
statements and lazy loads (``bench.request_profile``).

Load goes to 127.0.0.1 only, and every wrk run stops by itself after ``--duration``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from bench.common import Figure, demo_sign_in_form, package_version, ratio, write_results
from bench.request_profile import MODES, profile_pages
from flows.run.live_server import free_port, serve, storefront_command
from mock_site.settings import Settings
from mock_site.web.app import worker_threads

NAME = "storefront_load"
CACHE_SETTING = "SHOP_PAGE_CACHE_ENTRIES"
TARGET_P99_MS = 25.0
SESSION_COOKIE = "shop_session"
HOST = "127.0.0.1"

# wrk's Lua hooks: the cookie goes on every request; done() prints one JSON line.
WRK_SCRIPT = """
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
if think > 0 then
  -- a person reads the page before the next click: 0.5 to 1.5 times the think time
  delay = function() return math.random(math.floor(think / 2), math.floor(think * 3 / 2)) end
end
done = function(summary, latency, requests)
  io.write("BENCH_JSON ")
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "errors_connect": %d, ' ..
    '"errors_read": %d, "errors_write": %d, "errors_status": %d, "errors_timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
"""

# The bare page: FastAPI + uvicorn exactly as ``python -m mock_site`` runs them (uvicorn's
# defaults, so uvloop and httptools when installed; startup objects frozen out of the GC).
BARE_APP = """
import gc
import sys

import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

size = int(sys.argv[2])
BODY = ("<!doctype html><title>bare</title><p>" + "x" * size)[:size]
app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/page")
def page() -> HTMLResponse:
    return HTMLResponse(BODY)


@app.get("/api/scenarios")
def probe() -> dict:
    return {}


gc.collect()
gc.freeze()
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def sign_in(base_url: str) -> tuple[str, str, int]:
    """The demo buyer's session cookie, an order number, and the size of My Orders."""
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=10) as client:
        answer = client.post("/login", data=demo_sign_in_form(client.get("/login").text))
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in answered {answer.status_code}")
        cookie = client.cookies.get(SESSION_COOKIE)
        orders = client.get("/orders")
        numbers = re.findall(r'href="/orders/([0-9A-Za-z-]+)"', orders.text)
        if orders.status_code != 200 or not numbers:
            raise RuntimeError(f"My Orders answered {orders.status_code} with no order links")
        detail = client.get(f"/orders/{numbers[0]}")
        if detail.status_code != 200:
            raise RuntimeError(f"order details answered {detail.status_code}")
        return f"{SESSION_COOKIE}={cookie}", numbers[0], len(orders.content)


def run_wrk(url: str, cookie: str, script: Path, *, connections: int, duration: int,
            threads: int, think_ms: int = 0) -> dict[str, Any]:
    """One bounded wrk run; its figures from the script's JSON line.

    Without ``think_ms`` every connection sends its next request as soon as the answer
    arrives (closed loop: latency ≈ connections / throughput). With it, each connection
    waits that long on average between answer and next request, like a person reading.
    """
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
               "-s", str(script), url]
    env = {"BENCH_COOKIE": cookie, "BENCH_THINK_MS": str(think_ms), "PATH": "/usr/bin:/bin"}
    output = subprocess.run(command, capture_output=True, text=True, env=env,
                            timeout=duration + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = figures["duration_us"] / 1e6
    errors = sum(v for k, v in figures.items() if k.startswith("errors_"))
    return {
        "requests_per_s": round(figures["requests"] / seconds, 1),
        "p50_ms": figures["p50_us"] / 1000,
        "p90_ms": figures["p90_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        "mean_ms": round(figures["mean_us"] / 1000, 2),
        "requests": figures["requests"],
        "errors": errors,
        "raw": figures,
    }


def uvicorn_loop() -> str:
    """Which event loop and HTTP parser uvicorn picks by default here."""
    loop = "uvloop" if package_version("uvloop") else "asyncio"
    http = "httptools" if package_version("httptools") else "h11"
    return f"{loop} + {http}"


def check_still_signed_in(url: str, cookie: str) -> None:
    answer = httpx.get(url, headers={"Cookie": cookie}, follow_redirects=False, timeout=10)
    if answer.status_code != 200:
        raise RuntimeError(f"{url} answered {answer.status_code} after the load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.storefront_load", description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--think-ms", type=int, default=1000,
                        help="mean pause between a user's requests in the second series "
                        "(default 1000; 0 skips it)")
    parser.add_argument("--database", help="storefront database URL (default: a temporary "
                        "SQLite file), e.g. a PostgreSQL one (docs/postgresql.md)")
    parser.add_argument("--workers", type=int, default=1,
                        help="storefront processes (python -m mock_site --workers N; default 1)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    started_at = datetime.now(UTC).replace(microsecond=0)
    options = {"connections": args.connections, "duration": args.duration,
               "threads": args.threads}
    results: dict[str, dict[str, Any]] = {}

    def show(label: str) -> None:
        r = results[label]
        print(f"  {label:<22} {r['requests_per_s']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  "
              f"p99 {r['p99_ms']:7.1f} ms  errors {r['errors']}", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        folder = Path(scratch)
        script = folder / "session.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        bare_app = folder / "bare_app.py"
        bare_app.write_text(textwrap.dedent(BARE_APP), encoding="utf-8")
        database = args.database or f"sqlite:///{folder / 'shop.db'}"

        port = free_port()
        server = storefront_command(port, database) + ["--workers", str(args.workers)]
        with serve(server, f"http://{HOST}:{port}") as base_url:
            cookie, number, page_size = sign_in(base_url)
            pages = {"my_orders": "/orders", "order_details": f"/orders/{number}"}
            for label, path in pages.items():
                url = base_url + path
                run_wrk(url, cookie, script, **{**options, "duration": 2})  # warm-up
                results[label] = run_wrk(url, cookie, script, **options)
                check_still_signed_in(url, cookie)
                show(label)
                if args.think_ms:
                    results[f"{label}_think"] = run_wrk(url, cookie, script, **options,
                                                        think_ms=args.think_ms)
                    show(f"{label}_think")
        # The same pages rendered on every request: the full stack, as the first view of a
        # page after its data changed (or with the render cache off) costs.
        port = free_port()
        server = storefront_command(port, database) + ["--workers", str(args.workers)]
        with serve(server, f"http://{HOST}:{port}", env={CACHE_SETTING: "0"}) as base_url:
            for label, path in pages.items():
                url = base_url + path
                run_wrk(url, cookie, script, **{**options, "duration": 2})
                results[f"{label}_rendered"] = run_wrk(url, cookie, script, **options)
                check_still_signed_in(url, cookie)
                show(f"{label}_rendered")

        port = free_port()
        command = [sys.executable, str(bare_app), str(port), str(page_size)]
        with serve(command, f"http://{HOST}:{port}") as base_url:
            url = base_url + "/page"
            run_wrk(url, "", script, **{**options, "duration": 2})
            results["bare_fastapi"] = run_wrk(url, "", script, **options)
            show("bare_fastapi")
            if args.think_ms:
                results["bare_fastapi_think"] = run_wrk(url, "", script, **options,
                                                        think_ms=args.think_ms)
                show("bare_fastapi_think")

        print("profiling each page in process …", flush=True)
        profile = profile_pages(
            {"my_orders": "/orders", "order_details": f"/orders/{number}"},
            args.database or f"sqlite:///{folder / 'profile.db'}",
        )

    bare = results["bare_fastapi"]
    target = f"< {TARGET_P99_MS:g} ms"
    figures = []
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details"),
                         ("bare_fastapi", "bare FastAPI page")):
        r = results[label]
        judged = label != "bare_fastapi"
        figures += [
            Figure(f"{title}: requests/s ({args.connections} connections, no pause)",
                   r["requests_per_s"], "req/s"),
            Figure(f"{title}: p50 latency", r["p50_ms"], "ms"),
            Figure(f"{title}: p99 latency", r["p99_ms"], "ms",
                   target if judged else "", r["p99_ms"] < TARGET_P99_MS if judged else None),
            Figure(f"{title}: socket errors / timeouts / non-2xx", r["errors"]),
        ]
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details")):
        figures += [
            Figure(f"{title} / bare: throughput", round(ratio(results[label]["requests_per_s"],
                                                              bare["requests_per_s"]), 3),
                   target="≥ 0.3", met=ratio(results[label]["requests_per_s"],
                                             bare["requests_per_s"]) >= 0.3),
            Figure(f"{title} / bare: p99", round(ratio(results[label]["p99_ms"],
                                                       bare["p99_ms"]), 1)),
        ]
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details")):
        r = results[f"{label}_rendered"]
        figures.append(Figure(
            f"{title}, rendered on every request ({CACHE_SETTING}=0): req/s · p50 · p99 · "
            "/ bare", f"{r['requests_per_s']:.0f} req/s · {r['p50_ms']:.1f} ms · "
            f"{r['p99_ms']:.1f} ms · {ratio(r['requests_per_s'], bare['requests_per_s']):.3f}"))
    if args.think_ms:
        for label, title in (("my_orders", "My Orders"), ("order_details", "order details"),
                             ("bare_fastapi", "bare FastAPI page")):
            r = results[f"{label}_think"]
            judged = label != "bare_fastapi"
            figures.append(Figure(
                f"{title}, {args.connections} users pausing ~{args.think_ms} ms: "
                "req/s · p50 · p99",
                f"{r['requests_per_s']:.0f} req/s · {r['p50_ms']:.1f} ms · {r['p99_ms']:.1f} ms",
                "", target if judged else "", r["p99_ms"] < TARGET_P99_MS if judged else None,
            ))
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details")):
        for mode in MODES:
            prof = profile[label][mode]
            figures.append(Figure(
                f"{title}, {mode}: one request alone, in process: CPU ms · SQL statements · "
                "lazy loads", f"{prof['cpu_ms_per_request']} ms · "
                f"{prof['sql_statements_per_request']} · {prof['lazy_loads_per_request']}",
            ))
    backend = make_url(database).get_backend_name() if args.database else "temporary SQLite"
    notes = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s against 127.0.0.1 after "
        f"a 2 s warm-up; {args.workers} uvicorn worker process(es) (as `python -m mock_site"
        f" --workers {args.workers}` runs them, "
        f"{uvicorn_loop()}; at most {worker_threads(Settings(database_url=database), 40)} "
        "request's work at a time, SHOP_WORKER_THREADS); "
        f"{backend} database with the demo account, signed in as the demo buyer.",
        "With the render cache on (the default), every request after the first is sent from "
        "it: the load only reads, so the scenario's data version never moves (the one query"
        " per request checks the sign-in and reads the version). \"Rendered on every "
        f"request\" is the same run with {CACHE_SETTING}=0: the full stack, as the first "
        "view of a page after a change of its data costs.",
        "No pause = closed loop: each connection sends its next request as soon as the "
        "answer arrives, so latency ≈ connections / throughput; p99 < 25 ms at 50 "
        "connections needs > 2,000 req/s. With a pause, each connection waits 0.5–1.5 × "
        "the think time between answer and next request, like a person reading the page.",
        f"Bare page: FastAPI sync endpoint returning a constant {page_size}-byte HTML body "
        "(the size of My Orders), served by uvicorn with the same settings.",
        "Where one request's CPU goes (cProfile, in process, sync endpoint run inline; "
        "kept = sent from the render cache, rendered = the cache emptied before each "
        "request; the test client's share is not the server's): "
        + "; ".join(
            f"{label} {mode}: " + ", ".join(
                f"{k} {v} %" for k, v in
                list(profile[label][mode]["share_of_cpu_by_area_percent"].items())[:6])
            for label in ("my_orders", "order_details") for mode in MODES
        ),
    ]
    details = {
        "wrk": {**options, "think_ms": args.think_ms},
        "storefront_workers": args.workers,
        "results": results,
        "profile": profile,
        "order_number": number,
        "versions": {name: package_version(name) for name in
                     ("uvicorn", "uvloop", "httptools", "fastapi", "starlette", "sqlalchemy",
                      "jinja2")},
    }
    name = NAME if not args.database else f"{NAME}_{make_url(args.database).get_backend_name()}"
    name += f"_workers{args.workers}" if args.workers > 1 else ""
    command = f".venv/bin/python -m bench.{NAME}" + (
        " --database <url>" if args.database else "") + (
        f" --workers {args.workers}" if args.workers > 1 else "")
    write_results(name, "Storefront under load: My Orders and order details at 50 users",
                  figures, details, notes, started_at, command)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

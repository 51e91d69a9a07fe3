"""The storefront serving a class: many people, each clicking about once a second.

``python -m bench.storefront_load [--people N] [--duration S] [--runs N] [--database URL]
[--workers N] [--quick]``

Starts the storefront on a free loopback port (a temporary SQLite database unless
``--database`` names another, e.g. PostgreSQL: docs/postgresql.md) and gives each of
``--people`` simulated people (200 by default) a practice copy of their own (the
``showcase`` scenario, through the control API) and a sign-in (its one-time link). Each
person then pauses 0.5–1.5 s, asks for one of their own pages (My Orders, an order's
details, its finances, the coupon wallet), and again, for ``--duration`` seconds after a
warm-up; ``--runs`` such runs in a row. Every page is rendered on every request. Target:
p99 < 50 ms on one storefront process, in every run.

Then, as a figure without a target, a closed loop: ``--connections`` connections asking
for My Orders (and an order's details) back to back with no pause, against a bare
FastAPI page of the same size served the same way; requests/s and the ratio to the bare
page. Last, where one request's CPU goes, in process (``bench.support.request_profile``).

Load goes to 127.0.0.1 only, from ``bench.support.load``; every run stops after its duration.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from bench.support.common import (
    Figure,
    add_quick_option,
    package_version,
    ratio,
    results_folder,
    write_results,
)
from bench.support.load import Get, class_load, closed_loop
from bench.support.request_profile import profile_pages
from domain.scenarios import ScenarioName
from flows.run.live_server import free_port, serve, storefront_command
from flowspec.control_client import ControlClient

NAME = "storefront_load"
TARGET_P99_MS = 50.0
SESSION_COOKIE = "shop_session"
HOST = "127.0.0.1"
SCENARIO = ScenarioName.SHOWCASE

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


def person(client: httpx.Client, check_every_page: bool) -> list[Get]:
    """A practice copy of its own, signed in; the pages this person clicks through (each
    checked once when asked: the load counts every answer that is not a 200 anyway), with
    the cookie as the browser holds it after seeing My Orders."""
    copy = ControlClient(str(client.base_url)).start_scenario(SCENARIO.value)
    client.cookies.clear()
    signed_in = client.get(copy.buyer_sign_in_url)
    if signed_in.status_code != 303 or SESSION_COOKIE not in client.cookies:
        raise RuntimeError(f"the sign-in link answered {signed_in.status_code}")
    numbers = [order.number for order in copy.orders]
    paths = [("My Orders", "/orders"), ("coupon wallet", "/coupons")]
    paths += [("order details", f"/orders/{n}") for n in numbers]
    paths += [("finances", f"/orders/{n}/finances") for n in numbers]
    for kind, path in paths if check_every_page else paths[:1]:
        answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{kind} ({path}) answered {answer.status_code}")
    cookie = f"{SESSION_COOKIE}={client.cookies[SESSION_COOKIE]}"
    return [Get(kind, path, cookie) for kind, path in paths]


def page_size(base_url: str, get: Get) -> int:
    return len(httpx.get(base_url + get.path, headers={"Cookie": get.cookie}).content)


def summary_line(label: str, r: dict[str, Any]) -> str:
    return (f"{label}: {r['requests_per_s']:.1f} req/s · p50 {r['p50_ms']} ms · "
            f"p99 {r['p99_ms']} ms · max {r['max_ms']} ms · not 200: {r['not_200']} · "
            f"failed: {r['errors']}")


def met(run: dict[str, Any]) -> bool:
    return (run["p99_ms"] is not None and run["p99_ms"] < TARGET_P99_MS
            and run["not_200"] == 0 and run["errors"] == 0)


def server_cpu(workers: int) -> int | None:
    """The CPU one storefront process gets to itself: the last, on a machine of two or more
    (the class's browsers are on machines of their own). None: nothing to keep apart (one
    CPU, or several workers, which share every CPU as a deployment's would)."""
    last = (os.cpu_count() or 1) - 1
    usable = last > 0 and workers == 1 and hasattr(os, "sched_setaffinity")
    return last if usable and shutil.which("taskset") else None


def keep_apart_from(cpu: int | None) -> None:
    """The load generator (this process) keeps off the server's CPU."""
    if cpu is not None:
        os.sched_setaffinity(0, set(range(cpu)))


def pinned(command: list[str], cpu: int | None) -> list[str]:
    """``command`` run on ``cpu`` alone (``None``: anywhere)."""
    return command if cpu is None else ["taskset", "--cpu-list", str(cpu), *command]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.storefront_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds per run "
                        "(default 60), after a warm-up of 5 s")
    parser.add_argument("--runs", type=int, default=3, help="class runs in a row (default 3)")
    parser.add_argument("--connections", type=int, default=50,
                        help="closed loop's connections (default 50)")
    parser.add_argument("--loop-duration", type=float, default=10,
                        help="seconds of each closed loop (default 10)")
    parser.add_argument("--database", help="storefront database URL (default: a temporary "
                        "SQLite file), e.g. a PostgreSQL one (docs/postgresql.md)")
    parser.add_argument("--workers", type=int, default=1,
                        help="storefront processes (python -m mock_site --workers N; default 1)")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    cpu = server_cpu(args.workers)
    keep_apart_from(cpu)
    # stopped from outside, still stop the servers it started (the ``serve`` blocks)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.quick:
        args.people, args.duration, args.runs = 10, 2, 1
        args.connections, args.loop_duration = 5, 1
    warm_up = 1 if args.quick else 5
    started_at = datetime.now(UTC).replace(microsecond=0)
    runs: list[dict[str, Any]] = []
    loops: dict[str, dict[str, Any]] = {}

    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        folder = Path(scratch)
        bare_app = folder / "bare_app.py"
        bare_app.write_text(textwrap.dedent(BARE_APP), encoding="utf-8")
        database = args.database or f"sqlite:///{folder / 'shop.db'}"

        port = free_port()
        server = pinned(storefront_command(port, database) + ["--workers", str(args.workers)], cpu)
        with serve(server, f"http://{HOST}:{port}") as base_url:
            print(f"{args.people} people: a practice copy and a sign-in each …", flush=True)
            with httpx.Client(base_url=base_url, timeout=30) as client:
                people = [person(client, check_every_page=number == 0)
                          for number in range(args.people)]
            for number in range(1, args.runs + 1):
                run = class_load(port, people, duration_s=args.duration, warm_up_s=warm_up,
                                 seed=number)
                runs.append(run)
                print(summary_line(f"class run {number}", run), flush=True)
            mine = people[0]
            my_orders = next(get for get in mine if get.kind == "My Orders")
            details = next(get for get in mine if get.kind == "order details")
            size = page_size(base_url, my_orders)
            for label, get in (("my_orders", my_orders), ("order_details", details)):
                loops[label] = closed_loop(port, get, connections=args.connections,
                                           duration_s=args.loop_duration, warm_up_s=1)
                print(summary_line(f"closed loop, {label}", loops[label]), flush=True)

        port = free_port()
        bare = pinned([sys.executable, str(bare_app), str(port), str(size)], cpu)
        with serve(bare, f"http://{HOST}:{port}"):
            loops["bare_fastapi"] = closed_loop(port, Get("bare page", "/page"),
                                                connections=args.connections,
                                                duration_s=args.loop_duration, warm_up_s=1)
            print(summary_line("closed loop, bare page", loops["bare_fastapi"]), flush=True)

        print("profiling each page in process …", flush=True)
        profile = profile_pages(args.database or f"sqlite:///{folder / 'profile.db'}",
                                rounds=20 if args.quick else 300)

    backend = make_url(database).get_backend_name() if args.database else "SQLite"
    target = f"< {TARGET_P99_MS:g} ms"
    figures = []
    for number, run in enumerate(runs, 1):
        by_kind = " · ".join(f"{kind} {r['p99_ms']}" for kind, r in run["by_kind"].items())
        figures += [
            Figure(f"class run {number}: {args.people} people, p99 latency", run["p99_ms"],
                   "ms", target, met(run)),
            Figure(f"class run {number}: requests/s · p50 · max · not 200 · failed",
                   f"{run['requests_per_s']} req/s · {run['p50_ms']} ms · {run['max_ms']} ms · "
                   f"{run['not_200']} · {run['errors']}"),
            Figure(f"class run {number}: p99 by page (ms)", by_kind),
        ]
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details"),
                         ("bare_fastapi", "bare FastAPI page")):
        r = loops[label]
        figures.append(Figure(
            f"{title}, closed loop of {args.connections} connections: req/s · p50 · p99",
            f"{r['requests_per_s']} req/s · {r['p50_ms']} ms · {r['p99_ms']} ms"))
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details")):
        share = ratio(loops[label]["requests_per_s"], loops["bare_fastapi"]["requests_per_s"])
        figures.append(Figure(f"{title} / bare page, closed loop: throughput",
                              None if share is None else round(share, 3)))
    for label, title in (("my_orders", "My Orders"), ("order_details", "order details")):
        prof = profile[label]
        figures.append(Figure(
            f"{title}: one request alone, in process: CPU ms · SQL statements · lazy loads",
            f"{prof['cpu_ms_per_request']} ms · {prof['sql_statements_per_request']} · "
            f"{prof['lazy_loads_per_request']}"))
    notes = [
        f"{args.runs} run(s) in a row of {args.duration:g} s each after a {warm_up} s warm-up, "
        f"on {args.workers} storefront process(es) (`python -m mock_site --workers "
        f"{args.workers}`) with a {backend} database; {args.people} people, each with a "
        f"`{SCENARIO.value}` practice copy of their own and one keep-alive connection, "
        "pausing 0.5–1.5 s (uniform) before each request; each request one of their pages at "
        "random (My Orders, the coupon wallet, each order's details and finances). A run "
        "meets the target when its p99 is under it and every answer was a 200.",
        (f"The storefront ran on CPU {cpu} alone and the load generator on the others "
         "(the class's browsers are on machines of their own)." if cpu is not None else
         "The storefront and the load generator shared the CPUs."),
        "Closed loop: each connection sends its next request as soon as the answer arrives, "
        "so latency ≈ connections / throughput: a measure of throughput, not of what a class "
        f"waits. Bare page: a FastAPI sync endpoint returning a constant {size}-byte HTML "
        "body (the size of My Orders), served by uvicorn the same way.",
        "Where one request's CPU goes (cProfile, in process, the demo buyer's pages, sync "
        "endpoints run inline; the test client's share is not the server's): " + "; ".join(
            f"{label}: " + ", ".join(
                f"{k} {v} %" for k, v in
                list(profile[label]["share_of_cpu_by_area_percent"].items())[:6])
            for label in ("my_orders", "order_details")),
    ]
    details_json = {
        "people": args.people, "duration_s": args.duration, "warm_up_s": warm_up,
        "runs": runs, "closed_loop": {"connections": args.connections,
                                      "duration_s": args.loop_duration, **loops},
        "storefront_workers": args.workers, "profile": profile,
        "versions": {name: package_version(name) for name in
                     ("uvicorn", "uvloop", "httptools", "fastapi", "starlette", "sqlalchemy",
                      "jinja2", "psycopg")},
    }
    name = NAME if not args.database else f"{NAME}_{make_url(args.database).get_backend_name()}"
    name += f"_workers{args.workers}" if args.workers > 1 else ""
    command = f".venv/bin/python -m bench.{NAME}" + (
        " --database <url>" if args.database else "") + (
        f" --workers {args.workers}" if args.workers > 1 else "") + (
        " --quick" if args.quick else "")
    write_results(name, f"Storefront serving a class: {args.people} people clicking about "
                  "once a second", figures, details_json, notes, started_at, command,
                  folder=results_folder(args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

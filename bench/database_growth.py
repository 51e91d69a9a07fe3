"""The database under a steady stream of new practice copies, and the per-client limit
on making them.

A storefront (its own database; ``--database URL`` for PostgreSQL) runs with a short idle
time (``SHOP_PRACTICE_IDLE_MINUTES=1``) and frequent pruning. Four clients, each on its own
loopback address, start a copy of the richest scenario (``showcase``) every 3 seconds
(20 a minute each, inside the limit of 30) and open its buyer's sign-in link, for 10
minutes; the database's size and the number of copies are printed every 15 seconds. With
retention the size levels off once the first copies pass their idle time; without it,
it would grow by one copy's bytes per copy made. Then one greedy client asks for copies
as fast as it can for a minute while a polite one keeps its pace: accepted and refused
per minute, each refusal's ``Retry-After``.

``--quick``: 75 s of stream, 10 s greedy, samples every 5 s; results in a temporary folder.
"""

from __future__ import annotations

import argparse
import math
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from bench.support.common import (
    Figure,
    add_quick_option,
    results_folder,
    shown_path,
    write_results,
)
from flows.run.live_server import free_port, serve, storefront_command

PER_MINUTE = 30
CLIENTS = 4
PACE_S = 3.0  # each client: a copy every 3 s, 20 a minute
IDLE_MINUTES = 1
SCENARIO = "showcase"


def client_on(address: str, base_url: str) -> httpx.Client:
    """A client whose connections leave from ``address`` (any of 127.0.0.0/8)."""
    return httpx.Client(base_url=base_url, timeout=30,
                        transport=httpx.HTTPTransport(local_address=address))


def use_a_new_copy(client: httpx.Client) -> int:
    """Start a copy and sign its buyer in by the link, as a trainee does; the status."""
    started = client.post("/api/scenarios", json={"name": SCENARIO})
    if started.status_code == 201:
        client.get(started.json()["buyer_sign_in_url"])
        client.cookies.clear()
    return started.status_code


def size_reader(database_url: str) -> Callable[[], tuple[int, int]]:
    """(bytes on disk, copies) of the storefront's database."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))

        def sqlite_size() -> tuple[int, int]:
            files = [path, path.with_name(path.name + "-wal")]
            size = sum(f.stat().st_size for f in files if f.exists())
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as connection:
                copies = connection.execute("SELECT count(*) FROM scenarios").fetchone()[0]
            return size, copies
        return sqlite_size
    engine = create_engine(database_url)

    def server_size() -> tuple[int, int]:
        with engine.connect() as connection:
            size = connection.scalar(text("SELECT pg_database_size(current_database())"))
            copies = connection.scalar(text("SELECT count(*) FROM scenarios"))
        return int(size or 0), int(copies or 0)
    return server_size


def stream(base_url: str, seconds: float, made: list[int], stop: threading.Event) -> None:
    """``CLIENTS`` clients at a steady pace until ``seconds`` have passed."""
    def one(index: int) -> None:
        with client_on(f"127.0.0.{10 + index}", base_url) as client:
            next_at = time.monotonic() + index * PACE_S / CLIENTS
            while not stop.is_set():
                stop.wait(max(0.0, next_at - time.monotonic()))
                if stop.is_set():
                    return
                made.append(use_a_new_copy(client))
                next_at += PACE_S

    threads = [threading.Thread(target=one, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join()


def greedy(base_url: str, seconds: float) -> dict[str, object]:
    """One client as fast as it can, one at the steady pace, both for ``seconds``."""
    counts = {"greedy": {"accepted": 0, "refused": 0}, "polite": {"accepted": 0, "refused": 0}}
    retry_after: list[int] = []
    deadline = time.monotonic() + seconds

    def polite() -> None:
        with client_on("127.0.0.98", base_url) as client:
            while time.monotonic() < deadline:
                status = use_a_new_copy(client)
                counts["polite"]["accepted" if status == 201 else "refused"] += 1
                time.sleep(PACE_S)

    thread = threading.Thread(target=polite)
    thread.start()
    with client_on("127.0.0.99", base_url) as client:
        while time.monotonic() < deadline:
            answer = client.post("/api/scenarios", json={"name": SCENARIO})
            if answer.status_code == 201:
                counts["greedy"]["accepted"] += 1
            else:
                counts["greedy"]["refused"] += 1
                retry_after.append(int(answer.headers.get("Retry-After", "0")))
    thread.join()
    return {"counts": counts, "retry_after": retry_after}


def svg_chart(samples: list[dict[str, float]], title: str) -> str:
    """The database's size over time, as a small SVG line chart."""
    width, height, pad = 640, 320, 50
    top_t = max(s["t"] for s in samples) or 1
    top_mb = max(s["mb"] for s in samples) * 1.2 or 1
    points = " ".join(
        f"{pad + s['t'] / top_t * (width - 2 * pad):.1f},"
        f"{height - pad - s['mb'] / top_mb * (height - 2 * pad):.1f}" for s in samples)
    ticks = "".join(
        f'<text x="{pad - 6}" y="{height - pad - f * (height - 2 * pad) + 4:.1f}" '
        f'text-anchor="end" font-size="11">{top_mb * f:.1f}</text>' for f in (0, 0.5, 1))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" role="img" aria-label="{title}">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        f'stroke="black"/><line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" '
        f'stroke="black"/>{ticks}'
        f'<text x="{width / 2}" y="{height - 12}" text-anchor="middle" font-size="12">'
        f'seconds (0–{top_t:.0f})</text>'
        f'<text x="14" y="{height / 2}" font-size="12" transform="rotate(-90 14 {height / 2})"'
        f' text-anchor="middle">MB</text>'
        f'<polyline fill="none" stroke="#1f6feb" stroke-width="2" points="{points}"/></svg>\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.database_growth", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a fresh SQLite file)")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    seconds, greedy_s, every_s, prune_s = (75, 10, 5, 5) if args.quick else (600, 60, 15, 15)
    started_at = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="shop-growth-") as scratch:
        database_url = args.database or f"sqlite:///{Path(scratch) / 'shop.db'}"
        port = free_port()
        environment = {"SHOP_PRACTICE_IDLE_MINUTES": str(IDLE_MINUTES),
                       "SHOP_PRUNE_EVERY_SECONDS": str(prune_s),
                       "SHOP_PRACTICE_COPIES_PER_MINUTE": str(PER_MINUTE)}
        with serve(storefront_command(port, database_url), f"http://127.0.0.1:{port}",
                   env=environment) as base_url:
            read_size = size_reader(database_url)
            made: list[int] = []
            stop = threading.Event()
            feeder = threading.Thread(target=stream, args=(base_url, seconds, made, stop))
            begin = time.monotonic()
            feeder.start()
            samples: list[dict[str, float]] = []
            while True:
                size, copies = read_size()
                sample = {"t": round(time.monotonic() - begin, 1), "mb": size / 1e6,
                          "copies": copies, "made": len(made)}
                samples.append(sample)
                print(f"  {sample['t']:6.1f} s  {sample['mb']:8.2f} MB  {copies:5d} copies "
                      f"live  {len(made):5d} made", flush=True)
                if stop.is_set():
                    break
                stop.wait(every_s)
            feeder.join()
            limits = greedy(base_url, greedy_s)
    figures, notes = judge(samples, made, limits, greedy_s, args.quick)
    folder = results_folder(args.quick)
    name = "database_growth_postgresql" if args.database else "database_growth"
    chart = folder / f"{name}.svg"
    chart.write_text(svg_chart(samples, "Database size under a steady stream of new copies"),
                     encoding="utf-8")
    kind = "PostgreSQL" if args.database else "SQLite"
    notes.append(f"The size over time: {shown_path(chart)}.")
    write_results(name, f"Database growth with retention ({kind})", figures,
                  details={"samples": samples, "limits": limits, "clients": CLIENTS,
                           "pace_s": PACE_S, "idle_minutes": IDLE_MINUTES,
                           "prune_every_s": prune_s, "chart": shown_path(chart)},
                  notes=notes, started_at=started_at, folder=folder,
                  command="python -m bench.database_growth" + (" --quick" if args.quick else ""))
    return 0


def judge(samples: list[dict[str, float]], made: list[int], limits: dict, greedy_s: float,
          quick: bool) -> tuple[list[Figure], list[str]]:
    """Flat: after the first copies' idle time and a prune or two, the size stays within 25 %
    of where it was then. The limit: the greedy client gets ``PER_MINUTE`` a minute."""
    settled_at = IDLE_MINUTES * 60 + 60
    settled = [s for s in samples if s["t"] >= settled_at]
    first, last = (settled[0]["mb"], samples[-1]["mb"]) if settled else (None, None)
    growth = last / first if first and last else None
    # Before any copy is idle, every copy made adds to the size: the bytes of one copy.
    growing = [s for s in samples if s["t"] < IDLE_MINUTES * 60]
    per_copy_mb = ((growing[-1]["mb"] - growing[0]["mb"]) / (growing[-1]["made"] - growing[0]["made"])
                   if len(growing) > 1 and growing[-1]["made"] > growing[0]["made"] else None)
    counts = limits["counts"]
    minutes = greedy_s / 60
    allowed = PER_MINUTE * math.ceil(minutes)
    refused_waits = limits["retry_after"]
    figures = [
        Figure("copies made (accepted)", sum(1 for s in made if s == 201), "copies"),
        Figure("copies refused in the stream", sum(1 for s in made if s != 201), "copies",
               "0", all(s == 201 for s in made)),
        Figure("copies live at the end", int(samples[-1]["copies"]), "copies"),
        Figure("database size at the end", round(samples[-1]["mb"], 2), "MB"),
        Figure(f"size at the end / size at {settled_at} s", growth, "×", "≤ 1.25",
               None if growth is None or quick else growth <= 1.25),
        Figure("without retention, at the end (estimate)",
               round(samples[0]["mb"] + per_copy_mb * len(made), 1) if per_copy_mb else None,
               "MB"),
        Figure(f"greedy client: accepted in {greedy_s:g} s", counts["greedy"]["accepted"],
               "copies", f"≤ {allowed}", counts["greedy"]["accepted"] <= allowed),
        Figure("greedy client: refused a minute", round(counts["greedy"]["refused"] / minutes),
               "requests"),
        Figure("refusals with Retry-After 1–60 s",
               sum(1 for s in refused_waits if 1 <= s <= 60), "of "
               f"{len(refused_waits)}", "all", all(1 <= s <= 60 for s in refused_waits)),
        Figure("polite client beside it: refused", counts["polite"]["refused"], "requests", "0",
               counts["polite"]["refused"] == 0),
    ]
    notes = [f"{CLIENTS} clients on 127.0.0.10–{9 + CLIENTS}, a copy of `{SCENARIO}` every "
             f"{PACE_S:g} s each, then its buyer's sign-in link; idle time {IDLE_MINUTES} min.",
             "Without retention (estimate): the growth per copy made before any copy was idle,"
             " times the copies made, on top of the size at the start."]
    if quick:
        notes.append("--quick: too short for the size to settle; the flatness target is not judged.")
    return figures, notes


if __name__ == "__main__":
    raise SystemExit(main())

"""A lean HTTP/1.1 load generator on asyncio, for loopback servers.

Two shapes of load: a class (people who each pause 0.5–1.5 s, then ask for one of their
own pages; the pauses, not the answers, set the pace) and a closed loop (connections
that send their next request the moment an answer arrives). Each person or connection
keeps one keep-alive connection. Every run ends after its duration; latencies are taken
from the request written to the answer's last byte read.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from bench.support.common import percentile

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Get:
    """One page a person may ask for: its kind (for the figures), path and cookie."""

    kind: str
    path: str
    cookie: str = ""

    def raw(self, port: int) -> bytes:
        cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
        return (f"GET {self.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n{cookie}"
                "Accept: text/html\r\n\r\n").encode("ascii")


@dataclass
class Tally:
    """What one run saw: latencies by page kind, answers by status, failed connections."""

    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        every = [ms for values in self.latencies_ms.values() for ms in values]
        return {
            "requests": len(every),
            "requests_per_s": round(len(every) / self.seconds, 1) if self.seconds else 0.0,
            **_percentiles(every),
            "by_kind": {kind: {"requests": len(values), **_percentiles(values)}
                        for kind, values in sorted(self.latencies_ms.items())},
            "statuses": dict(sorted(self.statuses.items())),
            "not_200": sum(n for status, n in self.statuses.items() if status != 200),
            "errors": self.errors,
        }


def _percentiles(values: Sequence[float]) -> dict[str, float | None]:
    def rounded(q: float) -> float | None:
        value = percentile(values, q)
        return None if value is None else round(value, 2)

    return {"p50_ms": rounded(50), "p90_ms": rounded(90), "p99_ms": rounded(99),
            "max_ms": round(max(values), 2) if values else None}


class Connection:
    """One keep-alive connection that sends a request and reads its whole answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, request: bytes) -> int:
        """The answer's status; the body is read (by Content-Length) and dropped."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(HOST, self.port)
        reader, writer = self._streams
        writer.write(request)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = next((int(line.split(":", 1)[1]) for line in head.split("\r\n")
                       if line.startswith("content-length:")), None)
        if length is None:
            raise ConnectionError("an answer without Content-Length")
        await reader.readexactly(length)
        if "connection: close" in head:
            self.close()
        return status

    def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None


async def _timed(connection: Connection, get: Get, tally: Tally, counted: bool) -> None:
    started = perf_counter()
    try:
        status = await asyncio.wait_for(connection.get(get.raw(connection.port)), timeout=10)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
        connection.close()
        if counted:
            tally.errors += 1
        return
    if counted:
        tally.latencies_ms[get.kind].append(1000 * (perf_counter() - started))
        tally.statuses[status] += 1


async def _person(port: int, pages: Sequence[Get], pause_s: tuple[float, float],
                  counting_from: float, until: float, tally: Tally, rng: random.Random) -> None:
    connection = Connection(port)
    try:
        await asyncio.sleep(rng.uniform(0, pause_s[1]))  # people do not all start at once
        while perf_counter() < until:
            await _timed(connection, rng.choice(pages), tally, perf_counter() >= counting_from)
            await asyncio.sleep(rng.uniform(*pause_s))
    finally:
        connection.close()


async def _looping(port: int, get: Get, counting_from: float, until: float,
                   tally: Tally) -> None:
    connection = Connection(port)
    try:
        while perf_counter() < until:
            await _timed(connection, get, tally, perf_counter() >= counting_from)
    finally:
        connection.close()


def _run(make: Callable[[float, float, Tally], Sequence[Coroutine[Any, Any, None]]],
         warm_up_s: float, duration_s: float) -> dict[str, Any]:
    async def main() -> Tally:
        tally = Tally()
        counting_from = perf_counter() + warm_up_s
        until = counting_from + duration_s
        await asyncio.gather(*make(counting_from, until, tally))
        tally.seconds = duration_s
        return tally

    try:
        import uvloop
    except ImportError:  # the asyncio loop measures the same, a little slower
        return asyncio.run(main()).summary()
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main()).summary()


def class_load(port: int, people: Sequence[Sequence[Get]], *, duration_s: float,
               warm_up_s: float, pause_s: tuple[float, float] = (0.5, 1.5),
               seed: int = 1) -> dict[str, Any]:
    """Each person (their own pages) pauses ``pause_s``, asks for one of them, and again,
    until the run ends; requests sent during the warm-up are not counted."""
    rng = random.Random(seed)
    return _run(lambda start, end, tally: [
        _person(port, pages, pause_s, start, end, tally, random.Random(rng.random()))
        for pages in people], warm_up_s, duration_s)


def closed_loop(port: int, get: Get, *, connections: int, duration_s: float,
                warm_up_s: float) -> dict[str, Any]:
    """``connections`` connections asking for ``get`` back to back, no pause."""
    return _run(lambda start, end, tally: [_looping(port, get, start, end, tally)
                                           for _ in range(connections)], warm_up_s, duration_s)

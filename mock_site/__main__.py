"""``python -m mock_site [--port N] [--database URL] [--workers N]``: serve the storefront.
``python -m mock_site prune [--database URL]``: delete idle practice copies and expired
records once (the storefront also does it on start and every ``SHOP_PRUNE_EVERY_SECONDS``).

It listens on the configured host (127.0.0.1 by default). With ``--workers N`` uvicorn
runs N processes on one port; everything they share (sessions, the clock, throttling)
lives in the database, so any of them may answer any request.
"""

import argparse
import gc
import os
import sys
from datetime import timedelta
from typing import Any

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mock_site.core import models
from mock_site.core.db import Database
from mock_site.core.settings import Settings
from mock_site.services import retention
from mock_site.web.app import create_app, seed_demo


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["prune"]:
        prune(argv[1:])
        return
    parser = argparse.ArgumentParser(prog="python -m mock_site", description=__doc__)
    parser.add_argument("--port", type=int, help="port to listen on (default: SHOP_PORT or 8000)")
    parser.add_argument("--database", help="database URL (default: SHOP_DATABASE_URL)")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes serving requests (default: 1)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    overrides = {}
    if args.port is not None:
        overrides["port"] = args.port
    if args.database:
        overrides["database_url"] = args.database
    settings = Settings(**overrides)
    print(f"Storefront on http://{settings.host}:{settings.port}/", flush=True)
    if args.workers > 1:
        serve_workers(settings, args.workers)
        return
    app = create_app(settings)
    # What exists now (modules, the app, its routes) lives as long as the process: keep it
    # out of the garbage collector's full passes, so they do not stall requests in flight.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, **server_options(settings))


def prune(argv: list[str]) -> None:
    """Delete practice copies idle longer than ``SHOP_PRACTICE_IDLE_MINUTES`` (never the
    demo), with all their rows, and expired tickets, sessions and attempt counts."""
    parser = argparse.ArgumentParser(prog="python -m mock_site prune", description=prune.__doc__)
    parser.add_argument("--database", help="database URL (default: SHOP_DATABASE_URL)")
    args = parser.parse_args(argv)
    settings = Settings(**({"database_url": args.database} if args.database else {}))
    db = Database(settings.database_url)
    db.create_schema(models.Base.metadata)
    retention.add_last_used_column(db)
    pruned = retention.prune(db, timedelta(minutes=settings.practice_idle_minutes))
    db.dispose()
    print(f"Deleted: {pruned}.", flush=True)


def serve_workers(settings: Settings, workers: int) -> None:
    """Serve with ``workers`` processes, each building the app from the environment."""
    # The database is made and seeded once, here, so the workers never race to do it.
    db = Database(settings.database_url)
    db.create_schema(models.Base.metadata)
    seed_demo(db)
    db.dispose()
    # Each worker reads its settings from the environment, as this process did.
    os.environ["SHOP_DATABASE_URL"] = settings.database_url
    os.environ["SHOP_PORT"] = str(settings.port)
    uvicorn.run("mock_site.__main__:worker_app", factory=True, workers=workers,
                **server_options(settings))


def server_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the storefront, wherever it is started.

    Proxy headers (``X-Forwarded-For``, ``-Proto``) are believed only from the addresses in
    ``SHOP_TRUSTED_PROXIES``; uvicorn's own default would believe them from 127.0.0.1, so
    anyone on the machine could pose as any address and dodge the sign-in limits.
    """
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "http": "mock_site.__main__:RequestTargetAsHost",
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": settings.trusted_proxies or None,
    }


class RequestTargetAsHost(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 (httptools) where a request target in absolute form (``GET
    http://name/path``) names the host: its authority replaces every ``Host`` header, as
    HTTP/1.1 asks of a server, so the storefront's host check judges the name the client
    really asked for, not a loopback ``Host`` sent alongside another host's address."""

    def on_headers_complete(self) -> None:
        if not self.url.startswith(b"/") and self.url != b"*":
            self.headers[:] = [header for header in self.headers if header[0] != b"host"]
            self.headers.append((b"host", _authority(self.url)))
        super().on_headers_complete()


def _authority(target: bytes) -> bytes:
    """``name[:port]`` of an absolute URL; empty (an invalid host) for anything else."""
    try:
        url = httptools.parse_url(target)
    except httptools.HttpParserInvalidURLError:
        return b""
    if url.schema not in (b"http", b"https") or not url.host:
        return b""
    host = b"[" + url.host + b"]" if b":" in url.host else url.host
    return host + (b":%d" % url.port if url.port else b"")


def worker_app():
    """The app of one worker process (uvicorn calls this once in each)."""
    app = create_app(Settings())
    gc.collect()
    gc.freeze()
    return app


if __name__ == "__main__":
    main()

"""``python -m mock_site [--port N] [--database URL] [--workers N]``: serve the storefront.

It listens on the configured host (127.0.0.1 by default). With ``--workers N`` uvicorn
runs N processes on one port; everything they share (sessions, the clock, throttling)
lives in the database, so any of them may answer any request.
"""

import argparse
import gc
import os

import uvicorn

from mock_site.core import models
from mock_site.core.db import Database
from mock_site.core.settings import Settings
from mock_site.web.app import create_app, seed_demo


def main(argv: list[str] | None = None) -> None:
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
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


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
                host=settings.host, port=settings.port, log_level="warning")


def worker_app():
    """The app of one worker process (uvicorn calls this once in each)."""
    app = create_app(Settings())
    gc.collect()
    gc.freeze()
    return app


if __name__ == "__main__":
    main()

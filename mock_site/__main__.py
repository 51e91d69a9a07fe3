"""``python -m mock_site [--port N] [--database URL]``: serve the storefront on 127.0.0.1."""

import argparse
import gc

import uvicorn

from mock_site.settings import Settings
from mock_site.web.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mock_site", description=__doc__)
    parser.add_argument("--port", type=int, help="port to listen on (default: SHOP_PORT or 8000)")
    parser.add_argument("--database", help="database URL (default: SHOP_DATABASE_URL)")
    args = parser.parse_args(argv)
    overrides = {}
    if args.port is not None:
        overrides["port"] = args.port
    if args.database:
        overrides["database_url"] = args.database
    settings = Settings(**overrides)
    app = create_app(settings)
    # What exists now (modules, the app, its routes) lives as long as the process: keep it
    # out of the garbage collector's full passes, which would otherwise walk some 110,000
    # objects each time, stalling every request in flight (bench/README.md).
    gc.collect()
    gc.freeze()
    print(f"Storefront on http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")


if __name__ == "__main__":
    main()

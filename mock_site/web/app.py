"""``create_app(settings)``: the storefront as one FastAPI application."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from sqlalchemy.engine import make_url
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from domain.lifecycle import Role
from domain.scenarios import DEMO_TOKEN, SHOWCASE
from mock_site.db import Database
from mock_site.models import Scenario
from mock_site.scenarios import create_scenario
from mock_site.settings import Settings
from mock_site.web import api, buyer, coach, seller, trainer
from mock_site.web.deps import SignInRequired
from mock_site.web.security import SecurityHeaders
from mock_site.web.templating import render

SIGN_IN_PAGES = {Role.BUYER: "/login", Role.SELLER: "/seller/login"}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the storefront for ``settings``; creates and seeds the database if new."""
    settings = settings or Settings()
    db = Database(settings.database_url)
    db.create_schema()
    seed_demo(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in AnyIO's thread pool; its size is how many run at once.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = worker_threads(settings, limiter.total_tokens)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Mock marketplace control API",
        description="Create practice scenarios, move the simulated clock and act as the seller.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.control_enabled else None,
    )
    app.state.settings = settings
    app.state.db = db
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="shop_session",
        same_site="lax",
        https_only=settings.env == "production",
    )
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(buyer.router)
    app.include_router(seller.router)
    if settings.control_enabled:
        app.include_router(trainer.router)
        app.include_router(api.router)
        app.include_router(coach.router)
    _add_error_pages(app)
    return app


def worker_threads(settings: Settings, default: int) -> int:
    """``settings.worker_threads``; unset, one on SQLite and ``default`` on other databases."""
    if settings.worker_threads is not None:
        return settings.worker_threads
    return 1 if make_url(settings.database_url).get_backend_name() == "sqlite" else default


def seed_demo(db: Database) -> None:
    """The demo account (every kind of order) exists once, from the first start on."""
    with db.transaction() as session:
        if session.scalar(select(Scenario).where(Scenario.token == DEMO_TOKEN)):
            return
        create_scenario(session, SHOWCASE.name, token=DEMO_TOKEN)


def _json_safe_errors(exc: RequestValidationError) -> list[dict]:
    """Validation errors that always encode: one quoting raw bytes or an infinite number
    loses its ``input``/``ctx`` rather than turning the answer into a 500."""
    safe = []
    for error in jsonable_encoder(exc.errors()):
        try:
            json.dumps(error, allow_nan=False)
        except ValueError:
            error = {k: v for k, v in error.items() if k not in ("input", "ctx")}
        safe.append(error)
    return safe


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api", "/coach/tour"))


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired):
        return RedirectResponse(f"{SIGN_IN_PAGES[exc.role]}?next={exc.next_url}", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(StarletteHTTPException)
    async def framework_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and _wants_json(request):
            # FastAPI's answer to a body it cannot even decode (e.g. not UTF-8): the same
            # documented 422 as any other body that is not valid JSON.
            return JSONResponse({"detail": [{
                "type": "json_invalid", "loc": ["body"], "msg": "The body is not valid JSON.",
            }]}, status_code=422)
        return await http_exception_handler(request, exc)

    @app.exception_handler(404)
    async def not_found(request: Request, exc):
        detail = getattr(exc, "detail", None)
        return _error(request, 404, detail if detail and detail != "Not Found" else
                      "We could not find that page.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if _wants_json(request):
            return JSONResponse({"detail": _json_safe_errors(exc)}, status_code=422)
        return _error(request, 422, "Some of the information sent was missing or not valid.")

    def _error(request: Request, status: int, message: str):
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return render(request, "error.html", status_code=status, status=status, message=message)

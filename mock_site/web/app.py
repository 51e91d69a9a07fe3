"""``create_app(settings)``: the storefront as one FastAPI application."""

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import iter_route_contexts
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp

from domain.scenarios import DEMO_TOKEN, SHOWCASE
from mock_site.core import models
from mock_site.core.attempt_counts import AttemptCounts
from mock_site.core.db import Database
from mock_site.core.models import Scenario
from mock_site.core.settings import Settings
from mock_site.services import retention
from mock_site.services.scenarios import create_scenario
from mock_site.web import api, coach, seller, trainer
from mock_site.web.buyer import cancel, messages, orders, pages, sign_in
from mock_site.web.copy_limit import CopyLimit
from mock_site.web.deps import OrderNotFound, SignInRequired
from mock_site.web.security import (
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    HeadAsGet,
    HostCheck,
    SecurityHeaders,
)
from mock_site.web.templating import render
from mock_site.web.throttle import SignInThrottle

SERVER_ERROR = "Something went wrong on our side. Nothing was changed; please try again."
NUL_IN_TEXT = "Text holding a NUL character (0x00) cannot be used here. Nothing was changed."


class Storefront(FastAPI):
    """FastAPI whose security headers wrap everything, the server-error page included
    (``add_middleware`` would put them inside Starlette's error middleware)."""

    def __init__(self, *args, frame_ancestors: list[str], **kwargs):
        self.frame_ancestors = frame_ancestors
        super().__init__(*args, **kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(HeadAsGet(super().build_middleware_stack()), self.frame_ancestors)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the storefront for ``settings``; creates and seeds the database if new."""
    settings = settings or Settings()
    db = Database(settings.database_url)
    db.create_schema(models.Base.metadata)
    retention.add_last_used_column(db)
    seed_demo(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in AnyIO's thread pool; its size is how many run at once.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = worker_threads(settings, limiter.total_tokens)
        job = _app.state.retention = retention.RetentionJob(
            db, timedelta(minutes=settings.practice_idle_minutes), settings.prune_every_seconds)
        if settings.prune_every_seconds:
            job.start()
        yield
        if settings.prune_every_seconds:
            job.stop()

    app = Storefront(
        frame_ancestors=settings.frame_ancestors,
        lifespan=lifespan,
        title="Mock marketplace control API",
        description="Create practice scenarios, move the simulated clock and act as the seller.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.control_enabled else None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.throttle = SignInThrottle(AttemptCounts(db))
    app.state.copy_limit = CopyLimit(AttemptCounts(db), settings.practice_copies_per_minute)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.env == "production",
    )
    # Outermost: a request for any other host name is answered 400 before anything runs.
    app.add_middleware(HostCheck, allowed_hosts=settings.allowed_hosts,
                       pin_loopback_port=not settings.trusted_proxies)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for buyer_pages in (sign_in, orders, cancel, messages):
        app.include_router(buyer_pages.router)
    app.include_router(seller.router)
    if settings.control_enabled:
        app.include_router(trainer.router)
        app.include_router(api.router)
        app.include_router(coach.router)
    _add_error_pages(app)
    return app


def worker_threads(settings: Settings, default: float) -> float:
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
    """Validation errors that always encode: one quoting raw bytes, an infinite number or
    a lone surrogate loses its ``input``/``ctx`` rather than turning the answer into a 500."""
    safe = []
    for error in jsonable_encoder(exc.errors()):
        try:
            json.dumps(error, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except ValueError:  # UnicodeEncodeError (a lone surrogate) is one too
            error = {k: v for k, v in error.items() if k not in ("input", "ctx")}
        safe.append(error)
    return safe


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api", "/coach/tour"))


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route answers at ``path`` (HEAD with GET, OPTIONS always)."""
    table = getattr(app.state, "method_table", None)
    if table is None:
        table = [(compile_path(route.path)[0], route.methods)
                 for route in iter_route_contexts(app.routes) if route.methods and route.path]
        app.state.method_table = table
    methods = {"OPTIONS"}
    for pattern, route_methods in table:
        if pattern.match(path):
            methods |= route_methods
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, exc: SignInRequired):
        return RedirectResponse(exc.location(), status_code=303)

    @app.exception_handler(OrderNotFound)
    async def order_not_found(request: Request, exc: OrderNotFound):
        return await anyio.to_thread.run_sync(pages.order_not_found_page, request, app.state.db, exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def framework_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 405:
            return _wrong_method(request)
        if exc.status_code == 400 and _wants_json(request):
            # FastAPI's answer to a body it cannot even decode (e.g. not UTF-8): the same
            # documented 422 as any other body that is not valid JSON.
            return JSONResponse({"detail": [{
                "type": "json_invalid", "loc": ["body"], "msg": "The body is not valid JSON.",
            }]}, status_code=422)
        if _wants_json(request):
            return await http_exception_handler(request, exc)
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

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

    @app.exception_handler(DataError)
    async def unstorable_text(request: Request, exc: DataError):
        # PostgreSQL's text cannot hold NUL, which a path, form or JSON body can carry; the
        # driver refuses it before sending, the transaction rolls back.
        if "NUL (0x00)" in str(exc.orig):
            return _error(request, 400, NUL_IN_TEXT)
        return await server_error(request, exc)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        if _wants_json(request):
            return JSONResponse({"detail": SERVER_ERROR}, status_code=500)
        return render(request, "error.html", status_code=500, status=500, message=SERVER_ERROR)

    def _wrong_method(request: Request) -> Response:
        allow = {"Allow": ", ".join(allowed_methods(app, request.url.path))}
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=allow)
        return _error(request, 405, "This address does not accept that kind of request.", allow)

    def _error(request: Request, status: int, message: str,
               headers: Mapping[str, str] | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        response = render(request, "error.html", status_code=status, status=status,
                          message=message)
        response.headers.update(headers or {})
        return response

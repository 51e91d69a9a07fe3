"""The short way through for a page already rendered: a plain ASGI layer between the
trusted-host check and the session cookie, in front of FastAPI's routing.

For a GET of a signed-in page (``CACHED_PAGES``) it reads the session cookie as
Starlette's ``SessionMiddleware`` would, then runs one query: is the sign-in still live,
and what is its scenario's data version (``mock_site.page_cache``). If a page rendered
at that version is kept for this sign-in, form token, coach cookie and address, it is
sent again (fresh submission keys in it) with the status and headers it had; the
security headers and HEAD are added outside, as for every answer. Anything else goes the
full way through FastAPI, and a page that comes back fit to keep is kept.

Nothing is answered here that the full way would answer differently: no session
holding a flash message to show, none that is unreadable or lacks a form token, no
address outside the list, no sign-in that has ended (sign-out, a password change,
expiry) — those all take the full way.
"""

from __future__ import annotations

import json
import re
from base64 import b64decode
from collections.abc import Sequence

import anyio.to_thread
import itsdangerous
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.lifecycle import Role
from mock_site.page_cache import CachedPage, PageCache, SignedInVersion, recording
from mock_site.web.security import COACH_COOKIE, submission_key

# The signed-in pages kept, and whose: every GET of these shows only what the data
# version covers, the session's form token, and whether the coach is on.
CACHED_PAGES: Sequence[tuple[re.Pattern[str], Role]] = (
    (re.compile(r"/orders(?:/[^/]+(?:/finances|/messages|/cancel)?)?"), Role.BUYER),
    (re.compile(r"/coupons"), Role.BUYER),
    (re.compile(r"/seller(?:/orders/[^/]+)?"), Role.SELLER),
)


def role_of_page(path: str) -> Role | None:
    """Whose page ``path`` is, if it is one that may be kept."""
    for pattern, role in CACHED_PAGES:
        if pattern.fullmatch(path):
            return role
    return None


class SessionReader:
    """The session as ``SessionMiddleware`` reads it from the cookie (same signer, same
    age limit); None where it would start an empty one."""

    def __init__(self, secret_key: str, cookie: str, max_age: int):
        self._signer = itsdangerous.TimestampSigner(str(secret_key))
        self._cookie = cookie
        self._max_age = max_age

    def read(self, cookies: dict[str, str]) -> dict | None:
        value = cookies.get(self._cookie)
        if value is None:
            return None
        try:
            data = self._signer.unsign(value.encode("utf-8"), max_age=self._max_age)
            session = json.loads(b64decode(data))
        except (itsdangerous.BadSignature, ValueError):
            return None
        return session if isinstance(session, dict) else None


def request_cookies(scope: Scope) -> dict[str, str]:
    """The cookies as Starlette's ``Request.cookies`` parses them (every Cookie header)."""
    cookies: dict[str, str] = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            cookies.update(cookie_parser(value.decode("latin-1")))
    return cookies


class FastPath:
    """Answers signed-in pages from ``cache`` when their data has not changed."""

    def __init__(self, app: ASGIApp, *, cache: PageCache, versions: SignedInVersion,
                 sessions: SessionReader, in_thread: bool):
        self.app = app
        self.cache = cache
        self.versions = versions
        self.sessions = sessions
        # SQLite answers from a file in microseconds: asked inline. A database server is
        # asked from a worker thread, so the event loop never waits on the network.
        self.in_thread = in_thread

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        role = role_of_page(scope["path"])
        if role is None:
            await self.app(scope, receive, send)
            return
        cookies = request_cookies(scope)
        session = self.sessions.read(cookies)
        if not _may_be_kept(session):
            await self.app(scope, receive, send)
            return
        version = await self._version(session["sign_in"], role)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (session["sign_in"], session["csrf"], cookies.get(COACH_COOKIE),
               scope["path"], scope["query_string"])
        page = self.cache.get(key, version)
        if page is not None:
            headers, body = page.answer(submission_key)
            await send({"type": "http.response.start", "status": page.status,
                        "headers": list(headers)})
            await send({"type": "http.response.body", "body": body})
            return
        await self._render_and_keep(key, version, scope, receive, send)

    async def _version(self, sign_in: str, role: Role) -> int | None:
        try:
            if self.in_thread:
                return await anyio.to_thread.run_sync(self.versions.version, sign_in, role)
            return self.versions.version(sign_in, role)
        except self.versions.errors:
            return None  # the full way answers as it would without a cache

    async def _render_and_keep(self, key: tuple, version: int, scope: Scope,
                               receive: Receive, send: Send) -> None:
        start: Message | None = None
        headers: tuple = ()
        body: list[bytes] = []

        async def keep_a_copy(message: Message) -> None:
            nonlocal start, headers
            if message["type"] == "http.response.start":
                start = message
                headers = tuple(message.get("headers", ()))  # before the outer layers add
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        with recording() as random_parts:
            await self.app(scope, receive, keep_a_copy)
        if start is None:
            return
        page = CachedPage.of_answer(version, start["status"], headers, b"".join(body),
                                    random_parts)
        if page is not None:
            self.cache.put(key, page)


def _may_be_kept(session: dict | None) -> bool:
    """A session whose page the full way would render without changing the session: signed
    in, its form token made, no flash message waiting to be shown."""
    return (session is not None and "flash" not in session
            and isinstance(session.get("sign_in"), str) and isinstance(session.get("csrf"), str))

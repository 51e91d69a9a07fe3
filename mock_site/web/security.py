"""Sessions, CSRF tokens, flash messages, the Host check, security headers and HEAD
requests."""

import hmac
import re
import secrets
from collections.abc import Sequence

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_site.core.settings import LOOPBACK_HOSTS
from mock_site.core.sign_ins import SESSION_LIFETIME

CSRF_FIELD = "csrf_token"
CSRF_REFUSED = ("This form has expired or did not come from this site. "
                "Go back, reload the page and try again.")

# Pages that are never shown inside another page: the console, the trainer, the API.
# The buyer's pages may be, by the guide's practice mode only (``frame_ancestors``); so
# may the sign-in link the guide opens in its frame.
NEVER_FRAMED = ("/seller", "/trainer", "/api")
FRAMED_BY_THE_GUIDE = ("/trainer/sign-in/",)
STATIC = "/static/"
SESSION_COOKIE = "shop_session"
SESSION_MAX_AGE = int(SESSION_LIFETIME.total_seconds())  # the cookie lasts as its sign-in
COACH_COOKIE = "shop_coach"
STATIC_CACHE = "public, max-age=600"


def content_security_policy(frame_ancestors: str) -> str:
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; base-uri 'none'; object-src 'none'; "
        f"frame-ancestors {frame_ancestors}"
    )


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use; every form carries it."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def submission_key() -> str:
    """A fresh key per rendered form, so a double submit is known as one (``deps.Submission``)."""
    return secrets.token_urlsafe(16)


def _same_token(sent: object, expected: object) -> bool:
    """Constant-time comparison of bytes: ``hmac.compare_digest`` refuses non-ASCII text."""
    if not (isinstance(sent, str) and isinstance(expected, str) and expected):
        return False
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode())


async def require_csrf(request: Request) -> None:
    """Refuse a state-changing form that does not carry this session's token."""
    form = await request.form()
    if not _same_token(form.get(CSRF_FIELD, ""), request.session.get("csrf", "")):
        raise HTTPException(status_code=403, detail=CSRF_REFUSED)


def coach_on(request: Request) -> bool:
    """Whether this browser practises with the coach: every page loads its scripts then
    (a template global; the cookie is set when a tour starts, cleared when it is closed)."""
    return request.app.state.settings.control_enabled and COACH_COOKIE in request.cookies


def flash(request: Request, text: str, kind: str = "info") -> None:
    """Keep a message for the next page the user sees (kinds: info, success, error)."""
    request.session.setdefault("flash", []).append({"text": text, "kind": kind})


def pop_flashes(request: Request) -> list[dict]:
    return request.session.pop("flash", [])


class SecurityHeaders:
    """Headers every response carries (unless the response set its own).

    A plain ASGI middleware that edits the response's first message: Starlette's
    ``BaseHTTPMiddleware`` would run every request in an extra task with its own
    streams, for a few headers. It wraps the whole application, error pages included.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: Sequence[str] = ()):
        self.app = app
        common = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
        guide = " ".join(frame_ancestors) or "'none'"
        self.framable = {**common, "Content-Security-Policy": content_security_policy(guide)}
        self.unframable = {**common, "Content-Security-Policy": content_security_policy("'none'"),
                           "X-Frame-Options": "DENY"}

    def headers_for(self, path: str) -> dict[str, str]:
        never = path.startswith(NEVER_FRAMED) and not path.startswith(FRAMED_BY_THE_GUIDE)
        headers = dict(self.unframable if never else self.framable)
        if path.startswith(STATIC):
            # Styles, scripts, the icon: the same for everyone, so a page load need not ask
            # again for ten minutes (a release shows within that).
            headers["Cache-Control"] = STATIC_CACHE
        else:
            # Pages show who is signed in, their orders and a form token: keep no copy.
            headers["Cache-Control"] = "no-store"
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers_to_add = self.headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in headers_to_add.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD answers wherever GET does: the GET's status and headers, without the body."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


# A Host value: a name (letters, digits, dots, hyphens) or a bracketed IPv6 address, then
# an optional port. Nothing else: no user part, no path, no second value.
_HOST = re.compile(r"(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
INVALID_HOST = "Invalid host header"


def parse_host(value: bytes) -> tuple[str, int | None] | None:
    """(name in lower case, port or None) of a Host header value; None if it is not one."""
    match = _HOST.fullmatch(value.decode("latin-1").lower())
    if match is None:
        return None
    port = int(match["port"]) if match["port"] else None
    if port is not None and not 0 < port < 65536:
        return None
    return match["name"], port


class HostCheck:
    """Serve only requests naming one of the shop's own hosts, exactly once.

    400 unless the request has exactly one well-formed ``Host`` whose name is allowed
    (``*.example.test`` allows that domain's names, ``*`` any). A loopback name must also
    carry the port the server listens on: nothing but the server itself answers there, so
    another port means the name was not meant for this shop. ``pin_loopback_port`` is off
    behind a reverse proxy, which may pass its own port on.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str], pin_loopback_port: bool = True):
        self.app = app
        self.allowed = [pattern.lower() for pattern in allowed_hosts]
        self.pin_loopback_port = pin_loopback_port

    def allows(self, scope: Scope) -> bool:
        values = [value for name, value in scope["headers"] if name == b"host"]
        parsed = parse_host(values[0]) if len(values) == 1 else None
        if parsed is None:
            return False
        name, port = parsed
        if not any(pattern in ("*", name) or (pattern.startswith("*.") and name.endswith(pattern[1:]))
                   for pattern in self.allowed):
            return False
        server = scope.get("server")
        if self.pin_loopback_port and name in LOOPBACK_HOSTS and server and server[1] is not None:
            return (port or DEFAULT_PORTS.get(scope.get("scheme", "http"), 80)) == server[1]
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not self.allows(scope):
            await PlainTextResponse(INVALID_HOST, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)

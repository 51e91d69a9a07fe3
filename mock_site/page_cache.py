"""Rendered pages kept in this process, each good for one data version of its scenario
(``mock_site.data_versions``), and the one query that says whether a kept page may be
sent again.

A kept page is the whole answer as the storefront gave it: status, headers and body.
The parts of a page that must differ on every answer (each form's submission key, by
which a double submit is known) are noted while it renders (``recorded``) and cut out
of the kept body; every answer sends fresh ones in their place. The session's form
token stays: it is the same for every page of a session, and part of the page's key.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from mock_site.data_versions import DataVersion
from mock_site.models import Account
from mock_site.sign_ins import KEY_MAX_LENGTH, SignIn, key_digest, utc_now

Headers = tuple[tuple[bytes, bytes], ...]

_random_parts: ContextVar[list[str] | None] = ContextVar("page_random_parts", default=None)


def recorded(value: str) -> str:
    """``value``, a part of the page being rendered that no other answer may repeat."""
    parts = _random_parts.get()
    if parts is not None:
        parts.append(value)
    return value


@contextmanager
def recording() -> Iterator[list[str]]:
    """Note every ``recorded`` value of the page rendered inside the block (the list is
    shared with the worker thread the page renders in)."""
    parts: list[str] = []
    token = _random_parts.set(parts)
    try:
        yield parts
    finally:
        _random_parts.reset(token)


@dataclass(frozen=True)
class CachedPage:
    """An answer to send again while its scenario's data version is ``version``."""

    version: int
    status: int
    headers: Headers
    # The body, cut where each random part went: one more piece than there are parts.
    pieces: tuple[bytes, ...]

    @classmethod
    def of_answer(cls, version: int, status: int, headers: Headers, body: bytes,
                  random_parts: Sequence[str]) -> CachedPage | None:
        """The answer as a page to keep; None when it must not be sent twice: not a plain
        page, or it changed the session (a flash shown, a token made: ``Set-Cookie``), or a
        random part is not where it can be told apart from the rest of the page."""
        if status != 200 or any(name.lower() == b"set-cookie" for name, _ in headers):
            return None
        if not dict(headers).get(b"content-type", b"").startswith(b"text/html"):
            return None
        pieces, rest = [], body
        for part in random_parts:
            encoded = part.encode()
            if body.count(encoded) != 1:
                return None
            before, found, rest = rest.partition(encoded)
            if not found:  # not in the order rendered
                return None
            pieces.append(before)
        return cls(version, status, headers, (*pieces, rest))

    def answer(self, fresh: Callable[[], str]) -> tuple[Headers, bytes]:
        """The headers and body to send, with a ``fresh()`` value for each random part."""
        body = self.pieces[0]
        if len(self.pieces) > 1:
            parts = [self.pieces[0]]
            for piece in self.pieces[1:]:
                parts += [fresh().encode(), piece]
            body = b"".join(parts)
        return _with_length(self.headers, len(body)), body


def _with_length(headers: Headers, length: int) -> Headers:
    value = str(length).encode()
    if (b"content-length", value) in headers:
        return headers
    return tuple((name, value if name == b"content-length" else v) for name, v in headers)


class PageCache:
    """The most recently used pages, at most ``max_entries`` of them (oldest go first).

    Used from the event loop's thread only, so it needs no lock.
    """

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._pages: OrderedDict[Hashable, CachedPage] = OrderedDict()
        self.hits = 0  # pages sent again, since the process started

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: Hashable, version: int) -> CachedPage | None:
        """The page kept under ``key`` if it was rendered at ``version``."""
        page = self._pages.get(key)
        if page is None or page.version != version:
            return None
        self._pages.move_to_end(key)
        self.hits += 1
        return page

    def put(self, key: Hashable, page: CachedPage) -> None:
        kept = self._pages.get(key)
        if kept is not None and kept.version > page.version:
            return  # a slower render of older data finished last
        self._pages[key] = page
        self._pages.move_to_end(key)
        while len(self._pages) > self.max_entries:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()


# The sign-in, live and of the page's role, with its scenario's data version: one query.
_SIGNED_IN_VERSION = (
    select(DataVersion.version)
    .select_from(SignIn)
    .join(Account, Account.id == SignIn.account_id)
    .outerjoin(DataVersion, DataVersion.scenario_id == Account.scenario_id)
    .where(SignIn.key_hash == bindparam("key_hash"), SignIn.expires_at > bindparam("now"),
           Account.role == bindparam("role"))
)


class SignedInVersion:
    """``version(key, role)``: the data version a signed-in page may be kept at, or None.

    Runs its one statement on a DBAPI connection from the engine's pool, without an ORM
    session or a Core connection around it (those cost ~0.1 ms, more than the query):
    the statement is compiled once for the engine's dialect, and its parameters go
    through the column types' own conversions, so they compare as the ORM's would.
    """

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now):
        self._engine = engine
        self._clock = clock
        dialect = engine.dialect
        compiled = _SIGNED_IN_VERSION.compile(dialect=dialect)
        self._sql = str(compiled)
        self._order = list(compiled.positiontup or ()) if compiled.positional else None
        self._convert = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        # What a database that cannot answer raises: the page is then rendered as usual.
        self.errors: tuple[type[BaseException], ...] = (dialect.loaded_dbapi.Error,
                                                        SQLAlchemyError)

    def version(self, key: str, role: str) -> int | None:
        """None when the key is no live sign-in of ``role``, or its scenario has no version."""
        if not key or len(key) > KEY_MAX_LENGTH:
            return None
        values = {"key_hash": key_digest(key), "now": self._clock(), "role": role}
        for name, convert in self._convert.items():
            if convert is not None:
                values[name] = convert(values[name])
        parameters = values if self._order is None else tuple(values[name] for name in self._order)
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self._sql, parameters)
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()  # back to the pool, which ends its transaction if any
        return None if row is None else row[0]

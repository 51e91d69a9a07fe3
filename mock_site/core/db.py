"""The database lifecycle: engine, schema, and one transaction per operation."""

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import MetaData, Select, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

# Execution option that marks a connection's transaction as one that only reads.
READ_ONLY = "shop_read_only"


class ReadOnlyTransaction(RuntimeError):
    """A unit of work opened with ``write=False`` tried to change a row."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL and serialised writers (BEGIN IMMEDIATE).

    Writers take the lock at BEGIN, so two requests racing to cancel the same
    order run one after the other and the second sees the first one's result.
    Readers (connections with the ``READ_ONLY`` execution option) start a plain
    deferred transaction: WAL gives them a snapshot without the writer lock, so page
    views neither wait for writers nor for each other.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class Database:
    """Owns the engine and hands out sessions, each inside one transaction."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        event.listen(self._read_sessions, "before_flush", _refuse_flush)

    def create_schema(self, metadata: MetaData) -> None:
        """Create the tables of ``metadata`` that do not exist yet (``core.models``)."""
        metadata.create_all(self.engine)

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on error.

        ``write=False`` is for work that only reads (showing a page): on SQLite it does
        not take the writer lock, and changing a row in it raises ``ReadOnlyTransaction``.
        Anything that may change data keeps the default, so writers stay serialised.
        """
        sessions = self._sessions if write else self._read_sessions
        with sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _refuse_flush(session: Session, _flush_context, _instances) -> None:
    """Only called when the session has changes to write (``before_flush``)."""
    raise ReadOnlyTransaction("A unit of work opened with write=False cannot change rows.")


# --- locks -------------------------------------------------------------------------------
# Writers that change the same rows lock them in one order, so that none waits on another
# in a circle: the scenario row, then its orders by id. A form's submission key
# (``lock_name``) is only ever wanted by sends of that same form, which take it at the same
# point. SQLite needs none of them: each writer holds the database from BEGIN IMMEDIATE.

T = TypeVar("T")


def _waits_for_locks(session: Session) -> bool:
    return session.get_bind().dialect.name != "sqlite"


def lock_rows(
    session: Session, statement: Select[T], params: Mapping[str, Any] | None = None,
) -> Sequence[T]:
    """The rows of ``statement``, locked until the transaction ends, as the last writer
    to hold them left them.

    One holder at a time (PostgreSQL ``FOR NO KEY UPDATE``, which still lets rows that
    refer to them be added). A lock may have waited for another transaction to commit, so
    everything the session read before it is dropped and read again on use.
    """
    if _waits_for_locks(session):
        session.flush()
        session.expire_all()
    return session.scalars(statement.with_for_update(key_share=True), params).all()


def lock_name(session: Session, name: str) -> None:
    """Hold ``name`` until the transaction ends: another transaction asking for the same
    name waits until this one has committed (a PostgreSQL advisory lock)."""
    if _waits_for_locks(session):
        number = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:number)"), {"number": number})

"""The databases the tests run the storefront on: SQLite always, PostgreSQL when a server
is given (``SHOP_TEST_POSTGRESQL_URL``, which ``scripts/run_tests.sh`` sets from
``scripts/postgres.sh start``).

Tests take one through the ``database_kind`` parameter (tests/conftest.py); each gets
fresh databases from a ``DatabaseServer``: a copied file on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL, so every test starts from the same untouched state either way.
On PostgreSQL a copy a test has finished with is reset to its template's rows and
sequences and handed to the next test: a fifth of the server's work of a new copy.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, MetaData, Table, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

POSTGRESQL_URL_VARIABLE = "SHOP_TEST_POSTGRESQL_URL"


class DatabaseKind(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


class PostgresqlUnavailable(RuntimeError):
    """PostgreSQL was asked for (the variable, or CI) but cannot be used."""


def postgresql_url() -> str | None:
    return os.environ.get(POSTGRESQL_URL_VARIABLE) or None


def postgresql_required() -> bool:
    """On CI, and whenever a server is named, a run without PostgreSQL is a failed run."""
    return bool(postgresql_url() or os.environ.get("CI"))


def database_kinds() -> list[DatabaseKind]:
    """SQLite always; PostgreSQL when a server is named."""
    return [DatabaseKind.SQLITE] + ([DatabaseKind.POSTGRESQL] if postgresql_url() else [])


def check_postgresql() -> str:
    """The server's version; ``PostgresqlUnavailable`` with the reason when it is not usable."""
    url = postgresql_url()
    if url is None:
        raise PostgresqlUnavailable(
            f"PostgreSQL is required here (CI is set) but {POSTGRESQL_URL_VARIABLE} is not;"
            " run the tests with scripts/run_tests.sh, which starts a throwaway server")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SHOW server_version"))
    except SQLAlchemyError as error:
        raise PostgresqlUnavailable(
            f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)}"
            f" ({POSTGRESQL_URL_VARIABLE}) cannot be reached: {error.__class__.__name__}:"
            f" {str(error.orig if hasattr(error, 'orig') else error).strip()}") from error
    finally:
        engine.dispose()


class DatabaseServer(Protocol):
    """Where a test's databases come from."""

    kind: DatabaseKind

    def empty(self) -> str:
        """The URL of a new, empty database."""

    def copy(self, template_url: str) -> str:
        """The URL of a new database holding what ``template_url``'s holds (nobody may be
        connected to that one)."""

    def drop(self, url: str) -> None:
        """Throw a database away, even with connections still open to it."""

    def close(self) -> None:
        """Throw away every database this server made."""


class SqliteFiles:
    """SQLite: each database a file in its own folder under ``root``."""

    kind = DatabaseKind.SQLITE

    def __init__(self, root: Path):
        self._root = root

    def _folder(self) -> Path:
        folder = self._root / uuid.uuid4().hex[:12]
        folder.mkdir(parents=True)
        return folder

    def empty(self) -> str:
        return f"sqlite:///{self._folder() / 'shop.db'}"

    def copy(self, template_url: str) -> str:
        # The template's last connection checkpointed its WAL, so the file is complete.
        source = Path(make_url(template_url).database)
        target = self._folder() / source.name
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        shutil.rmtree(Path(make_url(url).database).parent, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)


@dataclass(frozen=True)
class Contents:
    """What a database holds, as rows and sequences: enough to put a copy back the way
    its template is (tables are listed parents first)."""

    tables: list[Table]
    rows: dict[str, list[dict[str, Any]]]
    sequences: dict[str, tuple[int, bool]]  # name: (value, whether it has been used)

    @classmethod
    def read(cls, engine: Engine) -> Contents:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        with engine.connect() as connection:
            rows = {table.name: [dict(row._mapping) for row in connection.execute(table.select())]
                    for table in metadata.sorted_tables}
            sequences = {
                name: (start if value is None else value, value is not None)
                for name, start, value in connection.execute(text(
                    "SELECT schemaname || '.' || sequencename, start_value, last_value"
                    " FROM pg_sequences"))
            }
        return cls(metadata.sorted_tables, rows, sequences)

    def restore(self, engine: Engine) -> None:
        """Make ``engine``'s database (a copy of the same template) hold this again."""
        with engine.begin() as connection:
            for table in reversed(self.tables):
                connection.execute(table.delete())
            for table in self.tables:
                if self.rows[table.name]:
                    connection.execute(table.insert(), self.rows[table.name])
            for name, (value, used) in self.sequences.items():
                connection.execute(text("SELECT setval(:name, :value, :used)"),
                                   {"name": name, "value": value, "used": used})


class PostgresqlDatabases:
    """PostgreSQL: databases named ``shoptest_<owner>_<n>`` on the server at ``url``.

    A copy that is dropped is kept and reset for the next ``copy`` of the same template
    (tests/mock_site/web/test_database_copies.py holds a reset copy to a fresh one)."""

    kind = DatabaseKind.POSTGRESQL

    def __init__(self, url: str, owner: str):
        self._url = make_url(url)
        self._prefix = f"shoptest_{owner}_{uuid.uuid4().hex[:6]}"
        self._made: list[str] = []
        self._template_of: dict[str, str] = {}  # each copy's template
        self._spare: dict[str, list[str]] = {}  # per template, copies free to reset
        self._contents: dict[str, Contents] = {}  # per template, what a copy must hold
        # CREATE and DROP DATABASE cannot run inside a transaction.
        self._admin = create_engine(self._url, isolation_level="AUTOCOMMIT", pool_size=1)

    def _new_name(self) -> str:
        name = f"{self._prefix}_{len(self._made)}"
        self._made.append(name)
        return name

    def _url_of(self, name: str) -> str:
        return self._url.set(database=name).render_as_string(hide_password=False)

    @contextmanager
    def _engine(self, name: str) -> Iterator[Engine]:
        engine = create_engine(self._url_of(name), poolclass=NullPool)
        try:
            yield engine
        finally:
            engine.dispose()

    def empty(self) -> str:
        name = self._new_name()
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return self._url_of(name)

    def copy(self, template_url: str) -> str:
        template = make_url(template_url).database
        if spare := self._spare.get(template):
            name = spare.pop()
            if template not in self._contents:
                with self._engine(template) as engine:
                    self._contents[template] = Contents.read(engine)
            with self._engine(name) as engine:
                self._contents[template].restore(engine)
            return self._url_of(name)
        name = self._new_name()
        with self._admin.connect() as connection:
            # FILE_COPY copies the template's files at once; the default (WAL_LOG) writes
            # every page through the log, slower for a database this small.
            connection.exec_driver_sql(
                f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        self._template_of[name] = template
        return self._url_of(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        if template := self._template_of.get(name):
            # Whatever is still connected goes, as DROP … WITH (FORCE) would make it.
            with self._admin.connect() as connection:
                connection.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
            self._spare.setdefault(template, []).append(name)
            return
        self._drop(name)

    def _drop(self, name: str) -> None:
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in reversed(self._made):
            self._drop(name)
        self._admin.dispose()


def open_database_server(kind: DatabaseKind, root: Path, owner: str) -> DatabaseServer:
    """Databases of ``kind`` for one test process (``owner``: its xdist worker id)."""
    if kind is DatabaseKind.SQLITE:
        return SqliteFiles(root)
    url = postgresql_url()
    if url is None:
        raise PostgresqlUnavailable(f"{POSTGRESQL_URL_VARIABLE} is not set")
    return PostgresqlDatabases(url, owner)

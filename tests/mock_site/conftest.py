"""Unit tests: the rules as plain functions, the services against a real SQLite file.

Each test that touches the database gets a fresh one in its own temporary folder.
"""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from mock_site.core.db import Database
from mock_site.core.models import Base
from tests.support.worlds import World, create_world


def skip_fsync(dbapi_connection, _record) -> None:
    """Commit without waiting for the disk: the same transactions, without the fsync waits.

    Only durability after a power cut is given up, and no test is about that.
    """
    dbapi_connection.execute("PRAGMA synchronous=OFF")


def open_database(folder: Path) -> Database:
    """The database in ``folder`` (made if missing), with the schema."""
    database = Database(f"sqlite:///{folder}/shop.db")
    event.listen(database.engine, "connect", skip_fsync)
    database.create_schema(Base.metadata)
    return database


@pytest.fixture
def new_database(tmp_path) -> Iterator[Callable[[], Database]]:
    """Make fresh databases, each its own file; all are disposed of when the test ends."""
    made: list[Database] = []

    def make() -> Database:
        made.append(open_database(tmp_path / f"db-{len(made)}"))
        return made[-1]

    yield make
    for database in made:
        database.dispose()


@pytest.fixture
def db(new_database) -> Database:
    """This test's own fresh database."""
    return new_database()


@pytest.fixture
def make_world(db) -> Callable[[str], World]:
    """Create a scenario by name in this test's database: ``make_world("store-coupon")``."""
    return lambda name: create_world(db, name)


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory) -> Callable[[str], tuple[Path, World]]:
    """A database folder holding only the named scenario, made once per test session."""
    made: dict[str, tuple[Path, World]] = {}

    def template(name: str) -> tuple[Path, World]:
        if name not in made:
            folder = tmp_path_factory.mktemp(f"template-{name}")
            database = open_database(folder)
            world = create_world(database, name)
            database.dispose()  # checkpoints the WAL into shop.db
            made[name] = (folder, world)
        return made[name]

    return template


@pytest.fixture
def copy_world(tmp_path, scenario_template) -> Iterator[Callable[[str], tuple[Database, World]]]:
    """A fresh database holding a copy of the named scenario, for property tests.

    Copying a file made once is much faster than creating the scenario again (password
    hashing), and each example still starts from its own untouched database.
    """
    made: list[Database] = []

    def copy(name: str) -> tuple[Database, World]:
        source, world = scenario_template(name)
        folder = tmp_path / f"copy-{len(made)}"
        shutil.copytree(source, folder)
        made.append(open_database(folder))
        return made[-1], world

    yield copy
    for database in made:
        database.dispose()

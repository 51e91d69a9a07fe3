"""Each HTTP test's database starts as a fresh copy of the seeded template would, also when
it is a copy an earlier test used and dropped (PostgreSQL resets those for reuse)."""

from __future__ import annotations

from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.pool import NullPool

from mock_site.core.settings import Settings
from mock_site.web.app import create_app
from tests.support.databases import DatabaseKind, DatabaseServer
from tests.support.worlds import create_world


def snapshot(url: str) -> dict:
    """Every row of every table, and on PostgreSQL each sequence's state."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        with engine.connect() as connection:
            seen: dict = {
                table.name: sorted(map(repr, connection.execute(table.select())))
                for table in metadata.sorted_tables
            }
            if engine.dialect.name == "postgresql":
                seen["sequences"] = connection.execute(text(
                    "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")).all()
        return seen
    finally:
        engine.dispose()


def test_a_used_copy_comes_back_as_a_fresh_one(
    database_server: DatabaseServer, seeded_template: str
):
    fresh = database_server.copy(seeded_template)
    used = database_server.copy(seeded_template)
    app = create_app(Settings(database_url=used))
    create_world(app.state.db, "showcase")  # rows in most tables, every sequence moved
    left_open = create_engine(used, poolclass=NullPool).connect()  # as a killed server leaves
    assert snapshot(used) != snapshot(fresh)

    database_server.drop(used)
    again = database_server.copy(seeded_template)

    if database_server.kind is DatabaseKind.POSTGRESQL:
        assert again == used, "the dropped copy is the one handed out again"
    assert snapshot(again) == snapshot(fresh)
    left_open.invalidate()
    app.state.db.dispose()
    for url in (fresh, again):
        database_server.drop(url)

"""Retention: practice copies idle for longer than the setting go with every row they own,
expired records go, and everything else stays (on SQLite and PostgreSQL)."""

import secrets
from datetime import UTC, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from domain.scenarios import DEMO_TOKEN
from mock_site.__main__ import main
from mock_site.core.models import (
    AnsweredForm,
    AttemptWindow,
    Scenario,
    SignIn,
    SignInTicket,
)
from mock_site.core.settings import Settings
from mock_site.core.sign_ins import utc_now
from mock_site.services.retention import prune
from mock_site.web.app import create_app
from tests.security.shop import snapshot
from tests.support.coach import start_tour
from tests.support.forms import form_of

IDLE = timedelta(hours=24)
LONG_AGO = timedelta(hours=25)
# The creation limit's own counts come and go with time, not with copies.
NOT_OWNED = {"attempt_windows"}


def used_copy(app: FastAPI) -> str:
    """A copy with a row in every table a copy owns: a coupon on its items, a cancellation
    and its refund, a message, the timeline, a session, an unused sign-in ticket, a
    form's answer; and a coached practice on a copy of its own."""
    client = TestClient(app)
    started = client.post("/api/scenarios", json={"name": "platform-coupon"}).json()
    number = started["orders"][0]["number"]
    assert client.get(started["buyer_sign_in_url"]).url.path == "/orders"
    cancel = f"/orders/{number}/cancel"
    assert client.post(cancel, data=form_of(client, cancel, reason="changed_mind")).status_code == 200
    messages = f"/orders/{number}/messages"
    client.post(messages, data=form_of(client, messages, body="Is it cancelled?"))
    coached = TestClient(app)
    start_tour(coached, "post-verification", secrets.token_urlsafe(18), follow_redirects=True)
    assert coached.get("/coach/tour").status_code == 200
    return started["token"]


def age(app: FastAPI, *tokens: str) -> None:
    """The copies ``tokens`` (every copy, if none) were last used 25 hours ago."""
    when = utc_now() - LONG_AGO
    with app.state.db.transaction() as session:
        statement = update(Scenario).values(last_used=when)
        session.execute(statement.where(Scenario.token.in_(tokens)) if tokens else statement)


def tokens(app: FastAPI) -> set[str]:
    with app.state.db.transaction(write=False) as session:
        return set(session.scalars(select(Scenario.token)))


def owned(rows: dict[str, list[tuple]]) -> dict[str, set[str]]:
    return {table: {repr(row) for row in found} for table, found in rows.items()
            if table not in NOT_OWNED}


def test_prune_deletes_exactly_the_idle_copies_with_every_row(app):
    age(app)  # the demo too: it is never deleted, however long unused
    before = owned(snapshot(app))
    used_copy(app)
    age(app, *(tokens(app) - {DEMO_TOKEN}))
    with_idle = owned(snapshot(app))
    used_copy(app)
    with_kept = owned(snapshot(app))

    pruned = prune(app.state.db, IDLE)

    after = owned(snapshot(app))
    assert pruned.copies == 2  # the used copy and its coached practice's copy
    for table in with_idle:
        assert with_idle[table] - before[table], f"no idle row in {table}: the test misses it"
        assert after[table] == before[table] | (with_kept[table] - with_idle[table]), table
    assert DEMO_TOKEN in tokens(app)


def test_a_copy_used_again_is_kept(app):
    token = used_copy(app)
    age(app, token)
    client = TestClient(app)
    link = client.post(f"/api/scenarios/{token}/sign-in-links", json={"role": "buyer"}).json()
    client.get(link["url"])  # the trainee signs in again: the copy is in use

    prune(app.state.db, IDLE)

    assert token in tokens(app)


def test_expired_records_go_and_live_ones_stay(app):
    now = utc_now()
    with app.state.db.transaction() as session:
        account_id = session.scalar(text("SELECT id FROM accounts ORDER BY id LIMIT 1"))
        for name, lifetime in (("old", -timedelta(minutes=1)), ("live", timedelta(hours=1))):
            session.add_all([
                SignIn(key_hash=f"{name}-session", account_id=account_id, started_at=now,
                       expires_at=now + lifetime),
                SignInTicket(key_hash=f"{name}-ticket", account_id=account_id,
                             expires_at=now + lifetime),
                AnsweredForm(key_hash=f"{name}-form", account_id=account_id,
                             answered_at=now + lifetime - timedelta(days=1), redirect_to="/",
                             message="", kind="success"),
                AttemptWindow(key=f"{name}-window", entries="",
                              expires_at=(now + lifetime).replace(tzinfo=UTC).timestamp()),
            ])

    pruned = prune(app.state.db, IDLE, now)

    assert (pruned.sessions, pruned.tickets, pruned.answered_forms, pruned.attempt_counts) == (
        1, 1, 1, 1)
    keys = {table: {row[0] for row in rows} for table, rows in snapshot(app).items()}
    for table in ("sign_ins", "sign_in_tickets", "answered_forms", "attempt_windows"):
        assert not {key for key in keys[table] if str(key).startswith("old-")}, table
        assert {key for key in keys[table] if str(key).startswith("live-")}, table


def test_the_prune_command_deletes_idle_copies(app, database_url, capsys):
    token = used_copy(app)
    age(app, *(tokens(app) - {DEMO_TOKEN}))

    main(["prune", "--database", database_url])

    assert "copies: 2" in capsys.readouterr().out
    assert token not in tokens(app)


def test_the_storefront_prunes_on_start(database_url):
    first = create_app(Settings(database_url=database_url))
    token = used_copy(first)
    age(first, token)
    first.state.db.dispose()
    app = create_app(Settings(database_url=database_url, prune_every_seconds=3600))
    try:
        with TestClient(app):
            assert app.state.retention.pruned_once.wait(timeout=60)
            assert token not in tokens(app)
            assert DEMO_TOKEN in tokens(app)
    finally:
        app.state.db.dispose()


@pytest.mark.sqlite_only
def test_a_database_from_before_keeps_its_copies_for_a_full_idle_time(database_url):
    """Copies made before their last use was kept count as used when first pruned."""
    app = create_app(Settings(database_url=database_url))
    token = used_copy(app)
    with app.state.db.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_scenarios_last_used"))
        connection.execute(text("ALTER TABLE scenarios DROP COLUMN last_used"))
    app.state.db.dispose()

    app = create_app(Settings(database_url=database_url))
    try:
        prune(app.state.db, IDLE)
        assert token in tokens(app)
        prune(app.state.db, IDLE, utc_now() + LONG_AGO)
        assert token not in tokens(app)
    finally:
        app.state.db.dispose()

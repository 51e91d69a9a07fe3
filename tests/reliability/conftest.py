"""Reliability tests: a real storefront process (``python -m mock_site``) on a free
loopback port with its own SQLite file, which a test may kill outright and start again
on the same file; plus HTTP clients that sign in the way a browser does."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from flows.live_server import ROOT, answers, free_port, storefront_command

START_TIMEOUT_S = 30.0
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class StorefrontProcess:
    """One storefront process on ``database``; ``kill`` is SIGKILL, nothing tidied up."""

    def __init__(self, database: Path):
        self.database = database
        self.process: subprocess.Popen | None = None
        self.base_url = ""
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())

    def start(self) -> str:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        command = storefront_command(port, f"sqlite:///{self.database}")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not answers(self.base_url):
            # wait on the process itself (not a sleep): it returns early only if it died
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=0.05)
            if self.process.poll() is not None or time.monotonic() > deadline:
                self._log.seek(0)
                output = self._log.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"the storefront did not start:\n{output}")
        return self.base_url

    def kill(self) -> None:
        """SIGKILL: no shutdown, no checkpoint, open transactions cut off where they are."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def sql(self, query: str, *params) -> list[tuple]:
        """Read the database file directly, as a second process would."""
        with closing(sqlite3.connect(self.database, timeout=30)) as connection:
            return connection.execute(query, params).fetchall()


@pytest.fixture
def storefront_process(tmp_path) -> Iterator[StorefrontProcess]:
    """A storefront of this test's own, not started yet (the test starts and kills it)."""
    shop = StorefrontProcess(tmp_path / "shop.db")
    try:
        yield shop
    finally:
        shop.stop()


@pytest.fixture(scope="module")
def shared_storefront(tmp_path_factory) -> Iterator[StorefrontProcess]:
    """One running storefront for a module whose tests each start their own scenarios."""
    shop = StorefrontProcess(tmp_path_factory.mktemp("shop") / "shop.db")
    try:
        shop.start()
        yield shop
    finally:
        shop.stop()


@pytest.fixture
def storefront(shared_storefront) -> str:
    return shared_storefront.base_url


# --- acting like a browser ----------------------------------------------------------------

def client(base_url: str, **options) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60, **options)


def csrf_of(http: httpx.Client, page: str = "/login") -> str:
    match = CSRF_RE.search(http.get(page).text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def start_scenario(http: httpx.Client, name: str) -> dict:
    response = http.post("/api/scenarios", json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()


def state(http: httpx.Client, token: str) -> dict:
    response = http.get(f"/api/scenarios/{token}")
    assert response.status_code == 200, response.text
    return response.json()


def signed_in(base_url: str, token: str, role: str) -> tuple[httpx.Client, str]:
    """A browser signed in as the scenario's buyer or seller, and its form token."""
    http = client(base_url)
    http.get(f"/trainer/{token}/{role}")
    assert http.cookies.get("shop_session")
    return http, csrf_of(http, "/seller" if role == "seller" else "/orders")


def same_browser(base_url: str, original: httpx.Client) -> httpx.Client:
    """Another connection carrying the same session cookie (another tab, a double click)."""
    return client(base_url, cookies={"shop_session": original.cookies["shop_session"]})

"""A real storefront process (``python -m mock_site``, optionally ``--workers N``) on a free
loopback port and its own database, which a test may kill outright and start again on
the same database.

Built on ``flows.run.live_server`` (the port, the command, the probe); unlike its ``serve``
block, this one can be killed and started again without losing the database.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from flows.run.live_server import ROOT, ServerStartError, answers, free_port, storefront_command
from tests.support.databases import DatabaseServer

START_TIMEOUT_S = 30.0


class StorefrontProcess:
    """A storefront on ``database_url``; ``kill`` is SIGKILL, nothing tidied up.

    With ``workers`` > 1 it is uvicorn's supervisor and its worker processes, started as a
    process group of their own so that a kill reaches every one of them. ``env`` adds to
    the environment it starts with.
    """

    def __init__(self, database_url: str, workers: int = 1, env: dict[str, str] | None = None):
        self.database_url = database_url
        self.workers = workers
        self.env = env or {}
        self.process: subprocess.Popen | None = None
        self.base_url = ""
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())

    @property
    def sqlite_file(self) -> Path | None:
        """The database file when the database is SQLite."""
        url = make_url(self.database_url)
        return Path(url.database) if url.get_backend_name() == "sqlite" else None

    def start(self) -> str:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        command = storefront_command(port, self.database_url)
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, **self.env})
        deadline = time.monotonic() + START_TIMEOUT_S
        while not answers(self.base_url):
            # wait on the process itself (not a sleep): it returns early only if it died
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=0.05)
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise ServerStartError(f"the storefront did not start:\n{self.output()}")
        return self.base_url

    def output(self) -> str:
        """The last of what the processes printed."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-2000:]

    def kill(self) -> None:
        """SIGKILL: no shutdown, no checkpoint, open transactions cut off where they are."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # uvicorn's workers too
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # uvicorn's supervisor stops its workers
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # no worker outlives the test
        self._log.close()

    def sql(self, query: str, **params) -> list[tuple]:
        """Read the database directly, as another process would (``:name`` parameters)."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(query), params)]
        finally:
            engine.dispose()


@contextlib.contextmanager
def running_storefront(database_server: DatabaseServer, **options) -> Iterator[StorefrontProcess]:
    """A storefront process started on a new empty database; stopped and dropped after."""
    url = database_server.empty()
    shop = StorefrontProcess(url, **options)
    try:
        shop.start()
        yield shop
    finally:
        shop.stop()
        database_server.drop(url)


def child_pids(pid: int) -> list[int]:
    """The processes ``pid`` started (uvicorn's workers, for its supervisor)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(part) for part in children.read_text().split()] if children.exists() else []


def serving_pid(pids: list[int], server_port: int, client_port: int) -> int | None:
    """Which of ``pids`` holds the server's end of the loopback connection from
    ``client_port`` to ``server_port`` (read from /proc, Linux only)."""
    local = f"0100007F:{server_port:04X}"
    remote = f"0100007F:{client_port:04X}"
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[2] == remote:
            inode = fields[9]
    if inode is None:
        return None
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) == f"socket:[{inode}]":
                        return pid
    return None

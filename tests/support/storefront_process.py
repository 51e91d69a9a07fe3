"""A real storefront process (``python -m mock_site``) on a free loopback port and its own
SQLite file, which a test may kill outright and start again on the same file.

Built on ``flows.live_server`` (the port, the command, the probe); unlike its ``serve``
block, this one can be killed and started again without losing the file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import tempfile
import time
from contextlib import closing
from pathlib import Path

from flows.live_server import ROOT, ServerStartError, answers, free_port, storefront_command

START_TIMEOUT_S = 30.0


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
                raise ServerStartError(f"the storefront did not start:\n{output}")
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

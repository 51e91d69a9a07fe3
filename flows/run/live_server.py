"""Start a server on a free local port for as long as a ``with`` block lasts.

Used by the CLI when no storefront answers, and by end-to-end fixtures. The server
is polled until it answers (bounded), and is always stopped, even on errors.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
PROBE_PATH = "/api/scenarios"
COPIES_PER_MINUTE = "SHOP_PRACTICE_COPIES_PER_MINUTE"


class ServerStartError(RuntimeError):
    """The server exited or did not answer in time; the message carries its output."""


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(base_url: str, path: str = PROBE_PATH, timeout_s: float = 1.0) -> bool:
    """Whether something at ``base_url`` answers ``path`` without a server error."""
    try:
        return httpx.get(base_url.rstrip("/") + path, timeout=timeout_s).status_code < 500
    except httpx.HTTPError:
        return False


@contextmanager
def serve(
    command: Sequence[str],
    base_url: str,
    *,
    cwd: Path = ROOT,
    probe: Callable[[str], bool] = answers,
    timeout_s: float = 30.0,
    interval_s: float = 0.1,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run ``command`` until the block ends; yields ``base_url`` once ``probe`` says yes.
    ``env`` adds to the environment it runs in."""
    with tempfile.TemporaryFile() as log:
        # A session of its own: stopping it stops whatever it started too (a browser that a
        # wrapper script starts as its child, uvicorn's workers).
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **env} if env else None,
                                   start_new_session=True)
        try:
            deadline = time.monotonic() + timeout_s
            while not probe(base_url):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-2000:]
                    state = (
                        f"exited with status {process.returncode}"
                        if process.returncode is not None
                        else f"did not answer within {timeout_s:g} s"
                    )
                    raise ServerStartError(f"{' '.join(command[:3])} … {state}\n{output}")
                time.sleep(interval_s)
            yield base_url
        finally:
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(process.pid, signum)


def storefront_command(port: int, database_url: str, python: str = sys.executable) -> list[str]:
    return [python, "-m", "mock_site", "--port", str(port), "--database", database_url]


@contextmanager
def live_storefront(data_dir: Path | None = None, *, timeout_s: float = 30.0) -> Iterator[str]:
    """A storefront with its own database in ``data_dir`` (a temporary one by default)."""
    with tempfile.TemporaryDirectory(prefix="shop-") as scratch:
        folder = data_dir or Path(scratch)
        port = free_port()
        command = storefront_command(port, f"sqlite:///{folder / 'shop.db'}")
        # A run's own storefront: its only client, the runner, starts a copy per flow.
        with serve(command, f"http://127.0.0.1:{port}", timeout_s=timeout_s,
                   env={COPIES_PER_MINUTE: os.environ.get(COPIES_PER_MINUTE, "100000")}
                   ) as base_url:
            yield base_url

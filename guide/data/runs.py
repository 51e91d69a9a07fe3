"""Read the latest-run report that ``python -m flows run`` (or ``record``) writes, and
start and follow a run from the guide.

The shape is ``flowspec.contract.RunReport``; image paths in it are relative to the
repository root.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from flowspec.contract import (
    ContractError,
    ContractModel,
    JobFinished,
    Problem,
    RunFinished,
    RunReport,
    RunStarted,
    StepFinished,
    read_event,
    read_run_report,
)
from guide.data import config


class RunReportMissing(FileNotFoundError):
    pass


def load_run_report(path: Path | None = None) -> RunReport:
    path = Path(path or config.settings().run_report)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise RunReportMissing(config.shown_path(path)) from None
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@st.cache_data(show_spinner=False, max_entries=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> RunReport:
    """Parse the report; the stat values are only there to key the cache."""
    return read_run_report(Path(path))


def report_image(relative: str | None) -> Path | None:
    """An image named in the report (relative to the repository root), if it exists."""
    if not relative:
        return None
    path = config.ROOT / relative
    return path if path.is_file() else None


def when(moment: datetime | str | None) -> str:
    """``2026-03-02T09:00:00+00:00`` as ``2 Mar 2026, 09:00 UTC``; other text as given."""
    if not moment:
        return "unknown"
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            return moment
        moment = parsed
    zone = f" {moment.tzname()}" if moment.tzinfo else ""
    return f"{moment.day} {moment:%b %Y, %H:%M}{zone}"


# --- a run started from the guide ----------------------------------------------------------
#
# The run is a background process (``python -m flows run --progress json``) whose events go
# to a file; a lock file names its process. Both live on disk beside the run report, so the
# page can be left, reloaded or opened in another tab and still find the run, and a second
# start, from any session, is refused while the first one is under way.

LOCK_NAME = "run.lock"
EVENTS_NAME = "progress.jsonl"
ERRORS_NAME = "stderr.log"


class RunUnderWay(RuntimeError):
    """A run started from the guide has not finished yet; the text says since when."""


@dataclass(frozen=True)
class RunOptions:
    """What to run: flow ids (none: all), a device (``all``, ``desktop``, ``phone``)."""

    flows: tuple[str, ...] = ()
    device: str = "all"
    retries: int = 0
    base_url: str | None = None

    def command(self, output: Path, python: str = sys.executable) -> list[str]:
        command = [python, "-m", "flows", "run", *self.flows, "--device", self.device]
        command += ["--progress", "json", "--output", str(output)]
        command += ["--report", str(output / "report"), "--retries", str(self.retries)]
        if self.base_url:
            command += ["--base-url", self.base_url]
        return command


@dataclass(frozen=True)
class RunProgress:
    """What the run's events say so far."""

    events: tuple[ContractModel, ...]
    under_way: bool

    @property
    def started(self) -> RunStarted | None:
        return next((e for e in self.events if isinstance(e, RunStarted)), None)

    @property
    def steps(self) -> list[StepFinished]:
        return [e for e in self.events if isinstance(e, StepFinished)]

    @property
    def jobs(self) -> list[JobFinished]:
        return [e for e in self.events if isinstance(e, JobFinished)]

    @property
    def problem(self) -> Problem | None:
        return next((e for e in self.events if isinstance(e, Problem)), None)

    @property
    def finished(self) -> RunFinished | None:
        return next((e for e in self.events if isinstance(e, RunFinished)), None)

    def fraction(self) -> float:
        """Steps done of those announced (retried steps count once)."""
        started = self.started
        if started is None or not started.steps:
            return 0.0
        done = sum(step.attempt == 1 for step in self.steps)
        return min(1.0, done / started.steps)


def run_folder() -> Path:
    """Where the guide keeps its run's lock and events: beside the run report."""
    return config.settings().run_report.parent / "guide-run"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs; reaps it when it is this process's child."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        return finished == 0
    except ChildProcessError:  # not our child (the guide was restarted): ask the system
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _lock_owner(folder: Path) -> dict | None:
    """The lock's content while its process runs; a lock left by a finished run is removed."""
    lock = folder / LOCK_NAME
    try:
        owner = json.loads(lock.read_text(encoding="utf-8"))
        pid = int(owner["pid"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError, OSError):
        owner, pid = {}, 0  # being written this instant, or broken: judged by its age below
        if time.time() - lock.stat().st_mtime < 5:
            return {"pid": 0, "started_at": "just now"}
    if pid and _alive(pid):
        return owner
    lock.unlink(missing_ok=True)
    return None


def start_run(
    options: RunOptions,
    folder: Path | None = None,
    *,
    popen: Callable[..., subprocess.Popen] = subprocess.Popen,
    command: Sequence[str] | None = None,
) -> subprocess.Popen:
    """Start a run in the background; RunUnderWay when one already is."""
    folder = folder or run_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _lock_owner(folder)  # clears a lock a finished run left behind
    try:
        handle = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        owner = _lock_owner(folder) or {}
        raise RunUnderWay(
            f"A run is under way (started {when(owner.get('started_at'))}, process"
            f" {owner.get('pid')}): wait for it to finish, it is shown below."
        ) from None
    try:
        output = config.settings().run_report.parent
        argv = list(command or options.command(output))
        with (
            open(folder / EVENTS_NAME, "wb") as events,
            open(folder / ERRORS_NAME, "wb") as errors,
        ):
            process = popen(
                argv, cwd=config.ROOT, stdout=events, stderr=errors, stdin=subprocess.DEVNULL
            )
        started = datetime.now(UTC).replace(microsecond=0).isoformat()
        os.write(handle, json.dumps({"pid": process.pid, "started_at": started}).encode())
    except BaseException:
        (folder / LOCK_NAME).unlink(missing_ok=True)
        raise
    finally:
        os.close(handle)
    return process


def run_progress(folder: Path | None = None) -> RunProgress | None:
    """The guide's latest run as its events say, or None when none was started."""
    folder = folder or run_folder()
    try:
        lines = (folder / EVENTS_NAME).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    events = []
    for line in lines:
        try:
            events.append(read_event(line))
        except ContractError:
            continue  # a line still being written, or a stray print
    under_way = _lock_owner(folder) is not None
    if not under_way and not events:
        errors = (folder / ERRORS_NAME).read_text(encoding="utf-8", errors="replace").strip()
        if errors:
            events.append(Problem(text=errors.splitlines()[-1]))
    return RunProgress(tuple(events), under_way)

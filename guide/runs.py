"""Read the latest-run report that ``python -m flows run`` (or ``record``) writes.

The shape is in docs/architecture.md; image paths in it are relative to the
repository root.
"""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import streamlit as st

from guide import config

STATUSES = ("passed", "failed", "skipped")


class RunReportMissing(FileNotFoundError):
    pass


class RunReportError(ValueError):
    """The report exists but cannot be used; the message says why."""


@dataclass(frozen=True)
class StepResult:
    flow: str
    device: str
    step: int
    step_id: str
    status: str
    message: str
    duration_ms: int | None
    expected: str | None
    actual: str | None
    diff: str | None


@dataclass(frozen=True)
class RunReport:
    kind: str
    started_at: str | None
    finished_at: str | None
    results: tuple[StepResult, ...]

    def counts(self) -> Counter:
        return Counter(r.status for r in self.results)

    def groups(self) -> dict[tuple[str, str], list[StepResult]]:
        """Results per (flow, device), in the order the run produced them."""
        grouped: dict[tuple[str, str], list[StepResult]] = {}
        for result in self.results:
            grouped.setdefault((result.flow, result.device), []).append(result)
        return grouped


def load_run_report(path: Path | None = None) -> RunReport:
    path = Path(path or config.run_report_path())
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise RunReportMissing(config.shown_path(path)) from None
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@st.cache_data(show_spinner=False, max_entries=8)
def _load_cached(path: str, mtime_ns: int, size: int) -> RunReport:
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise RunReportError(f"{name} could not be read: {error}") from None
    except json.JSONDecodeError as error:
        raise RunReportError(
            f"{name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    return parse_run_report(data, name)


def parse_run_report(data: object, name: str = "latest-run.json") -> RunReport:
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise RunReportError(f'{name} must be an object with a "results" list.')
    results = []
    for number, row in enumerate(data["results"], 1):
        if not isinstance(row, dict):
            raise RunReportError(f"{name}, result {number} must be an object.")
        missing = [k for k in ("flow", "device", "status") if not isinstance(row.get(k), str)]
        if missing:
            raise RunReportError(f'{name}, result {number}: "{missing[0]}" is missing.')
        step = row.get("step")
        results.append(
            StepResult(
                flow=row["flow"],
                device=row["device"],
                step=step if isinstance(step, int) else 0,
                step_id=str(row.get("step_id") or ""),
                status=row["status"],
                message=str(row.get("message") or ""),
                duration_ms=row.get("duration_ms") if isinstance(row.get("duration_ms"), int)
                else None,
                expected=_text(row.get("expected")),
                actual=_text(row.get("actual")),
                diff=_text(row.get("diff")),
            )
        )
    return RunReport(
        kind=str(data.get("kind") or "run"),
        started_at=_text(data.get("started_at")),
        finished_at=_text(data.get("finished_at")),
        results=tuple(results),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def report_image(relative: str | None) -> Path | None:
    """An image named in the report (relative to the repository root), if it exists."""
    if not relative:
        return None
    path = config.ROOT / relative
    return path if path.is_file() else None


def when(iso: str | None) -> str:
    """``2026-03-02T09:00:00+00:00`` as ``2 Mar 2026, 09:00``; anything else as given."""
    if not iso:
        return "unknown"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = f" {moment.tzname()}" if moment.tzinfo else ""
    return f"{moment.day} {moment:%b %Y, %H:%M}{zone}"

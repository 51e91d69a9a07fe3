"""Read the latest-run report that ``python -m flows run`` (or ``record``) writes.

The shape is ``flows.contract.RunReport``; image paths in it are relative to the
repository root.
"""

from datetime import datetime
from pathlib import Path

import streamlit as st

from flows.contract import RunReport, read_run_report
from guide import config


class RunReportMissing(FileNotFoundError):
    pass


def load_run_report(path: Path | None = None) -> RunReport:
    path = Path(path or config.run_report_path())
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
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    zone = f" {moment.tzname()}" if moment.tzinfo else ""
    return f"{moment.day} {moment:%b %Y, %H:%M}{zone}"

"""Where the guide finds its data, read from the environment on every call.

Reading on every call (not once at import) lets tests point one process at many
temporary recordings folders.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RECORDINGS = Path("flows") / "recordings"
DEFAULT_RUN_REPORT = Path("output") / "flows" / "latest-run.json"
DEFAULT_STOREFRONT = "http://127.0.0.1:8000"


def _from_root(value: str | None, default: Path) -> Path:
    path = Path(value) if value else default
    return path if path.is_absolute() else ROOT / path


def recordings_dir() -> Path:
    """The folder holding ``manifest.json`` and the screenshots (``GUIDE_RECORDINGS_DIR``)."""
    return _from_root(os.environ.get("GUIDE_RECORDINGS_DIR"), DEFAULT_RECORDINGS)


def run_report_path() -> Path:
    """The latest regression or recording run (``GUIDE_RUN_REPORT``)."""
    return _from_root(os.environ.get("GUIDE_RUN_REPORT"), DEFAULT_RUN_REPORT)


def storefront_url() -> str:
    """The live storefront used by practice mode (``GUIDE_STOREFRONT_URL``), no trailing slash."""
    return (os.environ.get("GUIDE_STOREFRONT_URL") or DEFAULT_STOREFRONT).rstrip("/")


def shown_path(path: Path) -> str:
    """A path as the guide prints it: relative to the repository when it lies inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)

"""What every benchmark shares: figures, summary statistics, and writing the results.

Results go to ``bench/results/<name>.json`` (every figure, machine-readable) and
``bench/results/<name>.md`` (a short table). Paths written into them are relative to the
repository, so the files read the same on any machine.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
from argparse import ArgumentParser
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = sys.executable
# What the quick runs of the scripts that run tests run: one small file, no browser.
QUICK_TESTS = "tests/bench/test_load_generator.py"


@dataclass(frozen=True)
class Figure:
    """One measured value, with its unit and (when there is one) the target it is held to."""

    name: str
    value: float | int | str | None
    unit: str = ""
    target: str = ""
    met: bool | None = None

    def shown(self) -> str:
        if self.value is None:
            return "n/a"
        if isinstance(self.value, float):
            text = f"{self.value:,.3f}" if abs(self.value) < 10 else f"{self.value:,.1f}"
        elif isinstance(self.value, int):
            text = f"{self.value:,}"
        else:
            text = str(self.value)
        return f"{text} {self.unit}".strip()

    def verdict(self) -> str:
        return {True: "met", False: "NOT met", None: ""}[self.met]


QUICK_HELP = ("the smallest honest run (seconds, not minutes), its results written to a "
              "temporary folder instead of bench/results")


def add_quick_option(parser: ArgumentParser) -> None:
    """``--quick``: what the quick-run test (and CI) runs to show the script still works."""
    parser.add_argument("--quick", action="store_true", help=QUICK_HELP)


def results_folder(quick: bool) -> Path:
    """Where a run's results go: ``bench/results``, or a fresh temporary folder when quick."""
    return Path(tempfile.mkdtemp(prefix="bench-quick-")) if quick else RESULTS_DIR


def shown_path(path: Path) -> str:
    """``path`` relative to the repository when inside it, as it is otherwise."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100), nearest-rank: a value that was actually seen."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def spread(values: Sequence[float]) -> dict[str, float | int | None]:
    """min / median / mean / max / count, for the JSON."""
    return {
        "count": len(values),
        "min": min(values) if values else None,
        "median": median(values),
        "mean": statistics.fmean(values) if values else None,
        "max": max(values) if values else None,
    }


def ratio(ours: float | None, baseline: float | None) -> float | None:
    if ours is None or not baseline:
        return None
    return ours / baseline


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict[str, Any]:
    """What the figures were measured on (no host names, no paths)."""
    return {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "load_average_1_5_15": load_average(),
    }


def package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def print_table(title: str, figures: Iterable[Figure]) -> None:
    figures = list(figures)
    print(f"\n{title}")
    width = max((len(f.name) for f in figures), default=10)
    for figure in figures:
        target = f"  (target {figure.target}: {figure.verdict()})" if figure.target else ""
        print(f"  {figure.name:<{width}}  {figure.shown()}{target}")


def write_results(
    name: str,
    title: str,
    figures: Sequence[Figure],
    details: dict[str, Any] | None = None,
    notes: Sequence[str] = (),
    started_at: datetime | None = None,
    command: str | None = None,
    folder: Path = RESULTS_DIR,
) -> tuple[Path, Path]:
    """Write ``<name>.json`` and ``<name>.md`` in ``folder``; print where they went."""
    folder.mkdir(parents=True, exist_ok=True)
    finished = datetime.now(UTC).replace(microsecond=0)
    document = {
        "benchmark": name,
        "title": title,
        "started_at": (started_at or finished).isoformat(),
        "finished_at": finished.isoformat(),
        "command": command or f".venv/bin/python -m bench.{name}",
        "machine": machine(),
        "figures": [
            {"name": f.name, "value": f.value, "unit": f.unit, "target": f.target or None,
             "met": f.met}
            for f in figures
        ],
        "details": details or {},
        "notes": list(notes),
    }
    json_path = folder / f"{name}.json"
    json_path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")

    lines = [
        f"# {title}",
        "",
        f"`{document['command']}` · {document['finished_at']} · "
        f"{document['machine']['cpus']} CPUs · load average at the end "
        f"{document['machine']['load_average_1_5_15']}",
        "",
        "| figure | value | target | |",
        "|---|---|---|---|",
    ]
    for figure in figures:
        lines.append(f"| {figure.name} | {figure.shown()} | {figure.target} | {figure.verdict()} |")
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    md_path = folder / f"{name}.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    print_table(title, figures)
    for note in notes:
        print(f"  - {note}")
    print(f"\nwritten: {shown_path(json_path)}, {shown_path(md_path)}")
    return json_path, md_path

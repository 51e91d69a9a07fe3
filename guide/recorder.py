"""Run ``python -m flows record`` from the guide and follow its progress lines.

The recorder prints one line per step, e.g. ``✓ pre-verification [desktop] 3/7
open-details 142 ms``. The total number of steps is not known up front, so the
progress shown is the current flow's own ``n/m`` plus a running count.
"""

import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from guide import config

RECORD_COMMAND = (sys.executable, "-m", "flows", "record")
LIST_COMMAND = (sys.executable, "-m", "flows", "list")
LISTED_STEP = re.compile(r"^\s+\d+\.\s")
PROGRESS_LINE = re.compile(
    r"^\s*(?P<mark>\S+)\s+(?P<flow>[\w.-]+)\s+\[(?P<device>[\w.-]+)\]\s+"
    r"(?P<number>\d+)/(?P<total>\d+)\s+(?P<step>\S+)(?:\s+(?P<ms>\d+)\s*ms)?"
)
PASSED_MARKS = ("✓", "✔", "ok", "OK")


@dataclass(frozen=True)
class Progress:
    flow: str
    device: str
    number: int
    total: int
    step: str
    ok: bool
    duration_ms: int | None

    def describe(self) -> str:
        return f"{self.flow} [{self.device}] step {self.number} of {self.total}: {self.step}"


def parse_progress(line: str) -> Progress | None:
    """A progress line as data, or None for any other output."""
    match = PROGRESS_LINE.match(line)
    if not match:
        return None
    ms = match["ms"]
    return Progress(
        flow=match["flow"],
        device=match["device"],
        number=int(match["number"]),
        total=int(match["total"]),
        step=match["step"],
        ok=match["mark"] in PASSED_MARKS,
        duration_ms=int(ms) if ms else None,
    )


def expected_steps(
    devices: int, command: Sequence[str] = LIST_COMMAND, cwd: str | None = None
) -> int | None:
    """How many progress lines a full recording should print, or None if unknown.

    ``python -m flows list`` prints each flow's steps as ``  3. step-id: ...``; every
    step is recorded once per device.
    """
    try:
        listing = subprocess.run(
            list(command), cwd=cwd or str(config.ROOT), capture_output=True, text=True,
            encoding="utf-8", errors="replace", timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    steps = sum(bool(LISTED_STEP.match(line)) for line in listing.stdout.splitlines())
    return steps * devices if listing.returncode == 0 and steps else None


@dataclass
class RecordResult:
    returncode: int
    steps: int
    failures: list[Progress]
    output: list[str]

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failures


def run_recorder(
    on_progress: Callable[[Progress, int], None],
    command: Sequence[str] = RECORD_COMMAND,
    cwd: str | None = None,
) -> RecordResult:
    """Run the recorder to the end, calling ``on_progress(progress, steps_so_far)`` per step."""
    steps = 0
    failures: list[Progress] = []
    output: list[str] = []
    try:
        process = subprocess.Popen(
            list(command),
            cwd=cwd or str(config.ROOT),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
    except OSError as error:
        return RecordResult(127, 0, [], [f"Could not start the recorder: {error}"])
    assert process.stdout is not None
    for line in _lines(process.stdout):
        output.append(line)
        progress = parse_progress(line)
        if progress is None:
            continue
        steps += 1
        if not progress.ok:
            failures.append(progress)
        on_progress(progress, steps)
    returncode = process.wait()
    return RecordResult(returncode, steps, failures, output[-200:])


def _lines(stream) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n")

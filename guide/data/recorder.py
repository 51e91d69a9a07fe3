"""Run ``python -m flows record`` from the guide and follow its progress events.

The recorder prints one ``flowspec.contract`` event per line (``--progress json``): first
how many steps will follow, then one event per step, then a summary.
"""

import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from flowspec.contract import (
    ContractError,
    Problem,
    RunStarted,
    StepFinished,
    StepStatus,
    read_event,
)
from guide.data import config

RECORD_COMMAND = (sys.executable, "-m", "flows", "record", "--progress", "json")


@dataclass
class RecordResult:
    returncode: int
    steps: int
    failures: list[StepFinished]
    # What a person should read when it went wrong: notes, problems, anything not an event.
    output: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.failures


def run_recorder(
    on_progress: Callable[[StepFinished, int, int | None], None],
    command: Sequence[str] = RECORD_COMMAND,
    cwd: str | None = None,
) -> RecordResult:
    """Run the recorder to the end, calling ``on_progress(step, steps_so_far, total)``."""
    steps, total = 0, None
    failures: list[StepFinished] = []
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
        try:
            event = read_event(line)
        except ContractError:  # a warning or traceback on stderr: keep it for the person
            output.append(line)
            continue
        match event:
            case RunStarted(steps=expected):
                total = expected
            case StepFinished():
                steps += 1
                if event.status == StepStatus.FAILED:
                    failures.append(event)
                    output.append(event.message)
                on_progress(event, steps, total)
            case Problem(text=text):
                output.append(f"error: {text}")
            case _:
                output.append(getattr(event, "text", "") or getattr(event, "summary", ""))
    returncode = process.wait()
    return RecordResult(returncode, steps, failures, output[-200:])


def _lines(stream) -> Iterator[str]:
    for line in stream:
        yield line.rstrip("\n")

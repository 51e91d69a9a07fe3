"""``python -m flows``: list the flows, run them as a regression suite, or record them.

``run`` compares each step's screenshot with the committed baseline when there is one;
``record`` writes new baselines and the manifest the guide reads. Both print one line
per step and a summary (``--progress json``: one ``flows.contract`` event per line, for
programs such as the guide), write ``output/flows/latest-run.json`` and exit non-zero on
any failure. ``FLOWS_BASE_URL`` names a running storefront to drive.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from flows.browser import BrowserSetupError, Session, open_session
from flows.contract import (
    LATEST_RUN_NAME,
    MANIFEST_NAME,
    ContractModel,
    ManifestError,
    Note,
    Problem,
    RunFinished,
    RunKind,
    RunStarted,
    StepFinished,
    StepStatus,
    event_line,
)
from flows.live_server import ServerStartError, answers, live_storefront
from flows.manifest import (
    OUTPUT_DIR,
    RECORDINGS_DIR,
    latest_run,
    load_or_empty,
    outcome,
    update_manifest,
    write_latest_run,
    write_manifest,
)
from flows.model import Flow, FlowDefinitionError
from flows.paths import load_flows
from flows.results import FlowResult, StepResult, utc_now
from flows.runner import DEFAULT_TIMEOUT_MS, run_flow
from flows.settings import FlowsSettings

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEVICE_CHOICES = {"desktop": ("desktop",), "phone": ("phone",), "all": ("desktop", "phone")}


class UsageProblem(Exception):
    """Something the person running the command must fix; printed, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m flows",
        description="List the flows, run them as a regression suite, or record them.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the flows and their steps")
    for name, text in (
        ("run", "run flows, comparing screenshots with the baselines when they exist"),
        ("record", "run flows and write baseline screenshots and the manifest"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("flows", nargs="*", metavar="FLOW", help="flow ids (default: all)")
        command.add_argument("--device", choices=list(DEVICE_CHOICES), default="all")
        command.add_argument("--headed", action="store_true", help="show the browser window")
        command.add_argument(
            "--base-url",
            help=f"a running storefront (default: FLOWS_BASE_URL if set, else {DEFAULT_BASE_URL}"
            " if it answers, else one is started for the run)",
        )
        command.add_argument(
            "--progress",
            choices=("text", "json"),
            default="text",
            help="text lines for a person, or one JSON event per line for a program",
        )
        command.add_argument("--timeout-ms", type=float, default=DEFAULT_TIMEOUT_MS)
        command.add_argument(
            "--trace",
            action=argparse.BooleanOptionalAction,
            default=name == "run",
            help="keep a Playwright trace of a failed flow (default: on for run, off for "
            "record, where it costs about an eighth of the time; a failed step always "
            "keeps its screenshot)",
        )
    return parser


def select_flows(flows: dict[str, Flow], wanted: list[str]) -> list[Flow]:
    """The flows asked for, in the order given (all of them when none are named)."""
    if not flows:
        raise UsageProblem("No flows are defined yet: add a module to flows/paths/.")
    unknown = [name for name in wanted if name not in flows]
    if unknown:
        names = ", ".join(f'"{name}"' for name in unknown)
        raise UsageProblem(f"unknown flow {names}; known flows: {', '.join(flows)}")
    return [flows[name] for name in wanted] if wanted else list(flows.values())


def shown(path: Path) -> str:
    """A path as the person at the terminal can use it: relative when under the cwd."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def progress_line(step: StepResult) -> str:
    """``✓ pre-verification [desktop] 3/7 cancel-order 142 ms`` (failures add the reason)."""
    mark = "✓" if step.status == StepStatus.PASSED else "✗"
    line = f"{mark} {step.flow} [{step.device}] {step.number}/{step.total} {step.step_id}"
    line += f" {step.duration_ms} ms"
    if step.status == StepStatus.FAILED:
        line += f"\n    {step.message}"
        for label, path in (
            ("expected", step.expected),
            ("actual", step.actual),
            ("diff", step.diff),
        ):
            if path is not None:
                line += f"\n    {label}: {shown(path)}"
    return line


def step_event(step: StepResult) -> StepFinished:
    """The step's latest-run row as a progress event (image paths from the repository)."""
    return StepFinished(**dict(outcome(step)), total=step.total)


class Reporter:
    """Tells the person (text) or the program (JSON events) at ``out`` how the run goes."""

    def __init__(self, out: TextIO, as_json: bool = False) -> None:
        self.out, self.as_json = out, as_json

    def _print(self, event: ContractModel, text: str | None) -> None:
        line = event_line(event) if self.as_json else text
        if line is not None:
            print(line, file=self.out, flush=True)

    def started(self, kind: str, flows: list[Flow], devices: tuple[str, ...]) -> None:
        steps = sum(len(flow.steps) for flow in flows) * len(devices)
        event = RunStarted(
            kind=RunKind(kind), flows=tuple(f.id for f in flows), devices=devices, steps=steps
        )
        self._print(event, None)

    def step(self, step: StepResult) -> None:
        if step.status != StepStatus.SKIPPED:
            self._print(step_event(step), progress_line(step))

    def note(self, text: str) -> None:
        self._print(Note(text=text), text)

    def finished(self, results: list[FlowResult]) -> None:
        steps = [step.status for result in results for step in result.steps]
        event = RunFinished(
            flow_runs=len(results),
            flow_runs_passed=sum(result.passed for result in results),
            steps={status: steps.count(status) for status in StepStatus},
            summary=summary(results),
        )
        self._print(event, event.summary)

    def problem(self, text: str) -> None:
        self._print(Problem(text=text), f"error: {text}")


def summary(results: list[FlowResult]) -> str:
    steps = [step for result in results for step in result.steps]
    count = {status: sum(step.status == status for step in steps) for status in StepStatus}
    passed = sum(result.passed for result in results)
    text = (
        f"{passed} of {len(results)} flow runs passed "
        f"({count['passed']} steps passed, {count['failed']} failed, {count['skipped']} skipped)"
    )
    for result in results:
        if result.trace is not None:
            text += (
                f"\ntrace of {result.flow.id} [{result.device.name}]: "
                f"{shown(result.trace)} (open with `playwright show-trace`)"
            )
    return text


def list_flows(flows: dict[str, Flow], out: TextIO) -> int:
    if not flows:
        print("No flows are defined yet: add a module to flows/paths/.", file=out)
        return 0
    for flow in flows.values():
        print(f"{flow.id}  [{flow.path}]  {flow.title}  (scenario {flow.scenario})", file=out)
        for number, step in enumerate(flow.steps, 1):
            print(f"  {number}. {step.id}: {step.describe()}", file=out)
    return 0


def resolve_base_url(
    wanted: str | None, stack: ExitStack, report: Reporter, settings: FlowsSettings
) -> str:
    """The storefront to use: the one asked for, FLOWS_BASE_URL, the default one, or a
    fresh one."""
    if wanted or settings.base_url:
        url = wanted or settings.storefront() or ""
        if not answers(url):
            source = "" if wanted else " (FLOWS_BASE_URL)"
            raise UsageProblem(f"nothing answers at {url}{source} (is the storefront running?)")
        return url.rstrip("/")
    if answers(DEFAULT_BASE_URL):
        return DEFAULT_BASE_URL
    base_url = stack.enter_context(live_storefront())
    report.note(f"Started a storefront for this run at {base_url}")
    return base_url


def main(
    argv: list[str] | None = None,
    *,
    flows: dict[str, Flow] | None = None,
    session: Session | None = None,
    recordings_dir: Path = RECORDINGS_DIR,
    output_dir: Path = OUTPUT_DIR,
    out: TextIO = sys.stdout,
    settings: FlowsSettings | None = None,
) -> int:
    """Entry point; ``flows``, ``session``, the folders and settings can be given (tests do)."""
    args = build_parser().parse_args(argv)
    report = Reporter(out, as_json=getattr(args, "progress", "text") == "json")
    try:
        settings = settings or _settings()
        if flows is None:
            flows = load_flows()
        if args.command == "list":
            return list_flows(flows, out)
        return execute(args, flows, session, recordings_dir, output_dir, report, settings)
    except (
        UsageProblem,
        FlowDefinitionError,
        ManifestError,
        BrowserSetupError,
        ServerStartError,
    ) as problem:
        report.problem(str(problem))
        return 2


def _settings() -> FlowsSettings:
    try:
        return FlowsSettings()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        name = "FLOWS_" + "_".join(str(part) for part in first["loc"]).upper()
        raise UsageProblem(f"{name}: {first['msg']}") from None


def execute(
    args: argparse.Namespace,
    flows: dict[str, Flow],
    session: Session | None,
    recordings_dir: Path,
    output_dir: Path,
    report: Reporter,
    settings: FlowsSettings,
) -> int:
    """Run or record the selected flows on the selected devices; 1 if any step failed."""
    selected = select_flows(flows, args.flows)
    recording = args.command == "record"
    manifest_path = recordings_dir / MANIFEST_NAME
    manifest = load_or_empty(manifest_path) if recording else None
    started_at = utc_now()
    results: list[FlowResult] = []
    devices = DEVICE_CHOICES[args.device]
    with ExitStack() as stack:
        base_url = resolve_base_url(args.base_url, stack, report, settings)
        session = session or stack.enter_context(open_session(headed=args.headed))
        report.started(args.command, selected, devices)
        for flow in selected:
            for device_name in devices:
                result = run_flow(
                    session.browser,
                    flow,
                    session.devices[device_name],
                    base_url,
                    record_dir=recordings_dir if recording else None,
                    baseline_dir=None if recording else recordings_dir,
                    output_dir=output_dir,
                    on_step=report.step,
                    timeout_ms=args.timeout_ms,
                    trace=args.trace,
                )
                results.append(result)
                if manifest is not None and result.passed:
                    manifest = update_manifest(manifest, result, recordings_dir)
    run_report = latest_run(args.command, started_at, utc_now(), results)
    write_latest_run(output_dir / LATEST_RUN_NAME, run_report)
    if manifest is not None and any(result.passed for result in results):
        write_manifest(manifest_path, manifest)
        report.note(f"Manifest written: {shown(manifest_path)}")
    report.finished(results)
    return 0 if all(result.passed for result in results) else 1

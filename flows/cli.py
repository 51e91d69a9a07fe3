"""``python -m flows``: list the flows, run them as a regression suite, record them,
accept changed pictures, and merge the results of a sharded run.

``run`` compares each step's screenshot with the committed baseline when there is one;
a changed picture is reported and the flow goes on; ``record`` writes new baselines and
the manifest the guide reads. Both print one line per step and a summary
(``--progress json``: one ``flowspec.contract`` event per line, for programs such as the
guide), write ``output/flows/latest-run.json`` and exit with ``ExitCode``: 0 passed,
1 a flow failed (a step stopped it), 2 a usage problem (argparse's code too), 3 only
pictures changed (0 with ``--fail-on failed``, so a pipeline passes while changes wait
for review). ``FLOWS_BASE_URL`` names a running storefront to drive.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from playwright.sync_api import Error as PlaywrightError
from pydantic import ValidationError

from flows.execute import DEFAULT_BASE_URL, DEVICE_CHOICES, UsageProblem, execute
from flows.merge import merge_command
from flows.pictures.files import OUTPUT_DIR, RECORDINGS_DIR
from flows.report.review import ReviewProblem, approve_command
from flows.run.browser import BrowserSetupError, Session
from flows.run.live_server import ServerStartError
from flows.run.pool import ShardError
from flows.run.runner import DEFAULT_TIMEOUT_MS
from flows.settings import FlowsSettings
from flowspec.contract import (
    ContractError,
    ExitCode,
    FailOn,
    ManifestError,
    Problem,
    event_line,
)
from flowspec.paths import load_flows
from flowspec.steps import Flow, FlowDefinitionError


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
        command.add_argument("--timeout-ms", type=float, default=DEFAULT_TIMEOUT_MS)
        command.add_argument(
            "--trace",
            action=argparse.BooleanOptionalAction,
            default=name == "run",
            help="keep a Playwright trace of a failed flow (default: on for run, off for "
            "record, where it costs about an eighth of the time; a failed step always "
            "keeps its screenshot)",
        )
        command.add_argument(
            "--progress",
            choices=("text", "json"),
            default="text",
            help="text lines for a person, or one JSON event per line for a program",
        )
        command.add_argument(
            "--output",
            metavar="DIR",
            help="where the run report and evidence go (default: output/flows)",
        )
        command.add_argument(
            "--endpoint",
            metavar="URL[,URL...]",
            help="browsers to share the jobs among, one job each at a time: Chromium's "
            "DevTools (http://host:port) or a Playwright server (ws://...); default: "
            "FLOWS_BROWSER_ENDPOINT, else local Chromium",
        )
        command.add_argument(
            "--workers",
            type=int,
            default=1,
            metavar="N",
            help="local browsers to run in parallel when no endpoint is given, at most one per"
            " job (a flow on one device); default 1",
        )
    run = commands.choices["run"]
    run.add_argument("--report", metavar="DIR", help="write an HTML report of the run to DIR")
    run.add_argument(
        "--junit", metavar="FILE", help="write JUnit XML, one test per flow and device"
    )
    run.add_argument(
        "--retries",
        type=int,
        default=0,
        metavar="N",
        help="run a failed flow again up to N times; one that then passes is flaky (default 0)",
    )
    run.add_argument("--shard", metavar="I/N", help="run only shard I of N of the jobs")
    approve = commands.add_parser(
        "approve",
        help="accept the changed pictures of the latest run as the new baselines",
        description="Accept the changed pictures of the latest `flows run` as baselines: "
        "picture, close-up, box and accessible tree.",
    )
    approve.add_argument("flow", nargs="?", metavar="FLOW", help="the flow (or --all)")
    approve.add_argument("--all", action="store_true", help="every changed picture of the run")
    approve.add_argument("--yes", action="store_true", help="accept without asking to confirm")
    approve.add_argument(
        "--only-pictures",
        action="store_true",
        help="accept a flow's changed pictures even though one of its steps failed",
    )
    approve.add_argument("--device", choices=list(DEVICE_CHOICES)[:2])
    approve.add_argument("--step", type=int, metavar="N", help="only step N (default: all)")
    approve.add_argument("--reviewer", default="", help="who accepts (default: your user name)")
    approve.add_argument("--output", metavar="DIR", help="the run's folder (default: output/flows)")
    merge = commands.add_parser(
        "merge",
        help="join the results of shards into one run, report and JUnit file",
        description="Join shard folders (each holding a latest-run.json) into one run.",
    )
    merge.add_argument("folders", nargs="+", metavar="DIR")
    merge.add_argument(
        "--output", metavar="DIR", help="where the merged run goes (default: output/flows)"
    )
    merge.add_argument("--report", metavar="DIR", help="write an HTML report of the merged run")
    merge.add_argument("--junit", metavar="FILE", help="write JUnit XML of the merged run")
    for command in (run, merge):
        command.add_argument(
            "--fail-on",
            choices=[value.value for value in FailOn],
            default=FailOn.CHANGED.value,
            help="changed (default): a changed picture fails the run (exit 3), as a failed "
            "step does (exit 1); failed: only a failed step does, changes wait for review",
        )
    return parser


def list_flows(flows: dict[str, Flow], out: TextIO) -> int:
    if not flows:
        print("No flows are defined yet: add a module to flowspec/paths/.", file=out)
        return 0
    for flow in flows.values():
        print(f"{flow.id}  [{flow.path}]  {flow.title}  (scenario {flow.scenario})", file=out)
        for number, step in enumerate(flow.steps, 1):
            print(f"  {number}. {step.id}: {step.describe()}", file=out)
    return 0


def main(
    argv: list[str] | None = None,
    *,
    flows: dict[str, Flow] | None = None,
    session: Session | None = None,
    recordings_dir: Path = RECORDINGS_DIR,
    output_dir: Path = OUTPUT_DIR,
    out: TextIO = sys.stdout,
    settings: FlowsSettings | None = None,
    answer: TextIO = sys.stdin,
) -> int:
    """Entry point; ``flows``, ``session``, the folders and settings can be given (tests do)."""
    args = build_parser().parse_args(argv)
    try:
        settings = settings or _settings()
        if args.command == "approve":
            return approve_command(args, recordings_dir, output_dir, out, answer)
        if args.command == "merge":
            return merge_command(args, output_dir, out)
        if flows is None:
            flows = load_flows()
        if args.command == "list":
            return list_flows(flows, out)
        return execute(args, flows, session, recordings_dir, output_dir, out, settings)
    except (
        UsageProblem,
        ShardError,
        ReviewProblem,
        FlowDefinitionError,
        ManifestError,
        ContractError,
        BrowserSetupError,
        ServerStartError,
        PlaywrightError,
    ) as problem:
        text = str(problem).strip() or type(problem).__name__
        if getattr(args, "progress", "text") == "json":
            print(event_line(Problem(text=text)), file=out)
        else:
            print(f"error: {text}", file=out)
        return ExitCode.USAGE.value


def _settings() -> FlowsSettings:
    try:
        return FlowsSettings()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = "_".join(str(part) for part in first["loc"])
        name = field if field.isupper() else f"FLOWS_{field.upper()}"  # an alias is the name
        raise UsageProblem(f"{name}: {first['msg']}") from None

"""``python -m flows merge DIR...``: the shards of a run joined into one run.

Each DIR is a shard's output folder (its ``latest-run.json`` and evidence), as a CI job
uploads it. The evidence is copied into the merged run's folder, so the merged report
and its pictures stand on their own whichever machine ran each shard.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TextIO

from flows.execute import UsageProblem, shown, write_outputs
from flows.pictures.files import ROOT, relative
from flows.report.outcomes import summary
from flowspec.contract import (
    LATEST_RUN_NAME,
    BrowserUse,
    FailOn,
    JobResult,
    RunReport,
    StepOutcome,
    exit_code,
    parse_run_report,
    read_json,
    write_json,
)

IMAGE_FIELDS = ("expected", "actual", "diff")


def find_file(recorded: str, folder: Path) -> Path | None:
    """Where a file written by a shard's run is now: in the shard's folder, under the
    longest tail of its recorded path that exists there (the shard may have run on
    another machine, in another folder)."""
    parts = PurePosixPath(recorded).parts
    for start in range(len(parts)):
        candidate = folder.joinpath(*parts[start:])
        if candidate.is_file():
            return candidate
    return None


def merge_reports(folders: Sequence[Path], output_dir: Path, root: Path = ROOT) -> RunReport:
    """One run from the shards in ``folders``; their evidence is copied to ``output_dir``."""
    reports = []
    for folder in folders:
        path = folder / LATEST_RUN_NAME
        if not path.is_file():
            raise UsageProblem(
                f"{shown(folder)} holds no {LATEST_RUN_NAME}: is it a shard's output?"
            )
        reports.append((folder, parse_run_report(read_json(path), shown(path))))
    kinds = {report.kind for _, report in reports}
    if len(kinds) > 1:
        raise UsageProblem("the folders hold both recordings and runs; merge runs only")
    seen: dict[tuple[str, str], Path] = {}
    results: list[StepOutcome] = []
    jobs: list[JobResult] = []
    shards: list[str] = []
    browsers: list[BrowserUse] = []
    for folder, report in reports:
        for job in report.jobs:
            key = (job.flow, job.device)
            if key in seen:
                raise UsageProblem(
                    f"{job.flow} [{job.device}] is in both {shown(seen[key])} and {shown(folder)}:"
                    " were the shards run with the same --shard?"
                )
            seen[key] = folder
            trace = _copied(job.trace, folder, output_dir, root)
            jobs.append(job.model_copy(update={"trace": trace}))
        for row in report.results:
            images = {
                name: _copied(getattr(row, name), folder, output_dir, root) for name in IMAGE_FIELDS
            }
            results.append(row.model_copy(update=images))
        shards.extend(report.shards)
        browsers.extend(report.browsers)
    return RunReport(
        kind=reports[0][1].kind,
        started_at=min(report.started_at for _, report in reports),
        finished_at=max(report.finished_at for _, report in reports),
        results=tuple(results),
        jobs=tuple(jobs),
        shards=tuple(shards),
        browsers=tuple(browsers),
    )


def _copied(recorded: str | None, folder: Path, output_dir: Path, root: Path) -> str | None:
    """The shard's file copied to the same place under ``output_dir``; its new path."""
    if recorded is None:
        return None
    found = find_file(recorded, folder)
    if found is None:
        return None
    target = output_dir / found.resolve().relative_to(folder.resolve())
    if target.resolve() != found.resolve():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, target)
    return relative(target, root)


def merge_command(args: argparse.Namespace, output_dir: Path, out: TextIO) -> int:
    output_dir = Path(args.output or output_dir)
    report = merge_reports([Path(folder) for folder in args.folders], output_dir)
    write_json(output_dir / LATEST_RUN_NAME, report)
    write_outputs(args, report, lambda text: print(text, file=out))
    print(
        f"Merged {len(args.folders)} shard(s) into {shown(output_dir / LATEST_RUN_NAME)}", file=out
    )
    fail_on = FailOn(args.fail_on)
    print(summary(report, fail_on), file=out)
    return exit_code(report.outcome, fail_on).value

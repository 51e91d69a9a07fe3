"""An HTML report of a run that opens offline from disk, as Playwright's own report does:
run → flow × device → step → expected / actual / diff, failures first, filterable.

The folder holds ``index.html``, a small stylesheet and script (no libraries, nothing
fetched), and the pictures of every step that did not pass. Pictures are copied as
they are until the folder reaches ``IMAGE_BUDGET``; the steps after that get theirs at
half size as JPEG (a step's three pictures always alike, so the slider lines them up),
so even a run where every picture changed stays small and opens quickly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from html import escape
from pathlib import Path

from PIL import Image

from flows.pictures.files import ROOT
from flowspec.contract import JobOutcome, JobResult, RunReport, StepOutcome, StepStatus

ASSETS = Path(__file__).with_name("assets")
IMAGE_BUDGET = 8 * 1024 * 1024
SMALL_QUALITY = 80
OUTCOME_ORDER = {JobOutcome.FAILED: 0, JobOutcome.FLAKY: 1, JobOutcome.PASSED: 2}
OPENED = 1  # the first failed flow is shown opened; the rest open on a click (loads less at once)
PICTURES = (("expected", "Expected (baseline)"), ("actual", "Actual"), ("diff", "Difference"))


class _Pictures:
    """Copies the run's pictures into the report folder, within the size budget."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder, self.root, self.size = folder, root, 0

    def add(self, recorded: str | None, name: str) -> str | None:
        """Copy one file as it is (a trace, say); its path in the report, if it exists."""
        if recorded is None or not (self.root / recorded).is_file():
            return None
        target = self.folder / "images" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.root / recorded, target)
        self.size += target.stat().st_size
        return f"images/{name}"

    def add_step(self, pictures: dict[str, tuple[str | None, str]]) -> dict[str, str]:
        """A step's pictures (field → recorded path, name): full size while the budget
        lasts, else all of them at half size."""
        found = {
            field: (self.root / recorded, name)
            for field, (recorded, name) in pictures.items()
            if recorded is not None and (self.root / recorded).is_file()
        }
        needed = sum(source.stat().st_size for source, _ in found.values())
        if self.size + needed <= IMAGE_BUDGET:
            return {
                field: self.add(pictures[field][0], name) or ""
                for field, (_, name) in found.items()
            }
        added = {}
        for field, (source, name) in found.items():
            name = name.removesuffix(".png") + ".jpg"
            target = self.folder / "images" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with Image.open(source) as image:
                image.convert("RGB").reduce(2).save(target, quality=SMALL_QUALITY)
            self.size += target.stat().st_size
            added[field] = f"images/{name}"
        return added


def write_report(report: RunReport, folder: Path, root: Path = ROOT) -> Path:
    """Write the report into ``folder`` (replacing an earlier one); the index file."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for asset in ("report.css", "report.js"):
        shutil.copyfile(ASSETS / asset, folder / asset)
    pictures = _Pictures(folder, root)
    groups = report.groups()
    jobs = sorted(report.jobs, key=lambda job: OUTCOME_ORDER[job.outcome])
    sections = [
        _job(job, groups.get((job.flow, job.device), []), pictures, opened=rank < OPENED)
        for rank, job in enumerate(jobs)
    ]
    index = folder / "index.html"
    index.write_text(_page(report, sections), encoding="utf-8")
    return index


def _page(report: RunReport, sections: list[str]) -> str:
    outcomes = {outcome: 0 for outcome in JobOutcome}
    for job in report.jobs:
        outcomes[job.outcome] += 1
    steps = report.counts()
    seconds = (report.finished_at - report.started_at).total_seconds()
    counts = "".join(
        f'<li><span class="badge {outcome}">{outcome}</span> {outcomes[outcome]}</li>'
        for outcome in JobOutcome
    ) + "".join(
        f'<li><span class="badge {status}">{status} steps</span> {steps.get(status, 0)}</li>'
        for status in StepStatus
    )
    shards = f" · shards {', '.join(report.shards)}" if report.shards else ""
    flows = sorted({job.flow for job in report.jobs})
    devices = sorted({job.device for job in report.jobs})
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flows report · {escape(report.started_at.isoformat())}</title>
<link rel="stylesheet" href="report.css">
</head>
<body>
<header>
<h1>Flows {escape(report.kind)} report</h1>
<p class="meta">Started {escape(report.started_at.isoformat())} · {seconds:.0f} s{shards}</p>
<ul class="counts">{counts}</ul>
</header>
<form class="filters" aria-label="Filter the flows">
{_select("flow", "Flow", flows)}
{_select("device", "Device", devices)}
{_select("outcome", "Outcome", [o.value for o in JobOutcome])}
<label>Text<input type="search" name="text" placeholder="step, message…"></label>
<p><span id="shown">{len(sections)}</span> of {len(sections)} shown</p>
</form>
<main>
{"".join(sections)}
</main>
<script src="report.js"></script>
</body>
</html>
"""


def _select(name: str, label: str, values: Iterable[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{label}<select name="{name}"><option value="">all</option>{options}</select></label>'


def _job(job: JobResult, steps: list[StepOutcome], pictures: _Pictures, *, opened: bool) -> str:
    attempts = f" · {job.attempts} attempts" if job.attempts > 1 else ""
    earlier = "".join(f'<li class="earlier">{escape(line)}</li>' for line in job.earlier_failures)
    trace = ""
    if job.trace:
        copied = pictures.add(job.trace, f"{job.flow}/{job.device}/trace.zip")
        if copied:
            trace = (
                f'<p>Trace: <a href="{copied}">trace.zip</a> '
                "(open with <code>playwright show-trace</code>)</p>"
            )
    rows = "".join(_step(step, pictures) for step in steps)
    is_open = " open" if opened and job.outcome is not JobOutcome.PASSED else ""
    return f"""<details class="job {job.outcome}" data-flow="{escape(job.flow)}" \
data-device="{escape(job.device)}" data-outcome="{job.outcome}"{is_open}>
<summary><span class="badge">{job.outcome}</span><strong>{escape(job.flow)}</strong>
<span>{escape(job.device)}</span><span class="where">{job.duration_ms / 1000:.1f} s{attempts}
· {escape(job.endpoint)}</span></summary>
{f"<ul>{earlier}</ul>" if earlier else ""}{trace}
<ol class="steps">{rows}</ol>
</details>
"""


def _step(step: StepOutcome, pictures: _Pictures) -> str:
    number = step.step or 0
    message = f'<p class="message">{escape(step.message)}</p>' if step.message else ""
    figures, sources = [], {}
    if step.status in (StepStatus.CHANGED, StepStatus.FAILED):
        stem = f"{step.flow}/{step.device}/{number:02d}-{step.step_id}"
        sources = pictures.add_step(
            {field: (getattr(step, field), f"{stem}-{field}.png") for field, _ in PICTURES}
        )
        for field, caption in PICTURES:
            source = sources.get(field)
            if source:
                figures.append(
                    f'<figure><a href="{source}"><img src="{source}" loading="lazy" '
                    f'alt="{caption} picture of step {number}"></a>'
                    f"<figcaption>{caption}</figcaption></figure>"
                )
    slider = ""
    if "expected" in sources and "actual" in sources:
        slider = f"""<div class="compare-box"><div class="compare">
<img src="{sources["expected"]}" loading="lazy" alt="Expected picture of step {number}">
<img class="top" src="{sources["actual"]}" loading="lazy" alt="Actual picture of step {number}">
</div><label>Actual (left of the line) against expected (right): \
<input type="range" min="0" max="100" value="50"></label></div>"""
    pictures_html = f'<div class="pictures">{"".join(figures)}</div>' if figures else ""
    return f"""<li value="{number}" data-status="{step.status}"><span class="badge {step.status}">\
{step.status}</span> <strong>{escape(step.step_id)}</strong> \
<span class="where">{step.duration_ms or 0} ms</span>{message}{pictures_html}{slider}</li>"""

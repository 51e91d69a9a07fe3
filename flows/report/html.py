"""An HTML report of a run that opens offline from disk, as Playwright's own report does:
run → flow × device → step → expected / actual / diff, failures first, filterable.

The header says the run's outcome (failed, changed: pictures only, or passed); status
chips count the flows and filter them, each at an address of its own (``#?s=failed``)
that works without the script too; a failed flow opens on why it stopped. The folder
holds ``index.html``, a small stylesheet and script (nothing fetched), the pictures of
every step that did not pass and the traces (``playwright show-trace`` opens them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from html import escape
from pathlib import Path

from flows.report.pictures import ReportPictures
from flowspec.contract import JobOutcome, JobResult, RunReport, StepOutcome, StepStatus

ASSETS = Path(__file__).with_name("assets")
OUTCOME_ORDER = {outcome: rank for rank, outcome in enumerate(JobOutcome)}  # worst first
OPENED = 1  # the first flow that did not pass is shown opened; the rest open on a click
PICTURES = (("expected", "Expected (baseline)"), ("actual", "Actual"), ("diff", "Difference"))
SKIPPED = "skipped"  # a chip of its own: the flows that have skipped steps
CHIPS = (
    JobOutcome.FAILED.value, JobOutcome.CHANGED.value, JobOutcome.FLAKY.value,
    JobOutcome.PASSED.value, SKIPPED,
)
HEADLINES = {
    JobOutcome.FAILED: "a flow stopped at a step",
    JobOutcome.CHANGED: "only pictures changed: review them",
    JobOutcome.FLAKY: "passed, some only on a retry",
    JobOutcome.PASSED: "every flow passed",
}


def write_report(report: RunReport, folder: Path, root: Path | None = None) -> Path:
    """Write the report into ``folder`` (replacing an earlier one); the index file."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for asset in ("report.css", "report.js"):
        shutil.copyfile(ASSETS / asset, folder / asset)
    pictures = ReportPictures(folder, root)
    groups = report.groups()
    jobs = sorted(report.jobs, key=lambda job: OUTCOME_ORDER[job.outcome])
    sections = [
        _job(job, groups.get((job.flow, job.device), []), pictures, opened=rank < OPENED)
        for rank, job in enumerate(jobs)
    ]
    index = folder / "index.html"
    index.write_text(_page(report, sections), encoding="utf-8")
    return index


def _chip_counts(report: RunReport) -> dict[str, int]:
    counts = {chip: 0 for chip in CHIPS}
    for job in report.jobs:
        counts[job.outcome.value] += 1
    skipped = {(row.flow, row.device) for row in report.results if row.status is StepStatus.SKIPPED}
    counts[SKIPPED] = len(skipped)
    return counts


def _page(report: RunReport, sections: list[str]) -> str:
    outcome = report.outcome
    counts = _chip_counts(report)
    steps = report.counts()
    seconds = (report.finished_at - report.started_at).total_seconds()
    targets = "".join(f'<span class="target" id="?s={chip}"></span>' for chip in CHIPS)
    chips = "".join(
        f'<li><a class="chip {chip}" href="#?s={chip}">{chip} '
        f'<span class="count">{counts[chip]}</span></a></li>'
        for chip in CHIPS
    )
    step_counts = " · ".join(f"{steps.get(status, 0)} {status}" for status in StepStatus)
    shards = f" · shards {', '.join(report.shards)}" if report.shards else ""
    browsers = "".join(
        f'<p class="browser-failed" role="note">{escape(browser.failure())}</p>'
        for browser in report.failed_browsers
    )
    flows = sorted({job.flow for job in report.jobs})
    devices = sorted({job.device for job in report.jobs})
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{outcome.upper()} · flows {escape(report.kind)} · {escape(report.started_at.isoformat())}</title>
<link rel="stylesheet" href="report.css">
</head>
<body>
{targets}
<header>
<h1><span class="badge {outcome}">{outcome}</span> Flows {escape(report.kind)} report</h1>
<p class="meta">{HEADLINES[outcome]} · started {escape(report.started_at.isoformat())} \
· {seconds:.0f} s{shards} · steps: {step_counts}</p>
<nav aria-label="Show flows by status"><ul class="chips"><li><a class="chip all" href="#">all \
<span class="count">{len(report.jobs)}</span></a></li>{chips}</ul></nav>
{browsers}
</header>
<form class="filters" aria-label="Filter the flows">
{_select("flow", "Flow", flows)}
{_select("device", "Device", devices)}
{_select("s", "Status", CHIPS)}
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


def _job(job: JobResult, steps: list[StepOutcome], pictures: ReportPictures, *,
         opened: bool) -> str:
    statuses = {job.outcome.value} | (
        {SKIPPED} if any(s.status is StepStatus.SKIPPED for s in steps) else set()
    )
    attempts = f" · {job.attempts} attempts" if job.attempts > 1 else ""
    rows = "".join(_step(step, pictures) for step in steps)
    is_open = " open" if opened and job.outcome is not JobOutcome.PASSED else ""
    return f"""<details class="job {job.outcome}" data-flow="{escape(job.flow)}" \
data-device="{escape(job.device)}" data-outcome="{job.outcome}" \
data-statuses="{' '.join(sorted(statuses))}"{is_open}>
<summary><span class="badge {job.outcome}">{job.outcome}</span><strong>{escape(job.flow)}</strong>
<span>{escape(job.device)}</span><span class="where">{job.duration_ms / 1000:.1f} s{attempts}
· {escape(job.endpoint)}</span></summary>
{_summary(job, steps)}{_attempts(job)}{_trace(job, pictures)}
<ol class="steps">{rows}</ol>
</details>
"""


def _summary(job: JobResult, steps: list[StepOutcome]) -> str:
    """Why the flow did not pass, before any step: the stopping step, or what changed."""
    stopper = next((s for s in steps if s.status is StepStatus.FAILED), None)
    changed = [s for s in steps if s.status is StepStatus.CHANGED]
    if stopper is not None:
        kind = f" ({stopper.failure})" if stopper.failure else ""
        return (
            f'<div class="error-summary"><p><strong>Stopped at step {stopper.step} '
            f"“{escape(stopper.step_id)}”</strong>{escape(kind)}</p>"
            f'<pre class="message">{escape(stopper.message)}</pre>'
            f'<p><a href="#{_anchor(stopper)}">Go to the step</a></p></div>'
        )
    if changed and job.outcome is JobOutcome.CHANGED:
        named = ", ".join(
            f'<a href="#{_anchor(s)}">{s.step} {escape(s.step_id)}</a>' for s in changed
        )
        return (
            f'<div class="change-summary"><p><strong>{len(changed)} picture(s) changed'
            f"</strong>, the flow went on: {named}</p></div>"
        )
    return ""


def _attempts(job: JobResult) -> str:
    """Each attempt's result, when the flow was retried."""
    if job.attempts < 2:
        return ""
    lines: dict[int, list[str]] = {}
    for line in job.earlier_failures:
        head, _, text = line.partition(": ")
        number = int(head.removeprefix("attempt ")) if head.startswith("attempt ") else 1
        lines.setdefault(number, []).append(text)
    items = "".join(
        f'<li><span class="badge failed">failed</span> {" ".join(escape(t) for t in lines.get(n, []))}</li>'
        for n in range(1, job.attempts)
    )
    final = job.outcome if job.outcome is not JobOutcome.FLAKY else JobOutcome.PASSED
    items += f'<li><span class="badge {final}">{final}</span> (the result that counts)</li>'
    return f'<div class="attempts"><p>Attempts</p><ol>{items}</ol></div>'


def _trace(job: JobResult, pictures: ReportPictures) -> str:
    """The trace beside the report, with the command that opens it."""
    if not job.trace:
        return ""
    copied = pictures.add(job.trace, f"traces/{job.flow}/{job.device}/trace.zip", beside=True)
    if not copied:
        return ""
    return (
        f'<p class="trace">Trace: <a href="{copied}">{copied}</a> · open it with '
        f"<code>playwright show-trace {copied}</code> (from this folder)</p>"
    )


def _anchor(step: StepOutcome) -> str:
    return f"{step.flow}-{step.device}-{step.step}"


def _step(step: StepOutcome, pictures: ReportPictures) -> str:
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
    took = f"{step.duration_ms} ms" if step.duration_ms is not None else ""
    return f"""<li id="{escape(_anchor(step))}" value="{number}" data-status="{step.status}">\
<span class="badge {step.status}">{step.status}</span> <strong>{escape(step.step_id)}</strong> \
<span class="where">{took}</span>{message}{pictures_html}{slider}</li>"""

"""JUnit XML of a run, for CI: one test case per flow and device.

A failed flow's ``failure`` is the step that stopped it (its type ``expectation``,
``not found`` or ``error``, its message naming the step). Changed pictures are reported
apart, one ``system-out`` line each with the ``[[ATTACHMENT|path]]`` of its expected,
actual and diff pictures (the form Jenkins and GitLab show); a flow whose pictures only
changed is a ``failure`` of type ``picture changed`` only under ``--fail-on changed``.
Skipped steps are counted. A flaky flow (failed, then passed on a retry) passes but
carries a ``flakyFailure`` element (the Maven Surefire convention), so it never passes
silently.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from flowspec.contract import (
    FailOn,
    FailureKind,
    JobOutcome,
    JobResult,
    RunReport,
    StepOutcome,
    StepStatus,
)

SUITE_NAME = "flows"
PICTURE_CHANGED = "picture changed"


def _fails(job: JobResult, fail_on: FailOn) -> bool:
    return job.outcome is JobOutcome.FAILED or (
        job.outcome is JobOutcome.CHANGED and fail_on is FailOn.CHANGED
    )


def junit_tree(report: RunReport, fail_on: FailOn = FailOn.CHANGED) -> ET.ElementTree:
    groups = report.groups()
    failures = sum(_fails(job, fail_on) for job in report.jobs)
    total_ms = sum(job.duration_ms for job in report.jobs)
    skipped = report.counts().get(StepStatus.SKIPPED, 0)
    suites = ET.Element("testsuites", tests=str(len(report.jobs)), failures=str(failures))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(report.jobs)),
        failures=str(failures),
        errors="0",
        skipped="0",  # a flow is never skipped as a whole; its skipped steps are counted below
        time=f"{total_ms / 1000:.3f}",
        timestamp=report.started_at.isoformat(),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("outcome", report.outcome.value),
        ("fail-on", fail_on.value),
        ("skipped-steps", str(skipped)),
        ("changed-pictures", str(report.counts().get(StepStatus.CHANGED, 0))),
        ("failed-browsers", str(len(report.failed_browsers))),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for job in report.jobs:
        _case(suite, job, groups.get((job.flow, job.device), []), fail_on)
    if report.failed_browsers:
        ET.SubElement(suite, "system-err").text = "\n".join(
            browser.failure() for browser in report.failed_browsers
        )
    ET.indent(suites)
    return ET.ElementTree(suites)


def _case(suite: ET.Element, job: JobResult, steps: list[StepOutcome], fail_on: FailOn) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"{SUITE_NAME}.{job.flow}",
        name=f"{job.flow}[{job.device}]",
        time=f"{job.duration_ms / 1000:.3f}",
    )
    stopper = next((s for s in steps if s.status is StepStatus.FAILED), None)
    changed = [s for s in steps if s.status is StepStatus.CHANGED]
    skipped = [s for s in steps if s.status is StepStatus.SKIPPED]
    if stopper is not None:
        kind = stopper.failure or FailureKind.ERROR
        failure = ET.SubElement(
            case, "failure", message=_named(stopper), type=kind.value
        )
        failure.text = "\n".join([_named(stopper), *(_skips(skipped))])
    elif changed and _fails(job, fail_on):
        failure = ET.SubElement(
            case,
            "failure",
            message=f"{len(changed)} picture(s) changed, first at {_named(changed[0])}",
            type=PICTURE_CHANGED,
        )
        failure.text = "\n".join(_named(step) for step in changed)
    elif job.outcome is JobOutcome.FLAKY:
        for earlier in job.earlier_failures:
            flaky = ET.SubElement(case, "flakyFailure", message=earlier, type="flaky")
            flaky.text = earlier
    out = [
        f"outcome: {job.outcome}",
        f"attempts: {job.attempts}",
        f"browser: {job.endpoint}",
        f"steps: {len(steps)}, skipped: {len(skipped)}, pictures changed: {len(changed)}",
    ]
    out += [_changed_line(step) for step in changed]
    if job.trace:
        out.append(f"trace: {job.trace} [[ATTACHMENT|{job.trace}]]")
    ET.SubElement(case, "system-out").text = "\n".join(out)


def _named(step: StepOutcome) -> str:
    """``step 6 "view-details": link … was not found`` (the message already names the flow)."""
    return f'step {step.step} "{step.step_id}": {step.message}'


def _skips(skipped: list[StepOutcome]) -> list[str]:
    if not skipped:
        return []
    return [f"skipped {len(skipped)}: {', '.join(f'{s.step} {s.step_id}' for s in skipped)}"]


def _changed_line(step: StepOutcome) -> str:
    files = " ".join(
        f"{label}: {path} [[ATTACHMENT|{path}]]"
        for label, path in (("expected", step.expected), ("actual", step.actual),
                            ("diff", step.diff))
        if path
    )
    return f"picture changed: {_named(step)} {files}".rstrip()


def write_junit(report: RunReport, path: Path, fail_on: FailOn = FailOn.CHANGED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_tree(report, fail_on).write(path, encoding="utf-8", xml_declaration=True)
    return path

"""JUnit XML of a run, for CI: one test case per flow and device.

A failed flow carries its first failing step and message, and every other failure in
its text; a flaky one (failed, then passed on a retry) passes but carries a
``flakyFailure`` element (the Maven Surefire convention Jenkins and GitLab read), so
it never passes silently.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from flowspec.contract import JobOutcome, RunReport, StepStatus

SUITE_NAME = "flows"


def junit_tree(report: RunReport) -> ET.ElementTree:
    groups = report.groups()
    failures = sum(job.outcome is JobOutcome.FAILED for job in report.jobs)
    total_ms = sum(job.duration_ms for job in report.jobs)
    suites = ET.Element("testsuites", tests=str(len(report.jobs)), failures=str(failures))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=SUITE_NAME,
        tests=str(len(report.jobs)),
        failures=str(failures),
        errors="0",
        skipped="0",
        time=f"{total_ms / 1000:.3f}",
        timestamp=report.started_at.isoformat(),
    )
    for job in report.jobs:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{SUITE_NAME}.{job.flow}",
            name=f"{job.flow}[{job.device}]",
            time=f"{job.duration_ms / 1000:.3f}",
        )
        steps = groups.get((job.flow, job.device), [])
        problems = [s for s in steps if s.status in (StepStatus.FAILED, StepStatus.CHANGED)]
        if job.outcome is JobOutcome.FAILED and problems:
            first = problems[0]
            failure = ET.SubElement(
                case,
                "failure",
                message=f'step {first.step} "{first.step_id}": {first.message}',
                type="picture changed" if first.status is StepStatus.CHANGED else "step failed",
            )
            skipped = [s for s in steps if s.status is StepStatus.SKIPPED]
            lines = [f"step {s.step} {s.step_id} [{s.status}]: {s.message}" for s in problems]
            if skipped:
                lines.append(f"skipped: {', '.join(f'{s.step} {s.step_id}' for s in skipped)}")
            failure.text = "\n".join(lines)
        elif job.outcome is JobOutcome.FLAKY:
            for earlier in job.earlier_failures:
                flaky = ET.SubElement(case, "flakyFailure", message=earlier, type="flaky")
                flaky.text = earlier
        out = [f"outcome: {job.outcome}", f"attempts: {job.attempts}", f"browser: {job.endpoint}"]
        if job.trace:
            out.append(f"trace: {job.trace}")
        ET.SubElement(case, "system-out").text = "\n".join(out)
    ET.indent(suites)
    return ET.ElementTree(suites)


def write_junit(report: RunReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_tree(report).write(path, encoding="utf-8", xml_declaration=True)
    return path

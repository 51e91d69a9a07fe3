"""JUnit XML read as a CI dashboard reads it (``junitparser``): a failed flow's failure is
the step that stopped it, changed pictures are reported apart, skipped steps counted."""

from __future__ import annotations

import pytest
from junitparser import Failure, JUnitXml, SystemErr, TestCase, TestSuite

from flows.report.html import write_report
from flows.report.junit import write_junit
from flowspec.contract import BrowserUse, FailOn, FailureKind
from tests.flows.run_results import flow_result, job_run, report_of


def stopped_at(kind: FailureKind, statuses: list[str], folder):
    """A flow result whose failed step failed for ``kind``."""
    result = flow_result("pre", "desktop", statuses, folder)
    for step in result.steps:
        if step.status == "failed":
            step.failure = kind
    return result


def cases(report, path, fail_on=FailOn.CHANGED) -> dict[str, TestCase]:
    write_junit(report, path, fail_on)
    [suite] = list(JUnitXml.fromfile(str(path)))
    return {case.name: case for case in suite}


def suite_err(suite: TestSuite) -> str | None:
    """The suite's own ``system-err`` text (junitparser reads it for test cases only)."""
    found = suite.child(SystemErr)
    return None if found is None else found.text


@pytest.mark.parametrize("kind", list(FailureKind))
def test_a_failed_flows_failure_is_the_step_that_stopped_it(tmp_path, kind):
    """A changed picture before the stop does not name the failure (the wording redesign:
    step 5's picture changed, step 6's link was not found)."""
    result = stopped_at(
        kind, ["passed", "changed", "failed", "skipped", "skipped"], tmp_path / "output"
    )
    report = report_of([job_run(result)], tmp_path)

    case = cases(report, tmp_path / "junit.xml")["pre[desktop]"]

    [failure] = case.result
    assert isinstance(failure, Failure)
    assert failure.type == kind.value
    assert failure.message == 'step 3 "step-3": flow "pre" on desktop, step 3: it went wrong'
    assert "skipped 2: 4 step-4, 5 step-5" in failure.text
    out = case.system_out
    assert "steps: 5, skipped: 2, pictures changed: 1" in out
    line = next(line for line in out.splitlines() if line.startswith("picture changed"))
    assert line.startswith('picture changed: step 2 "step-2": ')
    for kind_of_picture in ("expected", "actual", "diff"):
        assert f"[[ATTACHMENT|output/pre/desktop/02-step-2-{kind_of_picture}.png]]" in line


@pytest.mark.parametrize(
    ("fail_on", "failed"), [(FailOn.CHANGED, True), (FailOn.FAILED, False)]
)
def test_a_flow_whose_pictures_alone_changed_fails_only_under_fail_on_changed(
    tmp_path, fail_on, failed
):
    result = flow_result("pre", "desktop", ["passed", "changed", "changed"], tmp_path / "output")
    report = report_of([job_run(result)], tmp_path)

    case = cases(report, tmp_path / "junit.xml", fail_on)["pre[desktop]"]

    assert case.is_passed is not failed
    if failed:
        [failure] = case.result
        assert failure.type == "picture changed"
        assert failure.message.startswith('2 picture(s) changed, first at step 2 "step-2"')
    lines = [line for line in case.system_out.splitlines() if line.startswith("picture changed")]
    assert len(lines) == 2


def test_the_suite_counts_failures_by_the_fail_on_rule(tmp_path):
    report = report_of(
        [
            job_run(stopped_at(FailureKind.NOT_FOUND, ["failed", "skipped"], None)),
            job_run(flow_result("post", "phone", ["changed"], tmp_path / "output")),
            job_run(flow_result("refund", "desktop", ["passed"])),
        ],
        tmp_path,
    )

    for fail_on, failures in ((FailOn.CHANGED, 2), (FailOn.FAILED, 1)):
        write_junit(report, tmp_path / "junit.xml", fail_on)
        [suite] = list(JUnitXml.fromfile(str(tmp_path / "junit.xml")))
        assert (suite.tests, suite.failures) == (3, failures)


def test_a_browser_that_failed_is_in_the_suite_though_others_ran_its_jobs(tmp_path):
    """``--endpoint a,b`` with ``a`` dead: the flows pass on ``b``, and a dashboard still
    reads that ``a`` failed, with its whole error."""
    report = report_of([job_run(flow_result("pre", "desktop", ["passed"]))], tmp_path)
    report = report.model_copy(update={"browsers": (
        BrowserUse(endpoint="ws://a/", jobs=0, error="connect ECONNREFUSED 127.0.0.1:9\nCall log"),
        BrowserUse(endpoint="ws://b/", jobs=1),
    )})

    write_junit(report, tmp_path / "junit.xml")
    [suite] = list(JUnitXml.fromfile(str(tmp_path / "junit.xml")))

    assert suite.failures == 0
    assert {p.name: p.value for p in suite.properties()}["failed-browsers"] == "1"
    assert suite_err(suite) == (
        "The browser at ws://a/ failed after 0 job(s); the run's other browsers ran the rest:"
        " connect ECONNREFUSED 127.0.0.1:9\nCall log"
    )
    page = write_report(report, tmp_path / "report").read_text()
    assert 'class="browser-failed"' in page and "The browser at ws://a/ failed" in page


def test_a_run_on_its_own_browser_says_nothing_about_browsers(tmp_path):
    report = report_of([job_run(flow_result("pre", "desktop", ["passed"]))], tmp_path)

    write_junit(report, tmp_path / "junit.xml")
    [suite] = list(JUnitXml.fromfile(str(tmp_path / "junit.xml")))

    assert suite_err(suite) is None
    assert {p.name: p.value for p in suite.properties()}["failed-browsers"] == "0"

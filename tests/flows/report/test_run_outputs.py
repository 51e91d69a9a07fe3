"""What a run produces besides its progress: jobs shared among browsers with retries and
shards, the JUnit file, the HTML report and the merge of shards. Results are built by
hand here; the end-to-end tests run real browsers."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Error

from flows.merge import merge_reports
from flows.report.html import write_report
from flows.report.junit import junit_tree
from flows.report.outcomes import summary
from flows.run.pool import ShardError, parse_shard, plan, run_jobs, shard
from flows.settings import FlowsSettings
from flowspec.contract import JobOutcome, read_run_report, write_json
from tests.flows.run_results import flow, flow_result, job_run, report_of

FLOWS = [flow(name) for name in ("refund", "coupon", "pre", "post", "shipped")]


# --- shards and endpoints ---------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_shards_cover_every_job_once_whatever_the_order_of_flows(count):
    jobs = plan(FLOWS, ("desktop", "phone"))
    shards = [[job.key for job in shard(jobs, index, count)] for index in range(1, count + 1)]
    reordered = [
        [job.key for job in shard(plan(FLOWS[::-1], ("phone", "desktop")), index, count)]
        for index in range(1, count + 1)
    ]

    assert sorted(key for part in shards for key in part) == sorted(job.key for job in jobs)
    assert [sorted(part) for part in shards] == [sorted(part) for part in reordered]
    assert max(map(len, shards)) - min(map(len, shards)) <= 1


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", ""])
def test_a_bad_shard_is_refused_with_the_form_it_takes(text):
    with pytest.raises(
        ShardError, match=re.escape(f'--shard must be I/N with 1 ≤ I ≤ N (e.g. 1/2), not "{text}"')
    ):
        parse_shard(text)


def test_endpoints_come_from_the_option_or_the_variable_as_a_list(monkeypatch):
    monkeypatch.setenv("FLOWS_BROWSER_ENDPOINT", "http://127.0.0.1:9222, ws://host:3000/pw ,")
    settings = FlowsSettings()

    assert settings.endpoints() == ["http://127.0.0.1:9222", "ws://host:3000/pw"]
    assert settings.endpoints("http://a:1,http://b:2") == ["http://a:1", "http://b:2"]
    assert FlowsSettings(browser_endpoint="").endpoints() == []


# --- the pool ---------------------------------------------------------------------------


@contextmanager
def no_browser():
    yield None


def test_two_browsers_share_the_jobs_one_job_each_at_a_time():
    jobs = plan(FLOWS, ("desktop", "phone"))
    busy: dict[str, int] = {}
    most = {"each": 0, "all": 0}
    lock = threading.Lock()
    both_busy = threading.Barrier(2, timeout=5)

    def run_one(session, job, attempt):
        name = threading.current_thread().name
        with lock:
            busy[name] = busy.get(name, 0) + 1
            most["each"] = max(most["each"], busy[name])
            most["all"] = max(most["all"], sum(busy.values()))
        if job is jobs[0] or job is jobs[1]:
            both_busy.wait()  # the first two jobs overlap: the browsers work in parallel
        with lock:
            busy[name] -= 1
        return flow_result(job.flow.id, job.device, ["passed"])

    runs = run_jobs(jobs, [("a", no_browser), ("b", no_browser)], run_one)

    assert [run.job.key for run in runs] == [job.key for job in jobs]
    assert {run.endpoint for run in runs} == {"a", "b"}
    assert most == {"each": 1, "all": 2}


def test_a_job_that_fails_then_passes_is_flaky_not_passed():
    attempts = iter([["passed", "failed", "skipped"], ["passed", "passed", "passed"]])

    def run_one(session, job, attempt):
        return flow_result(job.flow.id, job.device, next(attempts))

    [run] = run_jobs(
        plan(FLOWS[:1], ("desktop",)),
        [("local", no_browser)],
        run_one,
        retries=2,
        in_this_thread=True,
    )

    assert (run.outcome, len(run.attempts)) == (JobOutcome.FLAKY, 2)
    assert run.earlier_failures() == ['attempt 1: flow "refund" on desktop, step 2: it went wrong']


def test_without_retries_a_failure_is_run_once():
    calls = []

    def run_one(session, job, attempt):
        calls.append(attempt)
        return flow_result(job.flow.id, job.device, ["failed"])

    [run] = run_jobs(plan(FLOWS[:1], ("desktop",)), [("local", no_browser)], run_one)

    assert (run.outcome, calls) == (JobOutcome.FAILED, [1])


@pytest.mark.parametrize(
    ("statuses", "outcome"),
    [
        (["passed", "passed"], JobOutcome.PASSED),
        (["passed", "changed", "passed"], JobOutcome.CHANGED),
        (["changed", "failed", "skipped"], JobOutcome.FAILED),
        (["failed", "skipped"], JobOutcome.FAILED),
    ],
)
def test_a_flow_whose_pictures_alone_changed_is_changed_not_failed(statuses, outcome):
    [run] = run_jobs(
        plan(FLOWS[:1], ("desktop",)),
        [("local", no_browser)],
        lambda session, job, attempt: flow_result(job.flow.id, job.device, statuses),
    )

    assert run.outcome is outcome


def test_a_browser_that_cannot_be_reached_leaves_its_jobs_to_the_others():
    @contextmanager
    def unreachable():
        raise Error("connect ECONNREFUSED 127.0.0.1:9")
        yield

    def run_one(session, job, attempt):
        return flow_result(job.flow.id, job.device, ["passed"])

    runs = run_jobs(plan(FLOWS, ("desktop",)), [("down", unreachable), ("up", no_browser)], run_one)

    assert {run.endpoint for run in runs} == {"up"}


def test_when_no_browser_can_be_reached_the_run_says_which():
    @contextmanager
    def unreachable():
        raise Error("connect ECONNREFUSED 127.0.0.1:9\n  more")
        yield

    with pytest.raises(
        Exception,
        match=r"^the browser at http://127.0.0.1:9 failed: connect ECONNREFUSED 127.0.0.1:9\n  more$",
    ):
        run_jobs(plan(FLOWS, ("desktop",)), [("http://127.0.0.1:9", unreachable)] * 2, None)


# --- JUnit, summary, HTML report, merge ------------------------------------------------


@pytest.fixture
def mixed_report(tmp_path):
    """A failed flow (changed picture, then a failed step), a flaky one and a passed one."""
    evidence = tmp_path / "output"
    failed = job_run(
        flow_result("pre", "desktop", ["passed", "changed", "failed", "skipped"], evidence)
    )
    flaky = job_run(
        flow_result("post", "phone", ["failed", "skipped"]),
        flow_result("post", "phone", ["passed", "passed"]),
    )
    passed = job_run(flow_result("refund", "desktop", ["passed", "passed"]))
    return report_of([passed, flaky, failed], tmp_path)


def test_junit_has_one_case_per_flow_and_device_with_the_failing_step(mixed_report):
    suite = junit_tree(mixed_report).getroot().find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}

    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    assert set(cases) == {"refund[desktop]", "post[phone]", "pre[desktop]"}
    assert cases["refund[desktop]"].find("failure") is None
    failure = cases["pre[desktop]"].find("failure")
    # the step that stopped the flow, not the changed picture before it
    assert failure.get("message") == 'step 3 "step-3": flow "pre" on desktop, step 3: it went wrong'
    assert failure.text.splitlines()[1:] == ["skipped 1: 4 step-4"]
    flaky = cases["post[phone]"]
    assert flaky.find("failure") is None
    assert flaky.find("flakyFailure").get("message").startswith("attempt 1: ")


def test_the_summary_counts_flaky_flows_apart(mixed_report):
    assert summary(mixed_report).splitlines()[0] == (
        "FAILED: 1 of 3 flow runs passed, 1 failed (5 steps passed, 1 changed, 1 failed,"
        " 1 skipped);"
        " 1 flaky (failed, then passed on a retry): post [phone]"
    )


def test_the_html_report_lists_failures_first_with_their_pictures(mixed_report, tmp_path):
    index = write_report(mixed_report, tmp_path / "report", root=tmp_path)

    text = index.read_text()
    order = [m.group(1) for m in re.finditer(r'<details class="job (\w+)"', text)]
    assert order == ["failed", "flaky", "passed"]
    for kind in ("expected", "actual", "diff"):
        assert f'src="images/pre/desktop/02-step-2-{kind}.png"' in text
        assert (
            tmp_path / "report" / "images" / "pre" / "desktop" / f"02-step-2-{kind}.png"
        ).is_file()
    assert (tmp_path / "report" / "report.js").is_file()
    assert not re.search(r"(src|href)=\"(https?:)?//", text), "the report must open offline"


def test_two_shards_merge_into_the_whole_run(tmp_path):
    whole = [
        job_run(flow_result(f.id, device, ["passed", "changed"], tmp_path / "run"))
        for f in FLOWS
        for device in ("desktop", "phone")
    ]
    keys = [run.job.key for run in whole]
    folders = []
    for index in (1, 2):
        mine = {job.key for job in shard([run.job for run in whole], index, 2)}
        folder = tmp_path / f"shard-{index}"
        part = [run for run in whole if run.job.key in mine]
        report = report_of(part, tmp_path, shards=(f"{index}/2",))
        # the shard's evidence as CI hands it over: its own output folder, moved elsewhere
        for run in part:
            for step in run.final.steps:
                for written in (step.expected, step.actual, step.diff):
                    if written is not None:
                        path = Path(written)
                        target = folder / path.relative_to(tmp_path / "run")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(path.read_bytes())
        write_json(folder / "latest-run.json", report)
        folders.append(folder)

    merged = merge_reports(folders, tmp_path / "merged", root=tmp_path)

    expected = report_of(whole, tmp_path)
    assert sorted(f"{j.flow}/{j.device}" for j in merged.jobs) == sorted(keys)
    assert merged.shards == ("1/2", "2/2")

    def plain(report):
        return sorted((r.flow, r.device, r.step, r.status, r.message) for r in report.results)

    assert plain(merged) == plain(expected)
    for row in merged.results:
        for path in (row.expected, row.actual, row.diff):
            if path is not None:
                assert path.startswith("merged/") and (tmp_path / path).is_file()
    write_json(tmp_path / "merged" / "latest-run.json", merged)
    assert read_run_report(tmp_path / "merged" / "latest-run.json") == merged


def test_merging_the_same_shard_twice_is_refused(tmp_path):
    report = report_of([job_run(flow_result("pre", "desktop", ["passed"]))], tmp_path)
    write_json(tmp_path / "a" / "latest-run.json", report)
    write_json(tmp_path / "b" / "latest-run.json", report)

    with pytest.raises(
        Exception,
        match=r"pre \[desktop\] is in both .*a and .*b: were the shards run with the same --shard\?",
    ):
        merge_reports([tmp_path / "a", tmp_path / "b"], tmp_path / "merged", root=tmp_path)


def test_junit_of_a_merged_run_is_valid_xml(mixed_report, tmp_path):
    path = tmp_path / "junit.xml"
    junit_tree(mixed_report).write(path, encoding="utf-8", xml_declaration=True)

    assert ET.parse(path).getroot().tag == "testsuites"


def test_past_its_budget_the_report_stores_a_steps_pictures_at_half_size(
    tmp_path, monkeypatch
):
    evidence = tmp_path / "output"
    runs = [job_run(flow_result(f.id, "desktop", ["changed"], evidence)) for f in FLOWS[:3]]
    one_step = sum(p.stat().st_size for p in (evidence / "refund").rglob("*.png"))
    monkeypatch.setattr("flows.report.pictures.IMAGE_BUDGET", one_step)

    write_report(report_of(runs, tmp_path), tmp_path / "report", root=tmp_path)

    images = tmp_path / "report" / "images"
    full = sorted(p.relative_to(images).as_posix() for p in images.rglob("*.png"))
    small = sorted(p.relative_to(images).as_posix() for p in images.rglob("*.jpg"))
    assert full == [f"refund/desktop/01-step-1-{kind}.png" for kind in ("actual", "diff", "expected")]
    assert len(small) == 6 and {p.split("/")[0] for p in small} == {"coupon", "pre"}
    with Image.open(images / small[0]) as picture:
        assert picture.size == (32, 24)  # half of 64 × 48


def test_an_unexpected_error_in_a_browser_thread_is_raised_as_it_is():
    def run_one(session, job, attempt):
        raise KeyError("a bug")

    with pytest.raises(KeyError, match="a bug"):
        run_jobs(plan(FLOWS, ("desktop",)), [("a", no_browser), ("b", no_browser)], run_one)

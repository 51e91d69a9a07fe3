"""The HTML report in a browser: it opens from disk with nothing fetched from elsewhere,
says the run's outcome in three levels, puts why a flow stopped first, filters by status
chip (with and without its script), by flow, device and text, and slides between
expected and actual. Its pictures in ``docs/`` are checked against a fresh rendering
(``FLOWS_UPDATE_DOCS=1`` rewrites them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from flows.pictures.diff import compare
from flows.pictures.files import ROOT
from flows.report.html import write_report
from flowspec.contract import FailureKind, RunReport
from tests.accessibility.axe import audit, report
from tests.flows.run_results import flow_result, job_run, picture, report_of

DOCS = ROOT / "docs"
WIDTHS = {"desktop": (1280, 800), "phone": (412, 839)}
GREEN, RED = "rgb(26, 127, 55)", "rgb(198, 40, 40)"


def sample_report(tmp_path: Path) -> RunReport:
    """One flow of each outcome: stopped at a step (a changed picture before it, the
    baseline of the failed step kept), pictures only changed, flaky, passed."""
    evidence = tmp_path / "output"
    stopped = flow_result("pre", "desktop", ["passed", "changed", "failed", "skipped"], evidence)
    failed = stopped.steps[2]
    failed.failure = FailureKind.NOT_FOUND
    failed.duration_ms = 5012
    failed.message = (
        'flow "pre" on desktop, step 3 "step-3" (Click link "View details"): '
        'link "View details" was not found'
    )
    base = evidence / "pre" / "desktop" / "03-step-3"
    failed.expected = str(picture(Path(f"{base}-expected.png"), (0, 0, 255)))
    failed.actual = str(picture(Path(f"{base}-actual.png"), (255, 255, 255)))
    failed.diff = str(picture(Path(f"{base}-diff.png"), (255, 0, 0)))
    stopped.trace = evidence / "pre" / "desktop" / "trace.zip"
    stopped.trace.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    return report_of(
        [
            job_run(flow_result("refund", "desktop", ["passed", "passed"])),
            job_run(flow_result("coupon", "phone", ["passed", "changed", "passed"], evidence)),
            job_run(
                flow_result("post", "phone", ["failed", "skipped"]),
                flow_result("post", "phone", ["passed", "passed"]),
            ),
            job_run(stopped),
        ],
        tmp_path,
    )


def test_the_report_filters_and_compares_offline(page: Page, tmp_path):
    index = write_report(sample_report(tmp_path), tmp_path / "report", root=tmp_path)
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith("file:") else elsewhere.append(r.url))

    page.goto(index.as_uri())

    jobs = page.locator("details.job")
    expect(jobs).to_have_count(4)
    expect(jobs.first).to_contain_text("pre")  # failed first, then changed, flaky, passed
    expect(jobs.last).to_contain_text("refund")
    filters = page.get_by_role("form", name="Filter the flows")
    filters.get_by_label("Status").select_option("passed")
    expect(page.locator("details.job:visible")).to_have_count(1)
    expect(page.locator("details.job:visible")).to_contain_text("refund")
    assert page.url.endswith("#?s=passed")
    filters.get_by_label("Status").select_option("")
    filters.get_by_label("Device").select_option("phone")
    expect(page.locator("details.job:visible")).to_have_count(2)
    expect(page.locator("#shown")).to_have_text("2")

    changed = page.locator("details.job", has_text="coupon")
    changed.locator("summary").click()
    slider = changed.get_by_label("Actual (left of the line) against expected (right):")
    slider.fill("20")
    expect(changed.locator(".compare img.top")).to_have_css("clip-path", "inset(0px 80% 0px 0px)")
    assert elsewhere == []


def test_the_header_and_the_chips_say_the_three_levels(page: Page, tmp_path):
    only_changed = report_of(
        [job_run(flow_result("coupon", "phone", ["passed", "changed"], tmp_path / "output"))],
        tmp_path,
    )
    page.goto(write_report(only_changed, tmp_path / "changed", root=tmp_path).as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text("changed Flows run report")
    expect(page).to_have_title("CHANGED · flows run · 2026-03-02T09:00:00+00:00")

    page.goto(write_report(sample_report(tmp_path), tmp_path / "report", root=tmp_path).as_uri())
    chips = page.get_by_role("navigation", name="Show flows by status").get_by_role("link")
    expect(chips).to_have_text(
        ["all 4", "failed 1", "changed 1", "flaky 1", "passed 1", "skipped 1"]
    )
    chips.filter(has_text="changed").click()
    expect(page.locator("details.job:visible")).to_have_count(1)
    expect(page.locator("details.job:visible")).to_contain_text("coupon")
    assert page.url.endswith("#?s=changed")


def test_a_chips_address_filters_without_the_script(browser: Browser, tmp_path):
    index = write_report(sample_report(tmp_path), tmp_path / "report", root=tmp_path)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{index.as_uri()}#?s=failed")

    expect(page.locator("details.job:visible")).to_have_count(1)
    expect(page.locator("details.job:visible")).to_contain_text("pre")
    page.goto(f"{index.as_uri()}#?s=skipped")  # the flows with skipped steps
    expect(page.locator("details.job:visible")).to_have_count(1)
    context.close()


def test_a_failed_flow_opens_on_why_it_stopped(page: Page, tmp_path):
    index = write_report(sample_report(tmp_path), tmp_path / "report", root=tmp_path)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(index.as_uri())

    failed = page.locator("details.job.failed")
    summary = failed.locator(".error-summary")
    expect(summary).to_contain_text('Stopped at step 3 “step-3” (not found)')
    expect(summary).to_contain_text('link "View details" was not found')
    expect(summary).to_be_in_viewport(ratio=1)  # seen without scrolling
    step = failed.locator("li[data-status=failed]")
    expect(step).to_contain_text("5012 ms")  # the time the step took before it failed
    for caption in ("Expected (baseline)", "Actual", "Difference"):
        expect(step.get_by_role("img", name=f"{caption.split(' ')[0]} picture of step 3",
                                exact=False).first).to_be_attached()
    # every badge in its own status's colour, whatever its flow's
    expect(failed.locator("li[data-status=passed] .badge")).to_have_css("color", GREEN)
    expect(failed.locator("summary .badge")).to_have_css("color", RED)
    expect(failed.locator(".trace code")).to_have_text(
        "playwright show-trace traces/pre/desktop/trace.zip"
    )
    assert (index.parent / "traces" / "pre" / "desktop" / "trace.zip").is_file()
    flaky = page.locator("details.job.flaky")
    flaky.locator("summary").click()
    expect(flaky.locator(".attempts li")).to_have_text(
        [
            'failed flow "post" on phone, step 1: it went wrong',
            "passed (the result that counts)",
        ]
    )


def test_the_report_is_accessible(page: Page, tmp_path):
    index = write_report(sample_report(tmp_path), tmp_path / "report", root=tmp_path)
    page.goto(index.as_uri())
    for job in page.locator("details.job").all():
        job.evaluate("element => element.open = true")

    found = audit(page)

    assert not found.blocking, report("the HTML report", found.blocking)


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_pictures_of_the_report_in_the_docs_are_current(
    browser: Browser, tmp_path, device
):
    width, height = WIDTHS[device]
    index = write_report(sample_report(tmp_path), tmp_path / "report", root=tmp_path)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(index.as_uri())
    expect(page.locator(".error-summary")).to_be_visible()
    shot = tmp_path / "shot.png"
    page.screenshot(path=str(shot), animations="disabled", caret="hide")
    context.close()
    committed = DOCS / f"report-{width}.png"

    if os.environ.get("FLOWS_UPDATE_DOCS") == "1":
        committed.write_bytes(shot.read_bytes())
    with Image.open(committed) as expected, Image.open(shot) as actual:
        comparison = compare(expected, actual)
    assert comparison.matches, f"{committed.name}: {comparison.describe()}"

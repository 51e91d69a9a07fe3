"""The HTML report in a browser: it opens from disk with nothing fetched from elsewhere,
filters by flow, device and outcome, and slides between expected and actual."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from flows.report.html import write_report
from tests.flows.run_results import flow_result, job_run, report_of


def test_the_report_filters_and_compares_offline(page: Page, tmp_path):
    evidence = tmp_path / "output"
    report = report_of(
        [
            job_run(flow_result("refund", "desktop", ["passed", "passed"])),
            job_run(flow_result("pre", "phone", ["passed", "changed", "passed"], evidence)),
            job_run(flow_result("post", "desktop", ["failed", "skipped"])),
        ],
        tmp_path,
    )
    index = write_report(report, tmp_path / "report", root=tmp_path)
    elsewhere = []
    page.on("request", lambda r: None if r.url.startswith("file:") else elsewhere.append(r.url))

    page.goto(index.as_uri())

    jobs = page.locator("details.job")
    expect(jobs).to_have_count(3)
    expect(jobs.last).to_contain_text("refund")  # failures first, the one that passed last
    filters = page.get_by_role("form", name="Filter the flows")
    filters.get_by_label("Outcome").select_option("passed")
    expect(page.locator("details.job:visible")).to_have_count(1)
    expect(page.locator("details.job:visible")).to_contain_text("refund")
    filters.get_by_label("Outcome").select_option("")
    filters.get_by_label("Device").select_option("phone")
    expect(page.locator("details.job:visible")).to_have_count(1)
    expect(page.locator("#shown")).to_have_text("1")

    slider = page.get_by_label("Actual (left of the line) against expected (right):")
    slider.fill("20")
    expect(page.locator(".compare img.top")).to_have_css("clip-path", "inset(0px 80% 0px 0px)")
    assert elsewhere == []

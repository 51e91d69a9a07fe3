"""A run shared among two Chromium endpoints on loopback gives the results of a local
run, and two shards of it merged give the whole. One short flow on both devices (two
jobs: one for each browser, one for each shard) keeps it quick; the pool's own rules are tested without browsers in
tests/flows/report/test_run_outputs.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

from flows.cli import main
from flows.run.browser import Session

FLOWS = ("coupon-store-expired",)


def run(*argv: str, session: Session | None = None) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), session=session, out=out)
    return status, out.getvalue()


def outcomes(folder: Path) -> dict:
    """Each step's status and message, by flow, device and step (where it ran aside)."""
    report = json.loads((folder / "latest-run.json").read_text())
    return {
        (row["flow"], row["device"], row["step"]): (row["status"], row["message"])
        for row in report["results"]
    }


def test_two_endpoints_give_the_local_results_and_two_shards_merge_to_the_whole(
    browser, devices, base_url, devtools_chromium, tmp_path: Path
):
    common = (*FLOWS, "--base-url", base_url, "--no-trace")
    local, pooled = tmp_path / "local", tmp_path / "pooled"
    status, output = run("run", *common, "--output", str(local), session=Session(browser, devices))
    assert status == 0, output

    with devtools_chromium() as first, devtools_chromium() as second:
        endpoints = f"{first},{second}"
        status, output = run("run", *common, "--endpoint", endpoints, "--output", str(pooled))
        assert status == 0, output
        shards = [tmp_path / "shard-1", tmp_path / "shard-2"]
        for number, folder in enumerate(shards, 1):
            status, output = run(
                "run",
                *common,
                "--endpoint",
                first,
                "--shard",
                f"{number}/2",
                "--output",
                str(folder),
            )
            assert status == 0, output

    assert outcomes(pooled) == outcomes(local)
    assert len(outcomes(local)) == 18  # 9 steps, two devices
    jobs = json.loads((pooled / "latest-run.json").read_text())["jobs"]
    assert {job["endpoint"] for job in jobs} == {first, second}, "both browsers took jobs"
    parts = [set(outcomes(folder)) for folder in shards]
    assert parts[0] and parts[1] and not parts[0] & parts[1]

    merged = tmp_path / "merged"
    status, output = run(
        "merge", *map(str, shards), "--output", str(merged), "--junit", str(tmp_path / "junit.xml")
    )

    assert status == 0, output
    assert outcomes(merged) == outcomes(pooled)
    assert (tmp_path / "junit.xml").read_text().count("<testcase ") == 2

"""Three redesigns of the storefront, each a template changed on a copy of the storefront
(served on a port of its own): a wording change, a structural change, a colour-only
change. For each, the text output, the JUnit file (read as CI reads it), the HTML report
and the exit status say what broke at the first affected step; once the flow follows
the redesign and its pictures are accepted, the run passes and the guide's close-ups
show the new page. One flow, on desktop."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from junitparser import JUnitXml
from PIL import Image

from flows.cli import main
from flows.pictures.annotate import crop, png_bytes
from flows.pictures.files import RECORDINGS_DIR, ROOT, crop_name
from flows.run.browser import Session
from flows.run.live_server import free_port, serve, storefront_command
from flowspec.contract import MANIFEST_NAME, Box
from flowspec.paths import load_flows
from flowspec.steps import Flow

FLOW = load_flows()["pre-verification"]
CANCEL_LINK = (
    '<a class="btn btn-primary" href="/orders/{{ order.number }}/cancel">Cancel order</a>'
)


@dataclass(frozen=True)
class Redesign:
    template: str
    old: str
    new: str
    exit_status: int
    first_line: str  # the first progress line that is not a pass
    junit_type: str
    report_says: str
    follow: Callable[[Flow], Flow]  # the flow as it must be written for the new page


def retarget(flow: Flow, step_id: str, **target: object) -> Flow:
    """``flow`` with the target of ``step_id`` changed (its name, its role)."""
    steps = []
    for step in flow.steps:
        if step.id == step_id and step.target is not None:
            step = step.model_copy(update={"target": step.target.model_copy(update=target)})
        steps.append(step)
    return flow.model_copy(update={"steps": tuple(steps)})


REDESIGNS = {
    "wording": Redesign(
        "orders.html", ">View details</a>", ">See details</a>", 1,
        "≠ pre-verification [desktop] 5/11 find-order", "not found",
        "Stopped at step 6 “view-details” (not found)",
        lambda flow: retarget(flow, "view-details", name="See details"),
    ),
    "structure": Redesign(
        "order_detail.html", CANCEL_LINK,
        '<form action="/orders/{{ order.number }}/cancel"><button class="btn btn-primary">'
        "Cancel order</button></form>",
        1, "✗ pre-verification [desktop] 7/11 cancel-order", "not found",
        "Stopped at step 7 “cancel-order” (not found)",
        lambda flow: retarget(flow, "cancel-order", role="button"),
    ),
    "colour": Redesign(
        "order_detail.html", CANCEL_LINK, CANCEL_LINK.replace("btn-primary", "btn-secondary"),
        3, "≠ pre-verification [desktop] 7/11 cancel-order", "picture changed",
        "1 picture(s) changed",
        lambda flow: flow,
    ),
}


@pytest.fixture(params=list(REDESIGNS))
def redesign(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Redesign, str]]:
    """The variant, and a storefront that serves a copy of the templates with it applied."""
    variant = REDESIGNS[request.param]
    site = tmp_path / "site"
    shutil.copytree(ROOT / "mock_site", site / "mock_site",
                    ignore=shutil.ignore_patterns("__pycache__"))
    template = site / "mock_site" / "web" / "templates" / variant.template
    text = template.read_text(encoding="utf-8")
    assert variant.old in text, f"{variant.template} no longer holds what the variant changes"
    template.write_text(text.replace(variant.old, variant.new), encoding="utf-8")
    port = free_port()
    command = storefront_command(port, f"sqlite:///{tmp_path / 'shop.db'}")
    with serve(command, f"http://127.0.0.1:{port}", cwd=site, timeout_s=90,
               env={"PYTHONPATH": f"{site}:{ROOT}"}) as url:
        yield variant, url


def recordings_copy(folder: Path) -> Path:
    """The committed baselines of the flow, and the manifest, to accept into."""
    shutil.copytree(RECORDINGS_DIR / FLOW.id / "desktop", folder / FLOW.id / "desktop")
    shutil.copyfile(RECORDINGS_DIR / MANIFEST_NAME, folder / MANIFEST_NAME)
    return folder


@pytest.mark.browser
def test_a_redesign_is_reported_at_its_first_step_and_accepted(
    browser, devices, tmp_path: Path, redesign
):
    variant, url = redesign
    recordings = recordings_copy(tmp_path / "recordings")
    session = Session(browser, devices)

    def cli(*argv: str, flow: Flow = FLOW) -> tuple[int, str]:
        out = io.StringIO()
        status = main(list(argv), flows={FLOW.id: flow}, session=session,
                      recordings_dir=recordings, output_dir=tmp_path / "output", out=out)
        return status, out.getvalue()

    def run(flow: Flow = FLOW) -> tuple[int, str]:
        return cli("run", FLOW.id, "--device", "desktop", "--base-url", url, "--timeout-ms",
                   "2000", "--junit", str(tmp_path / "junit.xml"), "--report",
                   str(tmp_path / "report"), flow=flow)

    status, output = run()

    assert status == variant.exit_status, output
    lines = [line for line in output.splitlines() if line[:1] in "✓≠✗"]
    assert next(line for line in lines if not line.startswith("✓")).startswith(
        variant.first_line
    ), output
    [suite] = list(JUnitXml.fromfile(str(tmp_path / "junit.xml")))
    [case] = list(suite)
    [failure] = case.result
    assert failure.type == variant.junit_type
    report = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert variant.report_says in re.sub(r"<[^>]+>", "", report)
    headline = "changed" if variant.exit_status == 3 else "failed"
    assert f'<h1><span class="badge {headline}">{headline}</span>' in report

    follows = variant.follow(FLOW)
    status, output = run(follows)
    if status == 3:  # only pictures changed now: accept them all
        status, output = cli("approve", "--all", "--yes", "--reviewer", "QA")
        assert status == 0, output
        status, output = run(follows)
    assert status == 0, output
    manifest = json.loads((recordings / MANIFEST_NAME).read_text())
    entry = next(flow for flow in manifest["flows"] if flow["id"] == FLOW.id)
    accepted = [step for step in entry["steps"] if "desktop" in step.get("accepted", {})]
    assert accepted or variant.exit_status == 1  # pictures only: something was accepted
    for step in accepted:
        name = crop_name(step["number"], step["id"])
        assert step["crops"]["desktop"] == f"{FLOW.id}/desktop/{name}"
        close_up = (recordings / FLOW.id / "desktop" / name).read_bytes()
        with Image.open(recordings / step["images"]["desktop"]) as picture:
            part = crop(picture.convert("RGB"), Box(**step["boxes"]["desktop"]))
        assert part is not None and close_up == png_bytes(part), "the close-up is stale"
        if variant.template == "order_detail.html":  # the redesigned button is in the close-up
            assert close_up != (RECORDINGS_DIR / FLOW.id / "desktop" / name).read_bytes()

"""How long recording the guide takes, against a plain Playwright script doing the same.

``python -m bench.record_guide [--profile] [--flows ID ...]``

Records every flow on desktop and phone with the real recorder (``flows.run.runner.run_flow``,
into a temporary folder: ``flows/recordings`` is never touched) and, beside it in the same
run, replays the same navigations, clicks, fills and screenshots as a plain script: the
action list is generated from the same flow definitions but executed with raw Playwright
calls (no expectations, no annotation, no tracing, no masks, PNGs written by Chromium).
One browser serves both; each flow gets a fresh context. The two alternate flow by flow
(ours first, then plain first for the next) so machine noise falls on both alike.

Prints wall time for each, the median time per step, and ours/plain (issue 15: ≤ 1.05).
With ``--profile`` the recorder's half runs under cProfile and the functions where its
time goes are printed and written to the results.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from playwright.sync_api import Browser, Page

from bench.support.common import (
    Figure,
    add_quick_option,
    median,
    package_version,
    ratio,
    results_folder,
    spread,
    write_results,
)
from flows.pictures.files import image_name
from flows.run.browser import Device, open_session
from flows.run.flow_run import MASK_COLOR, MASKED
from flows.run.live_server import live_storefront
from flows.run.results import StepResult
from flows.run.runner import run_flow
from flowspec import steps as model
from flowspec.paths import load_flows
from flowspec.steps import Flow, Target

NAME = "record_guide"
TARGET_RATIO = 1.05  # issue 15: "recording within 1.05× a plain Playwright script"
DEVICES = ("desktop", "phone")


# --- the plain script ---------------------------------------------------------------------

# One operation of the plain script: ("goto", path) · ("click"|"check", target) ·
# ("fill", target, value) · ("select", target, label) · ("post", url, data) · ("reload",)
# · ("shot", target or None, file name).
Op = tuple[Any, ...]


class _WithSignInLinks(dict):
    """The scenario's values, where each ``{buyer_ticket}``/``{seller_ticket}`` is a fresh
    one-time sign-in ticket from the control API, as a hand-written script would ask."""

    def __init__(self, values: dict[str, Any], context: Any) -> None:
        super().__init__(values)
        self.context = context

    def __missing__(self, key: str) -> str:
        role = {"buyer_ticket": "buyer", "seller_ticket": "seller"}.get(key)
        if role is None:
            raise KeyError(key)
        link = self.context.request.post(f"/api/scenarios/{self['token']}/sign-in-links",
                                         data={"role": role})
        return link.json()["url"].rsplit("/", 1)[-1]


def plain_ops(flow: Flow, values: dict[str, Any]) -> list[list[Op]]:
    """Per step, the raw operations a hand-written script would do, screenshot included.

    The screenshot is taken at the same moment the recorder takes it: before a click (the
    click may leave the page), after anything else. With a target, the script scrolls it
    into view first, which is also how a plain script makes sure the page is there.
    """
    steps = []
    for number, step in enumerate(flow.steps, 1):
        step = step.filled_in(values)
        action, target = step.action, step.target
        shot: Op = ("shot", target, image_name(number, step.id))
        ops: list[Op] = []
        match action:
            case model.Goto(path=path):
                ops = [("goto", path), shot]
            case model.Click():
                ops = [shot, ("click", target)]
            case model.Fill(value=value):
                ops = [("fill", target, value), shot]
            case model.Select(option=option):
                ops = [("select", target, option), shot]
            case model.Check():
                ops = [("check", target), shot]
            case model.Uncheck():
                ops = [("uncheck", target), shot]
            case model.SellerAction(order=order, answer=verb, message=message):
                url = f"/api/scenarios/{values['token']}/orders/{order}/seller"
                ops = [("post", url, {"action": verb, "message": message}), ("reload",), shot]
            case model.AdvanceClock(days=days, hours=hours):
                url = f"/api/scenarios/{values['token']}/clock"
                ops = [("post", url, {"days": days, "hours": hours}), ("reload",), shot]
            case model.Observe():
                ops = [shot]
        steps.append(ops)
    return steps


def raw_locator(page: Page, target: Target):
    """``page.get_by_role(...)`` and friends, nested for scoped targets."""
    root = raw_locator(page, target.scope) if target.scope else page
    if target.role is not None:
        if target.name is None:
            return root.get_by_role(target.role)
        return root.get_by_role(target.role, name=target.name, exact=target.exact)
    if target.label is not None:
        return root.get_by_label(target.label, exact=target.exact)
    return root.get_by_text(target.text or "", exact=target.exact)


def run_plain(
    browser: Browser, flow: Flow, device: Device, base_url: str, folder: Path,
    *, same_shots: bool = False,
) -> tuple[float, list[float]]:
    """The plain script for one flow on one device: (wall seconds, seconds per step).

    ``same_shots`` takes the screenshots with the recorder's options (animations off,
    caret hidden, volatile and personal content masked), so the pictures are the same
    but for the annotation; otherwise a bare ``page.screenshot``.
    """
    started = perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**device.options, base_url=base_url)
    try:
        page = context.new_page()
        body = context.request.post("/api/scenarios", data={"name": flow.scenario}).json()
        values = _WithSignInLinks(
            {**body, "orders": [order["number"] for order in body["orders"]]}, context)
        step_seconds = []
        for ops in plain_ops(flow, values):
            step_started = perf_counter()
            for op in ops:
                match op:
                    case ("goto", path):
                        page.goto(path)
                    case ("click", target):
                        raw_locator(page, target).click()
                    case ("check", target):
                        raw_locator(page, target).check()
                    case ("uncheck", target):
                        raw_locator(page, target).uncheck()
                    case ("fill", target, value):
                        raw_locator(page, target).fill(value)
                    case ("select", target, option):
                        raw_locator(page, target).select_option(label=option)
                    case ("post", url, data):
                        context.request.post(url, data=data)
                    case ("reload",):
                        page.reload()
                    case ("shot", target, name):
                        if target is not None:
                            raw_locator(page, target).scroll_into_view_if_needed()
                        if same_shots:
                            page.screenshot(
                                path=folder / name, scale="css", animations="disabled",
                                caret="hide", mask=[page.locator(MASKED)],
                                mask_color=MASK_COLOR,
                            )
                        else:
                            page.screenshot(path=folder / name, scale="css")
            step_seconds.append(perf_counter() - step_started)
    finally:
        context.close()
    return perf_counter() - started, step_seconds


# --- the recorder ------------------------------------------------------------------------


@dataclass
class OursRun:
    seconds: float = 0.0
    step_seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def run_ours(
    browser: Browser, flow: Flow, device: Device, base_url: str, record_dir: Path,
    output_dir: Path,
) -> OursRun:
    """``run_flow`` as ``python -m flows record`` calls it, timing each step as it ends.

    A step's time is from the end of the previous step to the end of this one, so the
    first step also carries the context and scenario set-up (the median does not mind).
    """
    run = OursRun()
    last = perf_counter()

    def on_step(step: StepResult) -> None:
        nonlocal last
        now = perf_counter()
        if step.status == "passed":
            run.step_seconds.append(now - last)
        elif step.status == "failed":
            run.failures.append(step.message)
        last = now

    started = perf_counter()
    result = run_flow(
        browser, flow, device, base_url,
        record_dir=record_dir, output_dir=output_dir, on_step=on_step, trace=False,
    )
    run.seconds = perf_counter() - started
    if not result.passed and not run.failures:
        run.failures.append(f"{flow.id} [{device.name}] did not pass")
    return run


# --- the comparison ----------------------------------------------------------------------


@dataclass
class Totals:
    seconds: float = 0.0
    step_seconds: list[float] = field(default_factory=list)
    per_flow: dict[str, float] = field(default_factory=dict)

    def add(self, key: str, seconds: float, steps: list[float]) -> None:
        self.seconds += seconds
        self.step_seconds += steps
        self.per_flow[key] = round(seconds, 3)


class Breakdown:
    """Wall time inside the recorder's parts, by wrapping them while ``on`` is set.

    cProfile attributes Playwright's waits poorly (the sync API switches greenlets), so
    the parts are timed directly: what the step does, its checks, the capture and its
    pieces, the PNG encoding, and the per-flow context work.
    """

    PARTS = (
        ("flows.run.flow_run:FlowRun.perform", "act (goto/click/fill/…)"),
        ("flows.run.flow_run:FlowRun.wait_visible", "wait for the target"),
        ("flows.run.flow_run:FlowRun.verify", "expectations"),
        ("flows.run.flow_run:FlowRun.capture", "capture (all of it)"),
        ("playwright.sync_api._generated:Locator.evaluate", "  scroll into view, box, viewport"),
        ("playwright.sync_api._generated:Locator.aria_snapshot", "  aria snapshot"),
        ("playwright.sync_api._generated:Page.screenshot", "  page.screenshot (masked)"),
        ("flows.run.flow_run:marked_pngs", "mark + PNG encode (background thread)"),
        ("flows.run.runner:write_recording", "write files (waits for encoding)"),
        ("flows.run.runner:new_context", "new context"),
        ("playwright.sync_api._generated:BrowserContext.new_page", "new page"),
        ("flows.run.runner:create_scenario", "create scenario"),
        ("playwright.sync_api._generated:Tracing.start", "tracing start"),
        ("playwright.sync_api._generated:Tracing.stop", "tracing stop"),
        ("playwright.sync_api._generated:BrowserContext.close", "context close"),
    )

    def __init__(self) -> None:
        import importlib

        self.on = False
        self.seconds: dict[str, float] = {label: 0.0 for _, label in self.PARTS}
        self.calls: dict[str, int] = {label: 0 for _, label in self.PARTS}
        for where, label in self.PARTS:
            module_name, _, attribute = where.partition(":")
            owner: Any = importlib.import_module(module_name)
            *path, name = attribute.split(".")
            for part in path:
                owner = getattr(owner, part)
            setattr(owner, name, self._timed(getattr(owner, name), label))

    def _timed(self, function: Callable, label: str) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.on:
                return function(*args, **kwargs)
            started = perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[label] += perf_counter() - started
                self.calls[label] += 1

        return timed

    def lines(self, total: float) -> list[str]:
        rows = []
        for _, label in self.PARTS:
            seconds, calls = self.seconds[label], self.calls[label]
            if calls:
                rows.append(
                    f"{label:<28} {seconds:7.2f} s  {100 * seconds / total:5.1f} %  "
                    f"{calls:4d} calls  {1000 * seconds / calls:6.1f} ms each"
                )
        return rows


def profile_summary(profiler: cProfile.Profile, limit: int = 25) -> list[str]:
    """The recorder's own functions by cumulative time (cProfile)."""
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative")
    stats.print_stats(r"runner.py|annotate.py|browser.py|control.py|PngImagePlugin.py", limit)
    return [line for line in stream.getvalue().splitlines() if line.strip()][-limit - 1:]


VARIANTS = ("ours", "plain", "plain_same_shots")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.record_guide", description=__doc__)
    parser.add_argument("--profile", action="store_true",
                        help="time the recorder's parts and run it under cProfile")
    parser.add_argument("--flows", nargs="*", metavar="FLOW", help="only these flows")
    add_quick_option(parser)
    args = parser.parse_args(argv)
    started_at = datetime.now(UTC).replace(microsecond=0)

    flows = load_flows()
    selected = [flows[name] for name in args.flows] if args.flows else list(flows.values())
    devices = DEVICES
    if args.quick:  # the shortest flow, on desktop
        selected, devices = [min(selected, key=lambda flow: len(flow.steps))], DEVICES[:1]
    totals = {variant: Totals() for variant in VARIANTS}
    failures: list[str] = []
    breakdown = Breakdown() if args.profile else None
    profiler = cProfile.Profile() if args.profile else None

    with tempfile.TemporaryDirectory(prefix="bench-record-") as scratch, \
            live_storefront() as base_url, open_session() as session:
        scratch_dir = Path(scratch)
        print(f"storefront {base_url}; recording into a temporary folder")

        def do(variant: str, flow: Flow, device: Device, key: str) -> None:
            if variant == "ours":
                if breakdown and profiler:
                    breakdown.on = True
                    profiler.enable()
                run = run_ours(session.browser, flow, device, base_url,
                               scratch_dir / "ours", scratch_dir / "output")
                if breakdown and profiler:
                    profiler.disable()
                    breakdown.on = False
                totals[variant].add(key, run.seconds, run.step_seconds)
                failures.extend(run.failures)
            else:
                seconds, steps = run_plain(
                    session.browser, flow, device, base_url,
                    scratch_dir / variant / flow.id / device.name,
                    same_shots=variant == "plain_same_shots",
                )
                totals[variant].add(key, seconds, steps)

        # Warm-up (not timed): first page loads, template compilation, browser caches.
        warm = selected[0]
        run_ours(session.browser, warm, session.devices["desktop"], base_url,
                 scratch_dir / "warm", scratch_dir / "warm-output")
        run_plain(session.browser, warm, session.devices["desktop"], base_url,
                  scratch_dir / "warm-plain")

        pairs = [(flow, device) for flow in selected for device in devices]
        for index, (flow, device_name) in enumerate(pairs):
            device = session.devices[device_name]
            key = f"{flow.id} [{device_name}]"
            turn = index % len(VARIANTS)  # each variant goes first as often as the others
            for variant in VARIANTS[turn:] + VARIANTS[:turn]:
                do(variant, flow, device, key)
            print(f"  {key:<40} " + "  ".join(
                f"{variant} {totals[variant].per_flow[key]:5.2f} s" for variant in VARIANTS
            ), flush=True)

        images = {v: sorted((scratch_dir / v).rglob("*.png")) for v in VARIANTS}
        png_bytes = {v: sum(p.stat().st_size for p in images[v]) for v in VARIANTS}

    ours, plain, same = (totals[v] for v in VARIANTS)
    medians = {v: median(totals[v].step_seconds) for v in VARIANTS}
    wall_ratio = ratio(ours.seconds, plain.seconds)
    same_ratio = ratio(ours.seconds, same.seconds)

    def ms(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds * 1000, 1)

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    figures = [
        Figure("flow runs (flows × devices)", len(pairs)),
        Figure("steps recorded", len(ours.step_seconds)),
        Figure("recorder wall time", round(ours.seconds, 2), "s"),
        Figure("plain script wall time (bare screenshots)", round(plain.seconds, 2), "s"),
        Figure("plain script wall time (same screenshot options)", round(same.seconds, 2), "s"),
        Figure("ratio ours/plain, bare screenshots (wall)", rounded(wall_ratio), "",
               f"≤ {TARGET_RATIO}", wall_ratio is not None and wall_ratio <= TARGET_RATIO),
        Figure("ratio ours/plain, same screenshot options (wall)", rounded(same_ratio), "",
               f"≤ {TARGET_RATIO}", same_ratio is not None and same_ratio <= TARGET_RATIO),
        Figure("recorder median per step", ms(medians["ours"]), "ms"),
        Figure("plain median per step (bare)", ms(medians["plain"]), "ms"),
        Figure("plain median per step (same options)", ms(medians["plain_same_shots"]), "ms"),
        Figure("ratio ours/plain (median step, bare)",
               rounded(ratio(medians["ours"], medians["plain"]))),
        Figure("screenshots written (ours / plain / plain same)",
               " / ".join(str(len(images[v])) for v in VARIANTS)),
        Figure("failed steps (recorder)", len(failures)),
    ]
    notes = [
        "Plain script: same browser, fresh context per flow, same scenario via the control "
        "API, same actions and screenshot moments, PNGs written by Chromium; no "
        "expectations, visibility waits, aria snapshots, bounding boxes, tracing, "
        "annotation or Pillow re-encoding. 'Bare' = `page.screenshot(scale='css')`; "
        "'same screenshot options' adds the recorder's mask, animations='disabled' and "
        "caret='hide' (identical pictures but for the annotation).",
        "Ours: `flows.run.runner.run_flow(record_dir=<temp>, trace=False)`, exactly what "
        "`python -m flows record` does per flow and device (manifest not written).",
        "The three alternate flow by flow, each going first in turn. Per-step time of ours "
        "runs from one step's end to the next (the first step of a flow also carries "
        "context and scenario set-up).",
    ]
    if failures:
        notes.append(f"recorder failures: {failures[:3]}")
    details: dict[str, Any] = {
        **{f"{v}_step_seconds": spread(totals[v].step_seconds) for v in VARIANTS},
        **{f"{v}_per_flow_seconds": totals[v].per_flow for v in VARIANTS},
        "png_bytes": png_bytes,
        "playwright": package_version("playwright"),
        "pillow": package_version("pillow"),
    }
    if breakdown and profiler:
        lines = breakdown.lines(ours.seconds)
        details["breakdown"] = lines
        details["profile_cumulative"] = profile_summary(profiler)
        print(f"\nWhere the recorder's {ours.seconds:.1f} s go (parts overlap: capture "
              "holds its pieces):")
        print("\n".join(f"  {line}" for line in lines))
        notes.append("Breakdown of the recorder's time (--profile; capture holds the "
                     "indented parts): " + "; ".join(
                         f"{label.strip()} {breakdown.seconds[label]:.1f} s"
                         for _, label in Breakdown.PARTS if breakdown.calls[label]))
    write_results(NAME, "Recording the guide: recorder vs plain Playwright", figures,
                  details, notes, started_at, folder=results_folder(args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

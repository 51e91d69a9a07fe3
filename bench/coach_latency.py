"""How quickly the coach follows a trainee, and what it adds to a page's load.

``python -m bench.coach_latency [--quick]``

Starts a storefront on a free loopback port and drives headless Chromium through every
flow with the coach alone (``flows.run.coached``: the same trainee as the end-to-end test),
on desktop. The coach itself measures nothing: a script of the bench's, added to every
page before the page's own scripts (``WATCH``), records in the page
(``performance.timeOrigin + now()``, kept in sessionStorage across page loads) when the
trainee acted (the first click, input or change of a step, heard in the capture phase
before the coach hears it) and when the next step was painted (a frame after the panel
showed it and, for a step with an element, the highlight was on that element); the figure
is the spread of those gaps, over every step, whether the step stays on the page (a tick,
typing) or loads another (a link, a form, a coach button).

Load: the same page (My Orders of one scenario copy) loaded side by side in two
contexts, one with the coach on and one without, alternating, ``ROUNDS`` times each;
DOMContentLoaded from the page's own navigation timing. Targets: action → highlight
median < 100 ms; coach on adds < 10 % to DOMContentLoaded (median).

``--quick`` follows three flows and loads the page ``QUICK_ROUNDS`` times each way, prints
the same figures from that smaller sample and writes no results.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from bench.support.common import (
    Figure,
    median,
    percentile,
    print_table,
    ratio,
    spread,
    write_results,
)
from flows.run.browser import device_profiles, launch, new_context
from flows.run.coached import CoachedTrainee
from flows.run.live_server import live_storefront
from flowspec.control_client import ControlClient
from flowspec.paths import load_flows
from flowspec.steps import Flow, Goto

NAME = "coach_latency"
TARGET_MS = 100.0
TARGET_LOAD_RATIO = 1.10
ROUNDS = 40
QUICK_ROUNDS = 10
QUICK_FLOWS = 3
LOAD_FLOW = "refund-balance"  # starts on My Orders, signed in

# Added to every page of a followed flow before its own scripts. ``pending`` is the step the
# panel showed when the trainee acted; a record is kept once the panel shows a later step
# (or the end) and, if that step highlights an element (``LIT``), the highlight is on it.
# On a page loaded by the step, ``page`` is its time origin and ``ready`` when the coach's
# panel was first in it.
WATCH = """(() => {
  if (window.top !== window) return;
  const LIT = new Set(LIT_STEPS);
  const PENDING = "bench:coach:pending", RECORDS = "bench:coach:records";
  const now = () => performance.timeOrigin + performance.now();
  const read = (key, empty) => JSON.parse(sessionStorage.getItem(key) || empty);
  let ready = null;
  let waiting = null;
  function shown() {
    const count = document.querySelector("#coach-panel .coach-count");
    if (!count) return null;
    if (count.textContent.startsWith("Done")) return Infinity;
    const match = /^Step (\\d+) of/.exec(count.textContent);
    return match ? Number(match[1]) : null;
  }
  function acted() {
    const step = shown();
    const pending = read(PENDING, "null");
    if (step === null || step === Infinity || (pending && pending.step === step)) return;
    sessionStorage.setItem(PENDING, JSON.stringify({ step, acted: now() }));
  }
  for (const type of ["click", "input", "change"]) window.addEventListener(type, acted, true);
  function painted() {
    waiting = null;
    const pending = read(PENDING, "null");
    if (!pending) return;
    const record = { ...pending, painted: now() };
    if (performance.timeOrigin > record.acted) {
      record.page = performance.timeOrigin;
      record.ready = ready;
    }
    const records = read(RECORDS, "[]");
    records.push(record);
    sessionStorage.setItem(RECORDS, JSON.stringify(records));
    sessionStorage.removeItem(PENDING);
  }
  new MutationObserver(() => {
    if (ready === null && document.getElementById("coach-panel")) ready = now();
    const step = shown();
    const pending = read(PENDING, "null");
    if (waiting !== null || step === null || !pending || !(step > pending.step)) return;
    if (LIT.has(step) && !document.querySelector(`.coach-target[data-coach-step="${step}"]`)) {
      return;
    }
    waiting = step;
    requestAnimationFrame(() => setTimeout(painted, 0));
  }).observe(document, { subtree: true, childList: true, attributes: true,
                         attributeFilter: ["data-coach-step"] });
})();"""
RECORDS = "() => JSON.parse(sessionStorage.getItem('bench:coach:records') || '[]')"
NONE_PENDING = "() => sessionStorage.getItem('bench:coach:pending') === null"
DCL = """() => { const [n] = performance.getEntriesByType('navigation');
                 return [n.domContentLoadedEventEnd - n.startTime, n.responseEnd - n.startTime]; }"""


def lit_steps(flow: Flow) -> list[int]:
    """The steps whose element the coach highlights: those with a target, done in the page."""
    return [number for number, step in enumerate(flow.steps, 1)
            if step.target is not None and not isinstance(step.action, Goto)]


def action_to_highlight(browser: Browser, devices: dict, base_url: str,
                        flows: list[Flow]) -> dict[str, list[dict]]:
    """Every flow followed with the coach; each step's timings as ``WATCH`` kept them."""
    gaps: dict[str, list[dict]] = {}
    for flow in flows:
        context = new_context(browser, devices["desktop"], base_url)
        context.add_init_script(script=WATCH.replace("LIT_STEPS", json.dumps(lit_steps(flow))))
        page = context.new_page()
        trainee = CoachedTrainee(page, flow, "desktop")
        trainee.follow()
        page.wait_for_function(NONE_PENDING, timeout=5_000)  # the last step's frame painted
        gaps[flow.id] = page.evaluate(RECORDS)
        context.close()
    return gaps


def page_load(browser: Browser, devices: dict, base_url: str,
              rounds: int) -> dict[str, list[float]]:
    """DOMContentLoaded of My Orders with the coach on and off, alternating."""
    on = new_context(browser, devices["desktop"], base_url)
    coached = on.new_page()
    coached.goto(f"/coach/{LOAD_FLOW}")
    coached.get_by_role("button", name="Start", exact=True).click()
    coached.get_by_role("dialog", name="Coach").wait_for()
    token = coached.request.get("/coach/tour").json()["token"]
    off = new_context(browser, devices["desktop"], base_url)
    plain = off.new_page()
    # The same buyer, same orders, no coach cookie: signed in by a one-time link.
    plain.goto(ControlClient(base_url).sign_in_link(token, "buyer").url)
    url = coached.url
    assert plain.url == url, (plain.url, url)
    figures: dict[str, list[float]] = {"on": [], "off": [], "on_response": [], "off_response": []}
    pages = {"on": coached, "off": plain}
    for round_number in range(rounds):
        order = ("on", "off") if round_number % 2 == 0 else ("off", "on")
        for which in order:
            page: Page = pages[which]
            page.goto(url, wait_until="load")
            loaded, answered = page.evaluate(DCL)
            figures[which].append(loaded)
            figures[f"{which}_response"].append(answered)
    on.close()
    off.close()
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.coach_latency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_FLOWS} flows and {QUICK_ROUNDS} loads each way; "
                             "prints the figures, writes no results")
    args = parser.parse_args(argv)
    started = datetime.now(UTC).replace(microsecond=0)
    flows = list(load_flows().values())
    flows = flows[:QUICK_FLOWS] if args.quick else flows
    rounds = QUICK_ROUNDS if args.quick else ROUNDS
    with live_storefront() as base_url, sync_playwright() as playwright:
        browser = launch(playwright)
        devices = device_profiles(playwright)
        gaps = action_to_highlight(browser, devices, base_url, flows)
        load = page_load(browser, devices, base_url, rounds)
        browser.close()
    steps = [t for flow_steps in gaps.values() for t in flow_steps]
    every = [t["painted"] - t["acted"] for t in steps]
    same_page = [t["painted"] - t["acted"] for t in steps if "page" not in t]
    loads = [t for t in steps if "page" in t]
    gap_median = median(every)
    on, off = median(load["on"]), median(load["off"])
    load_ratio = ratio(on, off)
    figures = [
        Figure(f"steps measured ({len(gaps)} flows, desktop)", len(every)),
        Figure("action → next highlight painted, median", gap_median, "ms", f"< {TARGET_MS:g} ms",
               gap_median is not None and gap_median < TARGET_MS),
        Figure("action → next highlight painted, p90", percentile(every, 90), "ms"),
        Figure("action → next highlight painted, max", max(every) if every else None, "ms"),
        Figure("same page (tick, typing, Next): median", median(same_page), "ms"),
        Figure("new page (link, form, coach button): median", median(
            [t["painted"] - t["acted"] for t in loads]), "ms"),
        Figure("new page: action → page starts / page → coach's panel / panel → painted, medians",
               " / ".join(f"{median(part):.0f}" for part in (
                   [t["page"] - t["acted"] for t in loads],
                   [t["ready"] - t["page"] for t in loads],
                   [t["painted"] - t["ready"] for t in loads])) if loads else None, "ms"),
        Figure("My Orders DOMContentLoaded, coach off, median", off, "ms"),
        Figure("My Orders DOMContentLoaded, coach on, median", on, "ms"),
        Figure("coach on / off (DOMContentLoaded, median)", load_ratio, "",
               f"< {TARGET_LOAD_RATIO:g}", load_ratio is not None and load_ratio < TARGET_LOAD_RATIO),
        Figure("of which the page's answer (responseEnd), coach off / on, medians",
               f"{median(load['off_response']):.1f} / {median(load['on_response']):.1f}", "ms"),
    ]
    details: dict[str, Any] = {
        "action_to_highlight_ms": {flow: spread([t["painted"] - t["acted"] for t in values])
                                   for flow, values in gaps.items()},
        "action_to_highlight_ms_all": spread(every),
        "dom_content_loaded_ms": {which: spread(values) for which, values in load.items()},
        "rounds": rounds,
        "load_average": os.getloadavg(),
    }
    notes = [
        "Action → highlight: measured in the page by a script of the bench's, not by the "
        "coach, from the trainee's action (the step's first click, input or change: a click, "
        "typing, a coach button) to a frame painted after the panel showed the next step with "
        "its element highlighted; steps that load a new page include the server's answer, the "
        "page load and the coach finding its target there (the panel is in the page once the "
        "coach has its tour, library and styles).",
        f"Load: My Orders of one copy of the {LOAD_FLOW} scenario, coach on (its cookie) and "
        f"off (a second context signed in as the same buyer), alternating, {rounds} loads each.",
        "The coach is an async module script (its modules fetched beside the page's parse) "
        "and adds its stylesheet and Testing Library after DOMContentLoaded; the page's answer (responseEnd) is shown beside it, as part of the "
        "difference comes before the page is parsed at all.",
    ]
    title = "Coach: action → next highlight, and its cost to a page's load"
    if args.quick:
        print_table(f"{title} (--quick: not written)", figures)
        for note in notes:
            print(f"  - {note}")
        return
    write_results(NAME, title, figures, details, notes, started_at=started)


if __name__ == "__main__":
    main()

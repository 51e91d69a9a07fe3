"""How fast the guide's tutorial answers "Next", against a bare Streamlit app.

``python -m bench.guide_latency [--quick]``

Starts ``streamlit run app.py`` on a free loopback port (the real recordings in
``flows/recordings``) and drives it in headless Chromium: the time from clicking Next to
the next step's screenshot being loaded and painted, for 20 clicks (10 steps of the first
path on desktop, then 10 on the phone), median and spread. Beside it, a bare Streamlit
app (written to a temporary folder by this script) does the same rerun with the same
images: a Next button, a counter in session state, ``st.image``. Both are served at the
same time with the same settings (the repository's ``.streamlit/config.toml``, headless,
127.0.0.1), and their clicks alternate one by one (each going first in turn), so a
change in the machine's load falls on both alike.

The click and the wait happen inside the page (``performance.now()``), so the figure
does not include Playwright's own round trips. Time to first page is from ``page.goto``
to the first step's screenshot being shown, in a fresh browser context: once right after
the server started (cold) and once more (warm). Target: Next ≤ 1.3 × bare, first page < 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from bench.support.common import (
    ROOT,
    Figure,
    add_quick_option,
    median,
    package_version,
    percentile,
    ratio,
    results_folder,
    spread,
    write_results,
)
from flows.pictures.files import RECORDINGS_DIR
from flows.run.browser import launch
from flows.run.live_server import free_port, serve
from flowspec.contract import read_manifest

NAME = "guide_latency"
TARGET_RATIO = 1.3
TARGET_FIRST_PAGE_S = 2.0
CLICKS_PER_DEVICE = 10
VIEWPORT = {"width": 1280, "height": 900}

# Click the button named ``label`` and resolve, in ms, when an image whose alt text starts
# with ``alt`` has loaded and a frame has been painted after it.
CLICK_AND_WAIT = """
async ([label, alt]) => {
  const button = [...document.querySelectorAll("button")]
    .find(b => b.innerText.trim().endsWith(label) || b.innerText.trim().startsWith(label));
  if (!button) throw new Error("no button " + label);
  const started = performance.now();
  button.click();
  return await new Promise((resolve, reject) => {
    const give_up = setTimeout(() => reject(new Error("no image " + alt)), 15000);
    const check = () => {
      const image = [...document.images].find(i => i.alt.startsWith(alt));
      if (image && image.complete && image.naturalWidth > 0) {
        requestAnimationFrame(() => { clearTimeout(give_up); resolve(performance.now() - started); });
      } else {
        requestAnimationFrame(check);
      }
    };
    check();
  });
}
"""

IMAGE_SHOWN = """
(alt) => [...document.images].some(i => i.alt.startsWith(alt) && i.complete && i.naturalWidth > 0)
"""

BARE_APP = '''
"""A bare Streamlit app: a Next button, a counter, and a screenshot per step."""
import json
import os
from pathlib import Path

import streamlit as st

STEPS = json.loads(Path(os.environ["BENCH_STEPS"]).read_text())

if "index" not in st.session_state:
    st.session_state.index = 0


def move() -> None:
    st.session_state.index = (st.session_state.index + 1) % len(STEPS)


step = STEPS[st.session_state.index]
st.button("Next", on_click=move)
data = Path(step["file"]).read_bytes()
if step["device"] == "phone":
    st.image(data, width=340, alt=step["alt"])
else:
    st.image(data, width="stretch", alt=step["alt"])
'''


def streamlit_command(script: Path, port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]


def healthy(base_url: str) -> bool:
    try:
        return httpx.get(base_url + "/_stcore/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


PAGE_TIMING = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return {
    dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
    load_ms: nav ? nav.loadEventEnd : null,
    resources: resources.length,
    script_kb: Math.round(resources.filter(r => r.initiatorType === "script" || r.name.endsWith(".js"))
      .reduce((sum, r) => sum + (r.decodedBodySize || 0), 0) / 1000),
    transferred_kb: Math.round(resources.reduce((sum, r) => sum + (r.transferSize || 0), 0) / 1000),
  };
}
"""


def first_page(browser: Browser, url: str, alt: str) -> dict[str, Any]:
    """From goto to the first step's screenshot shown: a first visit in a fresh context,
    then a repeat visit in the same context (the browser's cache warm)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        started = perf_counter()
        page.goto(url)
        page.wait_for_function(IMAGE_SHOWN, arg=alt, timeout=30_000, polling="raf")
        first = perf_counter() - started
        timing = page.evaluate(PAGE_TIMING)
        started = perf_counter()
        page.goto(url)
        page.wait_for_function(IMAGE_SHOWN, arg=alt, timeout=30_000, polling="raf")
        repeat = perf_counter() - started
        return {"first_s": first, "repeat_s": repeat, **timing}
    finally:
        context.close()


def click_next(page: Page, alt: str) -> float:
    """Milliseconds from clicking Next to the image with ``alt`` shown."""
    return page.evaluate(CLICK_AND_WAIT, ["Next", alt])


def settle(page: Page) -> None:
    """Let Streamlit finish the rerun (no script running) before the next click."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=15_000, polling=50,
    )
    page.wait_for_timeout(150)


def open_at(browser: Browser, url: str, alt: str) -> Page:
    """A fresh context on ``url``, once the screenshot ``alt`` is shown and the run is over."""
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.goto(url)
    page.wait_for_function(IMAGE_SHOWN, arg=alt, timeout=30_000, polling="raf")
    settle(page)
    return page


def guide_to_phone(page: Page, guide_url: str, flow_id: str, first: dict) -> None:
    """The tutorial's first step on the phone, by its address (README: links into the guide)."""
    page.goto(f"{guide_url}?flow={flow_id}&device=phone&step=1")
    page.wait_for_function(IMAGE_SHOWN, arg=first["phone"], timeout=30_000, polling="raf")
    settle(page)


def measure_next(browser: Browser, guide_url: str, bare_url: str, flow_id: str, first: dict,
                 steps: dict) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Next on the tutorial (desktop steps 1→11, then the phone's first step opened by its
    address, steps 1→11) and on the bare app (the same images in one sequence), click for click: the two
    alternate, each going first in turn. The moves between devices are not counted."""
    guide: dict[str, list[float]] = {"desktop": [], "phone": []}
    bare: dict[str, list[float]] = {"desktop": [], "phone": []}
    guide_page = open_at(browser, guide_url, first["desktop"])
    bare_page = open_at(browser, bare_url, first["desktop"])
    try:
        clicks = 0
        for device in ("desktop", "phone"):
            if device == "phone":
                guide_to_phone(guide_page, guide_url, flow_id, first)
                click_next(bare_page, first["phone"])  # the bare app's desktop→phone jump
                settle(bare_page)
            for alt in steps[device][1:]:
                order = [(guide_page, guide), (bare_page, bare)]
                for page, timings in order if clicks % 2 == 0 else order[::-1]:
                    timings[device].append(click_next(page, alt))
                    settle(page)
                clicks += 1
    finally:
        guide_page.context.close()
        bare_page.context.close()
    return guide, bare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.guide_latency", description=__doc__)
    add_quick_option(parser)
    args = parser.parse_args(argv)
    clicks_per_device = 2 if args.quick else CLICKS_PER_DEVICE
    started_at = datetime.now(UTC).replace(microsecond=0)

    manifest = read_manifest(RECORDINGS_DIR / "manifest.json")
    flow = manifest.flows[0]  # the tutorial opens on the first path's first flow
    labels = {name: device.label for name, device in manifest.devices.items()}
    steps = flow.steps[: clicks_per_device + 1]
    alts = {
        device: [f"Step {s.number}: {s.title} ({labels[device]})" for s in steps]
        for device in ("desktop", "phone")
    }
    sequence = [
        {"device": device, "alt": alt,
         "file": str(RECORDINGS_DIR / str(step.images[device]))}
        for device in ("desktop", "phone")
        for step, alt in zip(steps, alts[device], strict=True)
    ]
    first = {device: alts[device][0] for device in alts}

    with tempfile.TemporaryDirectory(prefix="bench-guide-") as scratch, \
            sync_playwright() as playwright:
        folder = Path(scratch)
        bare_script = folder / "bare_app.py"
        bare_script.write_text(textwrap.dedent(BARE_APP).lstrip(), encoding="utf-8")
        steps_file = folder / "steps.json"
        steps_file.write_text(json.dumps(sequence), encoding="utf-8")
        env_before = os.environ.get("BENCH_STEPS")
        os.environ["BENCH_STEPS"] = str(steps_file)  # the bare app's subprocess reads it
        browser = launch(playwright)
        try:
            guide_port, bare_port = free_port(), free_port()
            with serve(streamlit_command(ROOT / "app.py", guide_port),
                       f"http://127.0.0.1:{guide_port}", probe=healthy, timeout_s=60) as guide_url, \
                    serve(streamlit_command(bare_script, bare_port),
                          f"http://127.0.0.1:{bare_port}", probe=healthy, timeout_s=60) as bare_url:
                guide_cold = first_page(browser, guide_url + "/", first["desktop"])
                bare_cold = first_page(browser, bare_url + "/", sequence[0]["alt"])
                guide_warm = first_page(browser, guide_url + "/", first["desktop"])
                bare_warm = first_page(browser, bare_url + "/", sequence[0]["alt"])
                guide, bare = measure_next(browser, guide_url + "/", bare_url + "/", flow.id,
                                           first, alts)
            for name, cold, warm, timings in (("guide", guide_cold, guide_warm, guide),
                                              ("bare ", bare_cold, bare_warm, bare)):
                print(f"  {name}: first page {cold['first_s']:.2f} s cold, "
                      f"{warm['first_s']:.2f} s warm, {warm['repeat_s']:.2f} s repeat visit; "
                      f"Next median {median(timings['desktop'] + timings['phone']):.0f} ms",
                      flush=True)
        finally:
            browser.close()
            if env_before is None:
                os.environ.pop("BENCH_STEPS", None)
            else:
                os.environ["BENCH_STEPS"] = env_before

    guide_all = guide["desktop"] + guide["phone"]
    bare_all = bare["desktop"] + bare["phone"]
    next_ratio = ratio(median(guide_all), median(bare_all))

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    figures = [
        Figure("Next clicks measured (guide / bare)", f"{len(guide_all)} / {len(bare_all)}"),
        Figure("guide: Next → screenshot, median", ms(median(guide_all)), "ms"),
        Figure("guide: Next → screenshot, p90", ms(percentile(guide_all, 90)), "ms"),
        Figure("bare Streamlit: Next → screenshot, median", ms(median(bare_all)), "ms"),
        Figure("bare Streamlit: Next → screenshot, p90", ms(percentile(bare_all, 90)), "ms"),
        Figure("ratio guide/bare (median)", round(next_ratio, 3) if next_ratio else None, "",
               f"≤ {TARGET_RATIO}", next_ratio is not None and next_ratio <= TARGET_RATIO),
        Figure("guide: Next median, desktop / phone",
               f"{ms(median(guide['desktop']))} / {ms(median(guide['phone']))} ms"),
        Figure("bare: Next median, desktop / phone",
               f"{ms(median(bare['desktop']))} / {ms(median(bare['phone']))} ms"),
        Figure("guide: first page, first visit right after start",
               round(guide_cold["first_s"], 2), "s", f"< {TARGET_FIRST_PAGE_S:g} s",
               guide_cold["first_s"] < TARGET_FIRST_PAGE_S),
        Figure("guide: first page, first visit (server warm)", round(guide_warm["first_s"], 2),
               "s", f"< {TARGET_FIRST_PAGE_S:g} s", guide_warm["first_s"] < TARGET_FIRST_PAGE_S),
        Figure("guide: first page, repeat visit (browser cache)",
               round(guide_warm["repeat_s"], 2), "s", f"< {TARGET_FIRST_PAGE_S:g} s",
               guide_warm["repeat_s"] < TARGET_FIRST_PAGE_S),
        Figure("bare: first page, right after start / warm / repeat visit",
               f"{bare_cold['first_s']:.2f} / {bare_warm['first_s']:.2f} / "
               f"{bare_warm['repeat_s']:.2f} s"),
        Figure("guide / bare: first visit (server warm)",
               round(ratio(guide_warm["first_s"], bare_warm["first_s"]) or 0, 2)),
        Figure("first visit: DOMContentLoaded, guide / bare",
               f"{guide_warm['dom_content_loaded_ms']:.0f} / "
               f"{bare_warm['dom_content_loaded_ms']:.0f} ms"),
        Figure("first visit: JavaScript decoded, guide / bare",
               f"{guide_warm['script_kb']:,} / {bare_warm['script_kb']:,} KB"),
    ]
    notes = [
        f"Tutorial on its first path ({flow.id}): Next through steps 1→"
        f"{clicks_per_device + 1} on desktop, then the phone's first step opened by its address, and again "
        f"1→{clicks_per_device + 1}; each time measured in the page from the click to the next screenshot "
        "loaded and a frame painted.",
        "Bare app: a Next button, a counter in session state and `st.image` of the same "
        "files, same server settings; the desktop→phone jump is not counted. Both servers "
        "run at once and the clicks alternate, guide and bare, each going first in turn.",
        "First page: from `page.goto` to the first step's screenshot shown. First visit = a "
        "fresh browser context (nothing cached; Streamlit's front end is downloaded and "
        "parsed), the server's first visitor (guide, then bare) and once more; repeat visit "
        "= the same context loading the page again.",
    ]
    details = {
        "guide_ms": {device: [round(x, 1) for x in values] for device, values in guide.items()},
        "bare_ms": {device: [round(x, 1) for x in values] for device, values in bare.items()},
        "guide_spread_ms": spread(guide_all),
        "bare_spread_ms": spread(bare_all),
        "first_page": {"guide": {"cold": guide_cold, "warm": guide_warm},
                       "bare": {"cold": bare_cold, "warm": bare_warm}},
        "flow": flow.id,
        "streamlit": package_version("streamlit"),
    }
    write_results(NAME, "Guide: Next → screenshot latency and time to first page", figures,
                  details, notes, started_at,
                  ".venv/bin/python -m bench.guide_latency" + (" --quick" if args.quick else ""),
                  folder=results_folder(args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

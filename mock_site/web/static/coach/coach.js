// The coach: shows one step of a flow at a time on the storefront's own page, points at
// the element the step acts on (found by role and accessible name, as the flow's runner
// finds it with Playwright), and moves on when the page shows what the step expects.
// This module starts it and wires it to the page; the others each do one part.

import { loadLibrary } from "./find.js";
import { onClick, onFocusOut, onInput, onKeyOrPointer, settle } from "./moves.js";
import { buildPanel, show } from "./panel.js";
import { cachedTour, coach, fetchTour, report, restore, showWith } from "./state.js";
import { resync, stillReachable } from "./where.js";

const STYLES = "/static/coach/coach.css";

// After DOMContentLoaded, so that neither the library nor the coach delays the page.
function pageParsed() {
  if (document.readyState !== "loading") return Promise.resolve();
  return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve,
                                                             { once: true }));
}

// Added by the script, after DOMContentLoaded: a stylesheet in the page would hold back
// the page's own deferred scripts, and so its DOMContentLoaded, until it loaded.
function loadStyles() {
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = STYLES;
    link.onload = link.onerror = () => resolve();
    document.head.append(link);
  });
}

// Where this page (a reload, Back, Forward) puts the trainee in the tour.
function findPlace() {
  if (resync()) report();
  stillReachable();
}

async function start() {
  const known = cachedTour();
  const tourLoaded = known ? Promise.resolve(known) : fetchTour();
  await pageParsed();
  const [loaded] = await Promise.all([tourLoaded, loadLibrary(), loadStyles()]);
  if (!loaded) return;
  coach.tour = loaded;
  coach.state = restore();
  showWith(show);
  buildPanel();
  document.addEventListener("click", onClick, true);
  document.addEventListener("input", onInput, true);
  document.addEventListener("change", onInput, true);
  document.addEventListener("keydown", onKeyOrPointer, true);
  document.addEventListener("pointerdown", onKeyOrPointer, true);
  document.addEventListener("focusout", onFocusOut, true);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) { coach.state = restore(); findPlace(); show(); }
  });
  if (coach.state.pending === coach.state.step) await settle(coach.state.step);
  findPlace();
  show();
}

start().catch((error) => {
  // The shop works without the coach; say why it is missing, for whoever looks.
  console.error("Coach:", error);
});

// The step's buttons in the panel: the coach takes the trainee to a page, does what the
// trainee cannot do in the page (the clock, the seller), goes on after looking, takes
// focus to the step's element, or offers the way back from a wrong move: the step's own
// page, kept by the coach (never the browser's history, which may leave the shop).

import { messageOf, unmet, useSuggestion } from "./expect.js";
import { goTo } from "./focus.js";
import { advance, canUndo, clearHint, runUndo, showHint } from "./moves.js";
import { coach, post, save } from "./state.js";
import { wayBack } from "./where.js";

function button(label, onclick, primary = false) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = primary ? "coach-button coach-primary" : "coach-button";
  node.append(label);
  node.addEventListener("click", () => onclick(node));
  return node;
}

async function act(step, pressed) {
  pressed.disabled = true;
  const response = await post("/coach/tour/act", { step: String(step.number) });
  if (!response.ok) {
    const detail = await response.json().catch(() => ({}));
    pressed.disabled = false;
    showHint(detail.detail || "The shop refused that just now.", "start-over");
    return;
  }
  coach.state.pending = step.number;
  save();
  location.reload();
}

// The server fills the address in when the trainee goes (a sign-in link works once).
async function go(step, pressed) {
  pressed.disabled = true;
  const response = await post("/coach/tour/go", { step: String(step.number) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    pressed.disabled = false;
    showHint(answer.detail || "The shop refused that just now.", "start-over");
    return;
  }
  coach.state.pending = step.number;
  save();
  location.assign(answer.location);
}

function next(step) {
  const missing = unmet(step);
  if (missing) { showHint(`Not yet: this step expects ${missing.describe}.`, null); return; }
  advance();
}

// Back to the page the step was shown on; on that page already, the hint is cleared.
function goBack() {
  const page = wayBack();
  clearHint();
  if (page) location.assign(page);
}

export function goBackButton() { return button("Go back", goBack); }

export function startOver() {
  const link = document.createElement("a");
  link.className = "coach-button";
  link.href = coach.tour.start_over;
  link.append("Start over with a fresh copy");
  return link;
}

export function buttons(step, target) {
  const state = coach.state;
  const row = [];
  const kind = step.action.name;
  const goToIt = target ? button("Go to it", () => goTo(target), kind !== "observe") : null;
  if (kind === "goto") {
    row.push(button("Take me there", (pressed) => go(step, pressed), true));
  } else if (kind === "advance-clock" || kind === "seller") {
    row.push(button(step.action.button, (pressed) => act(step, pressed), true));
  } else if (kind === "observe") {
    row.push(button("Next", () => next(step), true));
  } else if (messageOf(step)) {
    row.push(button("Use the suggestion", () => useSuggestion(step)));
  }
  if (goToIt && kind !== "goto" && kind !== "advance-clock" && kind !== "seller") row.push(goToIt);
  if (state.hint && state.recovery === "undo" && canUndo()) row.push(button("Undo", () => runUndo()));
  if (state.hint && state.recovery === "back") row.push(goBackButton());
  if (state.hint && state.recovery === "start-over") row.push(startOver());
  return row;
}

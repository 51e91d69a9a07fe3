// The step's buttons in the panel: the coach takes the trainee to a page, does what the
// trainee cannot do in the page (the clock, the seller), goes on after looking, or offers
// the way back from a wrong move.

import { unmet } from "./expect.js";
import { advance, canUndo, clearHint, runUndo, showHint } from "./moves.js";
import { coach, post, save } from "./state.js";

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

export function buttons(step) {
  const state = coach.state;
  const row = [];
  const kind = step.action.name;
  if (kind === "goto") {
    row.push(button("Take me there", (pressed) => go(step, pressed), true));
  } else if (kind === "advance-clock" || kind === "seller") {
    row.push(button(step.action.button, (pressed) => act(step, pressed), true));
  } else if (kind === "observe") {
    row.push(button("Next", () => next(step), true));
  }
  if (state.hint && state.recovery === "undo" && canUndo()) {
    row.push(button("Undo", () => runUndo()));
  }
  if (state.hint && state.recovery === "back") {
    row.push(button("Go back", () => { clearHint(); history.back(); }));
  }
  return row;
}

// Back to the page before, without a hint to clear (the step's element is not here).
export function goBack() { return button("Go back", () => history.back()); }

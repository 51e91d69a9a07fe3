// Judging the trainee's moves: the step's own element acted on as the step says moves the
// tour on once the page shows what the step expects; anything else gets a hint naming
// what was done and what the step wants, with a way back (undo, go back, start over).

import { accessibleName, find, outsideCoach } from "./find.js";
import { unmet, waitFor } from "./expect.js";
import { coach, current, publish, report, save } from "./state.js";

const CONTROLS = 'a[href], button, input[type="checkbox"], input[type="radio"], ' +
  'input[type="submit"], select, summary, [role="button"], [role="link"]';

let undo = null;
let undoing = false;

// Once the page shows what step `number` expects, the tour goes on; else a hint says why not.
export async function settle(number) {
  const step = coach.tour.steps[number - 1];
  const ok = await waitFor(() => !unmet(step));
  if (number !== coach.state.step) return;
  coach.state.pending = null;
  if (ok) { advance(); return; }
  const missing = unmet(step);
  coach.state.hint = `After “${step.title}” the page should show ${missing.describe}, but it does not.`;
  coach.state.recovery = "start-over";
  save();
  report();
}

export function advance() {
  const state = coach.state;
  const finished = state.step;
  state.hint = "";
  state.recovery = null;
  undo = null;
  if (finished >= coach.tour.steps.length) {
    state.done = true;
  } else {
    state.step = finished + 1;
  }
  publish();
}

function navigates(element) {
  const link = element.closest("a[href]");
  if (link) return !link.getAttribute("href").startsWith("#");
  const button = element.closest('button, input[type="submit"]');
  return !!button && !!button.form && (button.type || "submit") === "submit";
}

function controlOf(element) {
  const label = element.closest("label");
  if (label && label.control) return label.control;
  return element.closest(CONTROLS);
}

export function onClick(event) {
  if (!coach.tour || coach.state.done || undoing || !outsideCoach(event.target)) return;
  const control = controlOf(event.target);
  if (!control) return;
  const step = current();
  const kind = step.action.name;
  const target = coach.highlighted;
  if (target && (target === control || target.contains(control) || control.contains(target))) {
    if (kind === "click") actedOn(navigates(control));
    return;
  }
  // Looking (or having just arrived): the next step's element counts as going on.
  const next = coach.tour.steps[coach.state.step];
  if (kind === "observe" && next && next.action.name === "click") {
    const nextTarget = find(next.target);
    if (nextTarget && (nextTarget === control || nextTarget.contains(control))) {
      if (unmet(step)) return wrongMove(control, step);
      coach.state.step += 1;
      actedOn(navigates(control));
      return;
    }
  }
  if (kind !== "goto") wrongMove(control, step);
}

function actedOn(leavesPage) {
  coach.state.pending = coach.state.step;
  save();
  if (!leavesPage) setTimeout(() => settle(coach.state.step), 0);
}

export function onInput(event) {
  if (!coach.tour || coach.state.done || !coach.highlighted ||
      event.target !== coach.highlighted) return;
  const step = current();
  const field = event.target;
  const kind = step.action.name;
  const value = kind === "select" ? step.action.option : step.action.value;
  let ready = false;
  if (kind === "fill") {
    ready = field.value.trim() === value.trim();
    if (!ready && event.type === "change") {
      showHint(`This step wants you to type “${value}”.`, null);
    }
  } else if (kind === "select") {
    const chosen = field.selectedOptions ? [...field.selectedOptions].map((o) => o.label) : [];
    ready = chosen.includes(value) || field.value === value;
  } else if (kind === "check") {
    ready = field.checked === true;
  } else if (kind === "uncheck") {
    ready = field.checked === false;
  }
  if (ready && coach.state.pending !== coach.state.step) {
    coach.state.pending = coach.state.step;
    save();
    settle(coach.state.step);
  }
}

// What the step wants, in the words of its target: "Cancel order in Order 1001".
export function wanted(step) {
  const target = step.target;
  if (!target) return step.title;
  const own = target.name || target.label || target.text || target.role;
  const scope = target.scope && (target.scope.name || target.scope.label || target.scope.text);
  return scope ? `${own} in ${scope}` : own;
}

function wrongMove(control, step) {
  let name = accessibleName(control);
  const scope = step.target && step.target.scope;
  if (scope && scope.role) {
    const around = control.parentElement && control.parentElement.closest(`[aria-label]`);
    if (around) name = `${name} in ${around.getAttribute("aria-label")}`;
  }
  const what = name ? `This is ${name}` : "That is not it";
  const hint = `${what}; this step wants ${wanted(step)}.`;
  let recovery = "start-over";
  if (control.matches('input[type="checkbox"]')) {
    recovery = "undo";
    undo = () => control.click();
  } else if (control.matches('input[type="radio"]')) {
    const before = control.form && control.name
      ? [...control.form.querySelectorAll(`input[type="radio"]`)]
        .find((r) => r.name === control.name && r.checked) : null;
    recovery = "undo";
    undo = () => { if (before) before.click(); else control.checked = false; };
  } else if (control.closest("a[href]")) {
    recovery = "back";
  }
  showHint(hint, recovery);
}

export function showHint(hint, recovery) {
  coach.state.hint = hint;
  coach.state.recovery = recovery;
  publish();
}

export function clearHint() {
  coach.state.hint = "";
  coach.state.recovery = null;
  undo = null;
  publish();
}

export function canUndo() { return undo !== null; }

// The wrong move taken back by the coach itself: its own click is not judged.
export function runUndo() {
  const restore = undo;
  clearHint();
  undoing = true;
  try { restore(); } finally { undoing = false; }
}

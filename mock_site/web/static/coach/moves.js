// Judging the trainee's moves: the step's own element acted on as the step says moves the
// tour on once the page shows what the step expects; anything else gets a hint naming
// what was done and what the step wants, with a way back (undo, go back, start over).
// Arrow keys inside a radio group only look through the choices: the choice is judged
// when the trainee moves on (leaves the group, presses Space or submits).

import { accessibleName, find, outsideCoach } from "./find.js";
import { messageLacks, messageOf, typedEnough, typingHint, unmet, waitFor } from "./expect.js";
import { coach, current, publish, report, save } from "./state.js";

const CONTROLS = 'a[href], button, input[type="checkbox"], input[type="radio"], ' +
  'input[type="submit"], select, summary, [role="button"], [role="link"]';

let undo = null;
let undoing = false;
let arrowed = false; // the last key was an arrow key on a radio button
let looking = null; // the radio group the trainee is moving through with the arrow keys

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
  state.note = "";
  state.recovery = null;
  undo = null;
  looking = null;
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

// A press that sends a form to the server changes the order: the tour cannot go back
// before it by itself (see where.js).
function posts(element) {
  const button = element.closest('button, input[type="submit"]');
  return navigates(element) && !!button && button.form.method === "post";
}

function controlOf(element) {
  const label = element.closest("label");
  if (label && label.control) return label.control;
  return element.closest(CONTROLS);
}

function radioGroup(radio) {
  if (!radio || radio.type !== "radio" || !radio.name) return [];
  const scope = radio.form || document;
  return [...scope.querySelectorAll('input[type="radio"]')].filter((r) => r.name === radio.name);
}

function inTargetGroup(control) {
  return radioGroup(coach.highlighted).includes(control);
}

// Keys and pointers, noted before their clicks: an arrow key in a radio group only looks.
// Space on the choice the arrows reached: it is checked already, so no click follows.
export function onKeyOrPointer(event) {
  const radio = event.target instanceof HTMLInputElement && event.target.type === "radio";
  arrowed = event.type === "keydown" && radio && event.key.startsWith("Arrow");
  if (event.type === "keydown" && radio && event.key === " " && event.target.checked &&
      looking && looking.includes(event.target)) {
    event.preventDefault(); // focus moves on to the next instruction: no page scroll
    judgeChoice();
  }
}

// Focus leaving the radio group the trainee looked through: the choice is judged now.
export function onFocusOut(event) {
  if (looking && !looking.includes(event.relatedTarget)) judgeChoice();
}

function judgeChoice() {
  const group = looking;
  looking = null;
  const step = current();
  const target = coach.highlighted;
  if (!group || !target || !group.includes(target) || coach.state.done) return;
  if (target.checked) { chosen(step); return; }
  const picked = group.find((r) => r.checked);
  if (picked) wrongMove(picked, step);
}

function chosen(step) {
  if (coach.state.pending === coach.state.step) return;
  coach.state.pending = coach.state.step;
  save();
  if (!unmet(step)) { coach.state.pending = null; advance(); } else settle(coach.state.step);
}

export function onClick(event) {
  if (!coach.tour || coach.state.done || undoing || !outsideCoach(event.target)) return;
  const control = controlOf(event.target);
  if (!control) return;
  // What must be opened to see the step's element (a closed menu) is no wrong move.
  if (coach.opener && (coach.opener === control || coach.opener.contains(control))) return;
  if (inTargetGroup(control) && arrowed) { looking = radioGroup(control); return; }
  if (looking && !looking.includes(control)) judgeChoice();
  const step = current();
  const kind = step.action.name;
  const target = coach.highlighted;
  // A message that does not say enough is not sent: the hint says what it lacks.
  const lacking = target && control.form && control.form.contains(target) && navigates(control) &&
    messageLacks(step);
  if (lacking) { event.preventDefault(); showHint(lacking, null); return; }
  if (posts(control)) coach.state.committed = coach.state.step - 1;
  if (target && (target === control || target.contains(control) || control.contains(target))) {
    if (kind === "click") {
      if (posts(control)) coach.state.committed = coach.state.step;
      actedOn(navigates(control));
    } else if (kind === "check" && control.type === "radio" && control.checked) {
      chosen(step); // Space on the choice the arrows had reached
    }
    return;
  }
  // Looking (or having just arrived, or written a message): the next step's element
  // counts as going on.
  const next = coach.tour.steps[coach.state.step];
  if ((kind === "observe" || messageOf(step)) && next && next.action.name === "click") {
    const nextTarget = find(next.target);
    if (nextTarget && (nextTarget === control || nextTarget.contains(control))) {
      if (unmet(step)) return wrongMove(control, step);
      coach.state.step += 1;
      if (posts(control)) coach.state.committed = coach.state.step;
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

// Whether `field` holds what `step` asks of it (a value typed, or a message once the
// trainee is no longer `typing`; an option, a tick).
export function fieldReady(step, field, typing = false) {
  const kind = step.action.name;
  if (kind === "fill") return typedEnough(step, field.value, typing);
  if (kind === "select") {
    const picked = field.selectedOptions ? [...field.selectedOptions].map((o) => o.label) : [];
    return picked.includes(step.action.option) || field.value === step.action.option;
  }
  if (kind === "check") return field.checked === true;
  if (kind === "uncheck") return field.checked === false;
  return false;
}

export function onInput(event) {
  if (!coach.tour || coach.state.done || !coach.highlighted ||
      event.target !== coach.highlighted) return;
  const step = current();
  const field = event.target;
  if (field.type === "radio" && arrowed) { looking = radioGroup(field); return; }
  const ready = fieldReady(step, field, true);
  const hint = !ready && step.action.name === "fill" && event.type === "change" && typingHint(step);
  if (hint) showHint(hint, null);
  if (ready && coach.state.pending !== coach.state.step) {
    coach.state.pending = coach.state.step;
    save();
    settle(coach.state.step);
  }
}

// What the step wants, in the words of its target: "Cancel order in Order 1001".
export function wanted(step) {
  return step.target_words || step.title;
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
    // No choice was made before it in this step: undoing clears the wrong one.
    recovery = "undo";
    undo = () => { control.checked = false; };
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
  coach.state.note = "";
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

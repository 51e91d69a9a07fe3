// Where the trainee is, read from the page itself and not from the last click: after a
// reload, Back or Forward, or a form the browser emptied, the tour goes on from the step
// this page and the order's state fit. And the way back: each step's own page, kept by
// the coach, never the browser's history (which may hold a blank tab or the sign-in page).

import { find, findHidden } from "./find.js";
import { unmet } from "./expect.js";
import { fieldReady } from "./moves.js";
import { coach, save } from "./state.js";

const FORM_ACTIONS = new Set(["fill", "select", "check", "uncheck"]);
const SERVER_ACTIONS = new Set(["goto", "advance-clock", "seller"]);

function here() { return location.pathname + location.search; }

function stepAt(number) { return coach.tour.steps[number - 1]; }

// A step done on the page in front of the trainee (not a trip, not the server's own move).
function onPage(number) {
  const step = stepAt(number);
  return !!step && !!step.target && !SERVER_ACTIONS.has(step.action.name);
}

// What the steps before `number` left behind shows on this page: what the step just
// before expects, and every choice made on this page since it was opened (a choice the
// page has forgotten means that step is to be done again).
function arrived(number) {
  for (let before = number - 1; before >= 1; before -= 1) {
    const step = stepAt(before);
    if (FORM_ACTIONS.has(step.action.name)) {
      const field = find(step.target);
      if (!field || !fieldReady(step, field)) return false;
    } else {
      if (before === number - 1 && unmet(step)) return false;
      if (step.action.name !== "observe") return true;
    }
  }
  return true;
}

function fits(number) {
  return onPage(number) && !!findHidden(stepAt(number).target) && arrived(number);
}

// The step this page is at: the one the coach was on if the page fits it, else the
// nearest one that fits among the steps done on this same page, never back before a
// step that changed the order on the server. After a wrong move the hint and its way
// back hold instead (the page may fit a step while being the wrong order's).
// Returns whether the step changed.
export function resync() {
  const state = coach.state;
  if (state.done || state.hint || state.pending === state.step || !onPage(state.step) ||
      fits(state.step)) {
    return false;
  }
  const floor = Math.max(state.committed || 0, 0);
  for (let number = state.step - 1; number > floor && onPage(number); number -= 1) {
    if (fits(number)) { moveTo(number, true); return true; }
  }
  for (let number = state.step + 1; onPage(number); number += 1) {
    if (fits(number)) { moveTo(number, false); return true; }
  }
  return false;
}

function moveTo(number, backwards) {
  const state = coach.state;
  const step = stepAt(number);
  state.step = number;
  state.hint = "";
  state.recovery = null;
  state.note = backwards && FORM_ACTIONS.has(step.action.name)
    ? `This page was loaded again and has forgotten your choice: ${again(step)}`
    : "";
  save();
}

function again(step) {
  const what = step.target_words;
  if (step.action.name === "fill") return `type it in ${what} again.`;
  if (step.action.name === "uncheck") return `untick ${what} again.`;
  if (step.action.name === "select") return `choose ${step.action.option} again.`;
  return `choose “${what}” again.`;
}

// After a wrong move that sent a form, the order may still reach the end: when this
// page fits the step, the hint stays but a fresh copy is no longer the only way on.
export function stillReachable() {
  const state = coach.state;
  if (state.recovery === "start-over" && onPage(state.step) && fits(state.step)) {
    state.recovery = null;
    save();
  }
}

// The page each step is shown on, kept as the way back to it.
export function remember() {
  const state = coach.state;
  if (state.done) return;
  const step = stepAt(state.step);
  if (step && step.target && !SERVER_ACTIONS.has(step.action.name) && find(step.target)) {
    state.pages = { ...state.pages, [state.step]: here() };
    save();
  }
}

// Where "Go back" leads: the page the current step (or the nearest one before it) was
// shown on; null when the trainee is on it already.
export function wayBack() {
  const pages = coach.state.pages || {};
  for (let number = coach.state.step; number >= 1; number -= 1) {
    if (pages[number]) return pages[number] === here() ? null : pages[number];
  }
  return null;
}

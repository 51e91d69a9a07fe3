// The keyboard's way through a tour: focus on the step's instruction when a page opens or
// the step changes, "Go to it" takes focus to the step's element, and neither the focused
// element nor the step's element ever sits under the panel (WCAG 2.2, 2.4.11).

import { outsideCoach } from "./find.js";
import { coach } from "./state.js";

const MARGIN = 12;
const MADE_FOCUSABLE = "data-coach-focusable";

let panel = null;

export function watchFocus(node) {
  panel = node;
  document.addEventListener("focusin", (event) => {
    if (outsideCoach(event.target)) keepClear(event.target);
  });
}

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

// The part of `element` that must show: all of it, or its middle when it is taller than
// the room beside the panel.
function visiblePart(element, free) {
  const box = element.getBoundingClientRect();
  const room = window.innerHeight - (free.bottom - free.top) - 2 * MARGIN;
  if (box.height <= room) return box;
  const middle = (box.top + box.bottom) / 2;
  return { left: box.left, right: box.right, top: middle - MARGIN, bottom: middle + MARGIN };
}

// Scroll `element` clear of the panel, above it; where there is no room above, the panel
// moves to the top of the screen instead.
export function keepClear(element) {
  if (!panel || !element || !element.isConnected || element === document.body) return;
  let free = panel.getBoundingClientRect();
  const box = visiblePart(element, free);
  if (!overlaps(box, free)) return;
  if (!document.documentElement.classList.contains("coach-top")) {
    const shift = box.bottom - free.top + MARGIN;
    if (box.top - shift >= MARGIN) { window.scrollBy({ top: shift, behavior: "instant" }); return; }
    document.documentElement.classList.add("coach-top");
  }
  free = panel.getBoundingClientRect();
  const now = visiblePart(element, free);
  if (overlaps(now, free)) window.scrollBy({ top: now.top - free.bottom - MARGIN, behavior: "instant" });
}

// The panel goes back to its usual place when what it moved for is no longer in the way.
export function undock() {
  document.documentElement.classList.remove("coach-top");
}

export function focusInstruction() {
  const instruction = panel &&
    (panel.querySelector(".coach-instruction") || panel.querySelector(".coach-title[tabindex]"));
  if (instruction) instruction.focus({ preventScroll: true });
}

// "Go to it": focus on the step's element (one that takes no focus of its own, a card or
// a list, takes it for the tour), scrolled clear of the panel.
export function goTo(target) {
  if (!target || !target.isConnected) return;
  if (target.tabIndex < 0 && !target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
    target.setAttribute(MADE_FOCUSABLE, "");
  }
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
  keepClear(target);
}

export function forget(target) {
  if (target.hasAttribute(MADE_FOCUSABLE)) {
    target.removeAttribute("tabindex");
    target.removeAttribute(MADE_FOCUSABLE);
  }
}

// Focus on the new instruction after a step changes, unless it is on the step's element.
export function afterStepChange(target) {
  const active = document.activeElement;
  if (target && active && (target === active || target.contains(active))) return;
  if (coach.state.minimised) return;
  focusInstruction();
}

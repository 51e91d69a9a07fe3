// The panel: the step's title, instruction, hint and buttons, early in the page's tab
// order, with the step's element highlighted and described by the instruction; one live
// region, made once per page, says each step's instruction to screen readers. Drawn again
// whenever the page changes under it.

import { buttons, goBackButton, startOver } from "./buttons.js";
import { typing } from "./expect.js";
import { accessibleName, find, findHidden, ignoreWithin, openerOf, outsideCoach } from "./find.js";
import { afterStepChange, focusInstruction, forget, keepClear, undock, watchFocus } from "./focus.js";
import { wanted } from "./moves.js";
import { coach, current, forgetTour, post, save } from "./state.js";
import { remember, wayBack } from "./where.js";

const PANEL_ID = "coach-panel";
const INSTRUCTION_ID = "coach-instruction";
const WHERE_ID = "coach-where";
// A region filled in the same moment it appears is not read out: the first words wait.
const FIRST_WORDS_MS = 150;

let panel = null;
let content = null;
let live = null;
let observer = null;
let shown = null; // the step (or "done") the panel showed last on this page

export function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== false && value != null) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

export function buildPanel() {
  panel = element("section", { id: PANEL_ID, class: "coach", role: "dialog", "aria-modal": "false",
                               "aria-label": "Coach" });
  content = element("div", { class: "coach-content" });
  live = element("p", { class: "coach-live visually-hidden", "aria-live": "polite" });
  panel.append(content, live);
  ignoreWithin(panel);
  // Early in the tab order: right after the page's skip link.
  const skip = document.querySelector("body > .skip-link");
  if (skip) skip.after(panel); else document.body.prepend(panel);
  document.documentElement.classList.add("coach-on");
  watchFocus(panel);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !coach.state.minimised) { event.stopPropagation(); toggle(); }
  });
}

function toggle() {
  coach.state.minimised = !coach.state.minimised;
  save();
  show();
  panel.querySelector(".coach-toggle").focus();
}

async function close() {
  await post("/coach/tour/stop", {});
  forgetTour();
  unhighlight();
  panel.remove();
  document.documentElement.classList.remove("coach-on", "coach-top");
  document.documentElement.style.removeProperty("--coach-height");
  coach.tour = null;
}

function describedBy(target, ids) {
  if (!target.hasAttribute("data-coach-described")) {
    target.setAttribute("data-coach-described", target.getAttribute("aria-describedby") || "");
  }
  const own = target.getAttribute("data-coach-described");
  target.setAttribute("aria-describedby", [own, ...ids].filter(Boolean).join(" "));
}

function unmark(node) {
  node.classList.remove("coach-target");
  node.removeAttribute("data-coach-step");
  if (node.hasAttribute("data-coach-described")) {
    const own = node.getAttribute("data-coach-described");
    if (own) node.setAttribute("aria-describedby", own); else node.removeAttribute("aria-describedby");
    node.removeAttribute("data-coach-described");
  }
  forget(node);
}

function unhighlight() {
  for (const node of [coach.highlighted, coach.opener]) if (node) unmark(node);
  coach.highlighted = null;
  coach.opener = null;
}

function mark(node, step, scroll) {
  node.classList.add("coach-target");
  node.setAttribute("data-coach-step", String(step.number));
  if (scroll) node.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
}

// The step's element, or what must be opened to see it; and what to say when neither shows.
function highlight(step) {
  const target = find(step.target);
  const hidden = target ? null : findHidden(step.target);
  const opener = hidden ? openerOf(hidden) : null;
  const pointed = target || opener;
  const changed = pointed !== (coach.highlighted || coach.opener);
  if (changed) unhighlight();
  if (target) coach.highlighted = target; else coach.opener = opener;
  if (pointed) mark(pointed, step, changed);
  if (target) return { target };
  const what = wanted(step);
  if (opener) {
    const name = accessibleName(opener);
    return { target: opener, missing: `${what} is inside ${name}: open ${name} first.` };
  }
  if (hidden) return { missing: `I cannot see ${what} on this page.` };
  return { missing: `I cannot find ${what} on this page.`, gone: true };
}

// The instruction names the element where the highlight alone would tell it apart.
function namesTarget(step) {
  const words = step.target_words;
  return !words || (!step.target.scope && step.instruction.includes(words));
}

function stepBody(step, body) {
  const state = coach.state;
  const onPage = step.action.name !== "goto" && step.target;
  const found = onPage ? highlight(step) : (unhighlight(), {});
  body.append(element("p", { class: "coach-title" }, step.title),
              element("p", { class: "coach-instruction", id: INSTRUCTION_ID, tabindex: "-1" },
                      step.instruction));
  const described = [INSTRUCTION_ID];
  if (onPage && !namesTarget(step)) {
    body.append(element("p", { class: "coach-where", id: WHERE_ID }, `Look for: ${step.target_words}.`));
    described.push(WHERE_ID);
  }
  if (step.action.name === "fill") {
    const typed = typing(step);
    body.append(element("p", { class: "coach-value" }, `${typed.label}: `, element("kbd", {}, typed.text)));
  }
  if (found.target) describedBy(found.target, described);
  if (state.note) body.append(element("p", { class: "coach-note" }, state.note));
  if (found.missing) body.append(element("p", { class: "coach-missing" }, found.missing));
  if (state.hint) body.append(element("p", { class: "coach-hint" }, state.hint));
  const actions = element("div", { class: "coach-actions" }, ...buttons(step, found.target));
  if (found.gone && !state.hint) actions.append(wayBack() ? goBackButton() : startOver());
  body.append(actions);
  return { target: found.target, words: [step.instruction, found.missing].filter(Boolean).join(" ") };
}

function head(total) {
  const state = coach.state;
  return element("div", { class: "coach-head" },
    element("span", { class: "coach-name" }, "Coach"),
    element("span", { class: "coach-count" },
            state.done ? `Done: all ${total} steps` : `Step ${state.step} of ${total}`),
    element("button", { type: "button", class: "coach-toggle", "aria-expanded": String(!state.minimised),
                        "aria-controls": "coach-body", onclick: toggle },
            state.minimised ? "Show" : "Minimise"),
    element("button", { type: "button", class: "coach-close", onclick: close }, "Close"));
}

function announce(words, first) {
  if (live.dataset.said === words) return;
  live.dataset.said = words;
  if (first) setTimeout(() => { if (live.dataset.said === words) live.textContent = words; }, FIRST_WORDS_MS);
  else live.textContent = words;
}

export function show() {
  const { tour, state } = coach;
  if (!tour || !panel) return;
  if (observer) observer.disconnect();
  const total = tour.steps.length;
  const now = state.done ? "done" : state.step;
  const first = shown === null;
  const moved = shown !== now;
  if (moved) undock();
  const body = element("div", { id: "coach-body", class: "coach-body", hidden: state.minimised });
  let announcement;
  let target = null;
  if (state.done) {
    unhighlight();
    body.append(element("p", { class: "coach-title", tabindex: "-1" }, `Done: ${tour.title}`),
                element("p", {}, "You did every step of this practice. Well done!"),
                element("a", { class: "coach-button", href: tour.start_over },
                        "Practise again with a fresh copy"));
    announcement = `Done: ${tour.title}. Every step is done.`;
  } else {
    const step = current();
    const said = stepBody(step, body);
    target = said.target;
    announcement = [`Step ${step.number} of ${total}: ${step.title}.`, said.words, state.note,
                    state.hint].filter(Boolean).join(" ");
  }
  const focused = panel.contains(document.activeElement) ? document.activeElement : null;
  const again = focused && focused.matches("button, a") ? focused.textContent : null;
  content.replaceChildren(head(total), body);
  if (moved) {
    shown = now;
    remember();
    if (target) keepClear(target);
    afterStepChange(target);
  } else if (again !== null) {
    // Keyboard users stay where they were: the same button, or the step's instruction.
    const same = [...panel.querySelectorAll("button, a")].find((b) => b.textContent === again);
    if (same) same.focus(); else focusInstruction();
  } else if (focused) {
    focusInstruction();
  }
  announce(announcement, first);
  document.documentElement.style.setProperty("--coach-height", `${panel.offsetHeight + 16}px`);
  const active = document.activeElement;
  if (active && outsideCoach(active) && active !== document.body) keepClear(active);
  // Pages change under the coach (a tab script, a form's own behaviour): follow them.
  observer = new MutationObserver((changes) => {
    if (changes.some((c) => outsideCoach(c.target) && !c.attributeName?.startsWith("data-coach") &&
                            !["class", "tabindex", "aria-describedby"].includes(c.attributeName))) {
      observer.disconnect();
      requestAnimationFrame(show);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
}

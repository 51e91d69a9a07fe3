// The panel: the step's title, instruction, hint and buttons, spoken to screen readers as
// they change, with the step's element highlighted on the page; drawn again whenever the
// page changes under it.

import { buttons, goBack } from "./buttons.js";
import { find, ignoreWithin, outsideCoach } from "./find.js";
import { wanted } from "./moves.js";
import { coach, current, forgetTour, post, save } from "./state.js";

const PANEL_ID = "coach-panel";

let panel = null;
let observer = null;

function element(tag, props = {}, ...children) {
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
  ignoreWithin(panel);
  document.body.append(panel);
  document.documentElement.classList.add("coach-on");
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
  document.documentElement.classList.remove("coach-on");
  document.documentElement.style.removeProperty("--coach-height");
  coach.tour = null;
}

function unhighlight() {
  const highlighted = coach.highlighted;
  if (!highlighted) return;
  highlighted.classList.remove("coach-target");
  highlighted.removeAttribute("data-coach-step");
  coach.highlighted = null;
}

function highlight(step) {
  const target = find(step.target);
  if (target && target === coach.highlighted) {
    target.setAttribute("data-coach-step", String(step.number));
    return target;
  }
  unhighlight();
  if (!target) return null;
  coach.highlighted = target;
  target.classList.add("coach-target");
  target.setAttribute("data-coach-step", String(step.number));
  target.scrollIntoView({ block: "center", inline: "nearest" });
  return target;
}

function stepBody(step, body) {
  const state = coach.state;
  const needsPage = step.action.name !== "goto";
  const target = needsPage ? highlight(step) : (unhighlight(), null);
  body.append(element("p", { class: "coach-title" }, step.title),
              element("p", { class: "coach-instruction" }, step.instruction));
  if (step.action.name === "fill") {
    body.append(element("p", { class: "coach-value" }, "Type: ",
                         element("kbd", {}, step.action.value)));
  }
  const missing = needsPage && step.target && !target;
  if (missing) {
    body.append(element("p", { class: "coach-missing" },
                        `I cannot find ${wanted(step)} on this page.`));
    if (!state.recovery) state.recovery = "back";
  }
  if (state.hint) body.append(element("p", { class: "coach-hint" }, state.hint));
  const actions = element("div", { class: "coach-actions" }, ...buttons(step));
  if (state.hint || missing) {
    if (state.recovery === "back" && !state.hint) actions.append(goBack());
    actions.append(element("a", { class: "coach-button", href: coach.tour.start_over },
                           "Start over with a fresh copy"));
  }
  body.append(actions);
}

export function show() {
  const { tour, state } = coach;
  if (!tour || !panel) return;
  if (observer) observer.disconnect();
  const total = tour.steps.length;
  const step = current();
  const head = element("div", { class: "coach-head" },
    element("span", { class: "coach-name" }, "Coach"),
    element("span", { class: "coach-count" },
            state.done ? `Done: all ${total} steps` : `Step ${step.number} of ${total}`),
    element("button", { type: "button", class: "coach-toggle", "aria-expanded": String(!state.minimised),
                        "aria-controls": "coach-body", onclick: toggle },
            state.minimised ? "Show" : "Minimise"),
    element("button", { type: "button", class: "coach-close", onclick: close }, "Close"));
  const body = element("div", { id: "coach-body", class: "coach-body", hidden: state.minimised });
  let announcement;
  if (state.done) {
    unhighlight();
    body.append(element("p", { class: "coach-title" }, `Done: ${tour.title}`),
                element("p", {}, "You did every step of this practice. Well done!"),
                element("a", { class: "coach-button", href: tour.start_over },
                        "Practise again with a fresh copy"));
    announcement = `Done: ${tour.title}. Every step is done.`;
  } else {
    stepBody(step, body);
    announcement = `Step ${step.number} of ${total}: ${step.title}. ${state.hint}`;
  }
  const focused = panel.contains(document.activeElement) ? document.activeElement.textContent : null;
  const live = panel.querySelector(".coach-live") ||
    element("p", { class: "coach-live visually-hidden", "aria-live": "polite" });
  panel.replaceChildren(head, body, live);
  if (focused !== null) {
    // Keyboard users stay where they were: the same button, or the step's main one.
    const all = [...panel.querySelectorAll("button, a")];
    const again = all.find((b) => b.textContent === focused) ||
      panel.querySelector(".coach-primary") || panel.querySelector(".coach-toggle");
    again.focus();
  }
  if (live.dataset.said !== announcement) {
    live.dataset.said = announcement;
    live.textContent = announcement;
  }
  document.documentElement.style.setProperty("--coach-height", `${panel.offsetHeight + 16}px`);
  // Pages change under the coach (a tab script, a form's own behaviour): follow them.
  observer = new MutationObserver((changes) => {
    if (changes.some((c) => outsideCoach(c.target) && c.attributeName !== "class" &&
                            c.attributeName !== "data-coach-step")) {
      observer.disconnect();
      requestAnimationFrame(show);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
}

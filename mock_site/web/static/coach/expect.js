// A step's expectations, judged on the page as the flows' runner judges them with
// Playwright's expect: the address, an element visible or not, a count, a text, and a
// message in the trainee's own words (judged by the step's criteria, the flow's sample
// offered as a suggestion).

import { find, findAll, isVisible, textOf } from "./find.js";

const WAIT_MS = 3000;

function holds(expectation) {
  if (expectation.name === "url") return location.href.includes(expectation.fragment);
  const all = findAll(expectation.target);
  const element = all[0];
  switch (expectation.name) {
    case "visible": return isVisible(element);
    case "not-visible": return !isVisible(element);
    case "count": return all.length === expectation.count;
    case "text": {
      if (!element) return false;
      const text = textOf(element);
      return expectation.exact ? text === expectation.text.trim() : text.includes(expectation.text);
    }
    case "message": return !!element && lacks(expectation, written(element)) === null;
    default: return false;
  }
}

// The step's first expectation that does not hold on the page now, or null.
export function unmet(step) { return step.expect.find((e) => !holds(e)) || null; }

// The page may still be settling (a redirect's page, a tab script): look again on
// every change for a little while before saying the expectation failed.
export function waitFor(check, timeout = WAIT_MS) {
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const watcher = new MutationObserver(() => {
      if (check()) { watcher.disconnect(); clearTimeout(timer); resolve(true); }
    });
    const timer = setTimeout(() => { watcher.disconnect(); resolve(check()); }, timeout);
    watcher.observe(document.body, { subtree: true, childList: true, attributes: true,
                                     characterData: true });
  });
}

// --- a message in the trainee's own words ------------------------------------------------

function written(element) {
  return element.matches("input, textarea") ? element.value : textOf(element);
}

// What `text` lacks, in the step's own hint, or null when it says enough (the criteria
// come from the flow as one pattern, the runner's own).
function lacks(message, text) {
  const said = text.trim();
  if (!said) return message.hints.empty;
  if (said.length < message.min_length) return message.hints.short;
  return new RegExp(message.pattern, "i").test(said) ? null : message.hints.mention;
}

// The step's criteria for a message typed in its own element, or null where the step
// wants its value typed as it is.
export function messageOf(step) {
  if (step.action.name !== "fill") return null;
  return step.expect.find((e) => e.name === "message") || null;
}

// Whether `value` is what a fill step asks for: its value, or a message that says enough.
// While the trainee types (`typing`), only the sample itself completes the step: a message
// is judged when they press on (see messageLacks), so the panel does not change under them.
export function typedEnough(step, value, typing = false) {
  if (value.trim() === step.action.value.trim()) return true;
  const message = messageOf(step);
  return !!message && !typing && lacks(message, value) === null;
}

// The hint for a finished fill that is not yet right (null for a message: it is judged
// when the trainee presses on, see messageLacks).
export function typingHint(step) {
  return messageOf(step) ? null : `This step wants you to type “${step.action.value}”.`;
}

// What the message in the step's field lacks now, or null (also when it asks for none).
export function messageLacks(step) {
  const message = messageOf(step);
  const field = message && find(step.target);
  return message && field ? lacks(message, written(field)) : null;
}

// What the panel offers to type: the value itself, or the flow's sample as an example.
export function typing(step) {
  return { label: messageOf(step) ? "For example" : "Type", text: step.action.value };
}

// "Use the suggestion": the sample typed in the step's field, as if by the trainee.
export function useSuggestion(step) {
  const field = find(step.target);
  if (!field) return;
  field.value = step.action.value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

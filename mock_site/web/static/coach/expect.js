// A step's expectations, judged on the page as the flows' runner judges them with
// Playwright's expect: the address, an element visible or not, a count, a text.

import { findAll, isVisible, textOf } from "./find.js";

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

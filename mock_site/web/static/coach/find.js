// Finding elements the way the flows do: a target names an element by role and accessible
// name, by label or by text (exact or not), perhaps inside another target, and is found
// as the flows' runner finds it with Playwright's locators: by role with Testing Library's
// queries, by label and by text with Playwright's own rules (tests/e2e/test_coach_finder.py
// holds the two together). The coach's own panel is never part of the page.

const LIBRARY = "/static/vendor/testing-library-dom-10.4.2.umd.min.js";

let lib = null;
let own = null;

// Testing Library's UMD build, added as a classic script (it sets window.TestingLibraryDom).
export function loadLibrary() {
  if (window.TestingLibraryDom) return Promise.resolve(lib = window.TestingLibraryDom);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = LIBRARY;
    script.onload = () => resolve(lib = window.TestingLibraryDom);
    script.onerror = () => reject(new Error("the coach's library did not load"));
    document.head.append(script);
  });
}

// Elements inside `node` (the coach's panel) are not the page's: never found, never judged.
export function ignoreWithin(node) { own = node; }

export function outsideCoach(element) { return !own || !own.contains(element); }

function normal(text) { return text.replace(/[\u200b\u00ad]/g, "").replace(/\s+/g, " ").trim(); }

function nameMatcher(wanted, exact) {
  if (exact) return (name) => normal(name) === normal(wanted);
  const lower = normal(wanted).toLowerCase();
  return (name) => normal(name).toLowerCase().includes(lower);
}

// Playwright treats a password field as a textbox; ARIA gives it no role at all.
function passwordFields(root, matches) {
  return [...root.querySelectorAll('input[type="password"]')].filter((field) => {
    if (lib.isInaccessible(field) || !rendered(field)) return false;
    const label = field.getAttribute("aria-label") ||
      [...(field.labels || [])].map((l) => l.textContent).join(" ");
    return !matches || matches(label);
  });
}

// Playwright's roles also leave out what the page does not render (a closed <details>'s
// content); Testing Library has already left out what is hidden by style or ARIA.
function rendered(element) {
  if (!element.checkVisibility || element.closest("select")) return true;
  return getComputedStyle(element).display === "contents" || element.checkVisibility();
}

// An element's text as Playwright reads it: its own and its descendants', a button-like
// input's value, nothing from scripts and styles.
function fullText(element, known) {
  if (known.has(element)) return known.get(element);
  let text = "";
  if (element.matches("script, noscript, style")) {
    text = "";
  } else if (element.matches('input[type="submit"], input[type="button"], input[type="reset"]')) {
    text = element.value;
  } else {
    for (const child of element.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) text += child.nodeValue;
      else if (child.nodeType === Node.ELEMENT_NODE) text += fullText(child, known);
    }
  }
  known.set(element, text);
  return text;
}

// Playwright's text rule: each element whose text matches while none of its children's does.
function byText(root, matches) {
  const known = new Map();
  const hit = (element) => matches(fullText(element, known));
  return [root, ...root.querySelectorAll("*")].filter((element) =>
    hit(element) && ![...element.children].some(hit));
}

const LABELLED = 'button, meter, output, progress, select, textarea, input:not([type="hidden"])';

// Playwright's label rule: each element named by aria-labelledby, else the aria-label, else
// each <label> of a form control; every one read on its own.
function labelsOf(element, known) {
  const ids = (element.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
  const named = ids.map((id) => element.getRootNode().getElementById(id)).filter(Boolean);
  if (named.length) return named.map((label) => fullText(label, known));
  const ariaLabel = element.getAttribute("aria-label");
  if (ariaLabel !== null && ariaLabel.trim()) return [ariaLabel];
  if (element.matches(LABELLED) && element.labels) {
    return [...element.labels].map((label) => fullText(label, known));
  }
  return [];
}

function byLabel(root, matches) {
  const known = new Map();
  return [...root.querySelectorAll("*")].filter((element) =>
    labelsOf(element, known).some(matches));
}

function inPageOrder(elements) {
  return [...new Set(elements)].sort((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
}

// Every element `target` names, in page order, as a Playwright locator counts them.
export function findAll(target, root = document.body) {
  const roots = target.scope ? findAll(target.scope, root) : [root];
  const found = [];
  for (const within of roots) {
    let hits;
    if (target.role) {
      const matches = target.name == null ? null : nameMatcher(target.name, target.exact);
      const options = matches ? { name: (name) => matches(name) } : {};
      hits = lib.queryAllByRole(within, target.role, options).filter(rendered);
      if (target.role === "textbox") hits = hits.concat(passwordFields(within, matches));
    } else if (target.label) {
      hits = byLabel(within, nameMatcher(target.label, target.exact));
    } else {
      hits = byText(within, nameMatcher(target.text, target.exact));
    }
    found.push(...hits.filter(outsideCoach));
  }
  return inPageOrder(found);
}

export function find(target) { return target ? findAll(target)[0] || null : null; }

// The element `target` names even where it is hidden (a closed menu), or null.
export function findHidden(target, root = document.body) {
  if (!target) return null;
  const roots = target.scope ? [find(target.scope) || findHidden(target.scope, root)]
    .filter(Boolean) : [root];
  for (const within of roots) {
    let hits;
    if (target.role) {
      const matches = target.name == null ? null : nameMatcher(target.name, target.exact);
      hits = lib.queryAllByRole(within, target.role,
                                { hidden: true, ...(matches ? { name: (n) => matches(n) } : {}) });
    } else if (target.label) {
      hits = byLabel(within, nameMatcher(target.label, target.exact));
    } else {
      hits = byText(within, nameMatcher(target.text, target.exact));
    }
    const own = inPageOrder(hits.filter(outsideCoach));
    if (own.length) return own[0];
  }
  return null;
}

// What to open first to see a hidden `element`: the summary of a closed <details>, or the
// collapsed button that controls the hidden part it sits in; null when nothing says.
export function openerOf(element) {
  const closed = element.parentElement && element.parentElement.closest("details:not([open])");
  if (closed) {
    const summary = closed.querySelector(":scope > summary");
    if (summary && isVisible(summary)) return summary;
  }
  for (let part = element; part && part !== document.body; part = part.parentElement) {
    if (!part.id) continue;
    const opener = [...document.querySelectorAll('[aria-expanded="false"][aria-controls]')]
      .find((c) => c.getAttribute("aria-controls").split(/\s+/).includes(part.id));
    if (opener && isVisible(opener)) return opener;
  }
  return null;
}

// Visible as Playwright means it: rendered, not hidden by style, with a non-empty box.
export function isVisible(element) {
  if (!element) return false;
  const style = getComputedStyle(element);
  if (style.display === "contents") {
    return [...element.childNodes].some((child) => (child.nodeType === Node.ELEMENT_NODE
      ? isVisible(child) : child.nodeType === Node.TEXT_NODE && hasBox(textBox(child))));
  }
  if (element.checkVisibility && !element.checkVisibility()) return false;
  return style.visibility === "visible" && hasBox(element.getBoundingClientRect());
}

function textBox(node) {
  const range = document.createRange();
  range.selectNode(node);
  return range.getBoundingClientRect();
}

function hasBox(rect) { return rect.width > 0 && rect.height > 0; }

export function textOf(element) {
  return (element.innerText || element.textContent || "").replace(/\s+/g, " ").trim();
}

function implicitRole(element) {
  const tag = element.tagName.toLowerCase();
  if (tag === "a") return "link";
  if (tag === "button" || tag === "summary") return "button";
  if (tag === "select") return "combobox";
  if (tag === "input") return { checkbox: "checkbox", radio: "radio", submit: "button",
                                button: "button" }[element.type] || "textbox";
  return null;
}

// What a person hears for `element`: its accessible name, else its text or value.
export function accessibleName(element) {
  let captured = "";
  const role = element.getAttribute("role") || implicitRole(element);
  if (role && element.parentElement) {
    lib.queryAllByRole(element.parentElement, role, {
      hidden: true,
      name: (name, node) => { if (node === element) captured = name; return false; },
    });
  }
  return (captured || textOf(element) || element.getAttribute("value") || "").trim();
}

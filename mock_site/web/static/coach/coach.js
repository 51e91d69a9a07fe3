// The coach: shows one step of a flow at a time on the storefront's own page, points at
// the element the step acts on (found by role and accessible name with Testing Library's
// queries, as the flow's runner finds it with Playwright), and moves on when the page
// shows what the step expects. The tour (the flow's own steps, filled in) comes from
// /coach/tour; where the trainee is survives navigation in sessionStorage and is
// reported to the storefront, which the guide's Practice page reads.
(() => {
  "use strict";
  const LIBRARY = "/static/vendor/testing-library-dom-10.4.2.umd.min.js";
  const STYLES = "/static/coach/coach.css";
  const WAIT_MS = 3000;
  const PANEL_ID = "coach-panel";
  const TIMINGS = "coach:timings";
  const CONTROLS = 'a[href], button, input[type="checkbox"], input[type="radio"], ' +
    'input[type="submit"], select, summary, [role="button"], [role="link"]';

  let tour = null;
  let state = null;
  let lib = null;
  let panel = null;
  let highlighted = null;
  let observer = null;
  let undo = null;
  let undoing = false;
  let readyAt = null;

  // --- start ------------------------------------------------------------------------------

  function loadLibrary() {
    if (window.TestingLibraryDom) return Promise.resolve(window.TestingLibraryDom);
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = LIBRARY;
      script.onload = () => resolve(window.TestingLibraryDom);
      script.onerror = () => reject(new Error("the coach's library did not load"));
      document.head.append(script);
    });
  }

  // Which tour this page belongs to (the coach cookie's value, put on the script tag):
  // the tour is fetched once per tour and kept for the tab, not fetched on every page.
  const TOUR_ID = document.currentScript ? document.currentScript.dataset.tour : "";
  const TOUR_CACHE = "coach:tour";

  function cachedTour() {
    try {
      const cached = JSON.parse(sessionStorage.getItem(TOUR_CACHE));
      return cached && TOUR_ID && cached.id === TOUR_ID ? cached.tour : null;
    } catch { return null; }
  }

  async function fetchTour() {
    const response = await fetch("/coach/tour", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) return null; // no tour in this browser any more: no coach
    const fresh = await response.json();
    sessionStorage.setItem(TOUR_CACHE, JSON.stringify({ id: TOUR_ID, tour: fresh }));
    return fresh;
  }

  // After DOMContentLoaded, so that neither the library nor the coach delays the page.
  function pageParsed() {
    if (document.readyState !== "loading") return Promise.resolve();
    return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve,
                                                               { once: true }));
  }

  // Added by the script, after DOMContentLoaded: a stylesheet in the page would hold back
  // the page's own deferred scripts, and so its DOMContentLoaded, until it loaded.
  function loadStyles() {
    return new Promise((resolve) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = STYLES;
      link.onload = link.onerror = () => resolve();
      document.head.append(link);
    });
  }

  async function start() {
    const known = cachedTour();
    const tourLoaded = known ? Promise.resolve(known) : fetchTour();
    await pageParsed();
    const [loaded, library] = await Promise.all([tourLoaded, loadLibrary(), loadStyles()]);
    if (!loaded) return;
    readyAt = performance.timeOrigin + performance.now();
    tour = loaded;
    lib = library;
    state = restore();
    buildPanel();
    document.addEventListener("click", onClick, true);
    document.addEventListener("input", onInput, true);
    document.addEventListener("change", onInput, true);
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) { state = restore(); show(); }
    });
    if (state.pending === state.step) await settle(state.step);
    show();
  }

  // A form token can change with a sign-in: on a refusal, fetch the tour again and retry.
  async function post(url, fields, options = {}) {
    const send = () => fetch(url, { method: "POST", credentials: "same-origin", ...options,
      body: new URLSearchParams({ csrf_token: tour.csrf, ...fields }) });
    let response = await send();
    if (response.status === 403) {
      const fresh = await fetchTour();
      if (fresh) { tour.csrf = fresh.csrf; response = await send(); }
    }
    return response;
  }

  // --- state --------------------------------------------------------------------------------

  function storageKey() { return `coach:${tour.key}:${tour.token}`; }

  function restore() {
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(storageKey())); } catch { saved = null; }
    const fresh = { step: tour.step, done: tour.done, pending: null, hint: tour.hint || "",
                    recovery: null, minimised: false };
    // The tour starts on its first page: the first step (going there) is already done.
    if (!saved && tour.step === 1 && tour.steps[0].action.name === "goto") fresh.pending = 1;
    if (!saved || saved.step < tour.step) return fresh;
    return saved;
  }

  function save() { sessionStorage.setItem(storageKey(), JSON.stringify(state)); }

  function report() {
    post("/coach/tour/progress", { step: String(state.step), done: String(state.done),
                                   hint: state.hint || "" }, { keepalive: true }).catch(() => {});
  }

  function current() { return tour.steps[state.step - 1]; }

  // --- finding elements the way the flows do ------------------------------------------------

  function nameMatcher(wanted, exact) {
    const normal = (text) => text.replace(/\s+/g, " ").trim();
    if (exact) return (name) => normal(name) === normal(wanted);
    const lower = normal(wanted).toLowerCase();
    return (name) => normal(name).toLowerCase().includes(lower);
  }

  function outsidePanel(element) { return !panel || !panel.contains(element); }

  // Playwright treats a password field as a textbox; ARIA gives it no role at all.
  function passwordFields(root, matches) {
    return [...root.querySelectorAll('input[type="password"]')].filter((field) => {
      const label = field.getAttribute("aria-label") ||
        [...(field.labels || [])].map((l) => l.textContent).join(" ");
      return !matches || matches(label);
    });
  }

  function findAll(target, root = document.body) {
    const roots = target.scope ? findAll(target.scope, root) : [root];
    const found = [];
    for (const within of roots) {
      let hits;
      if (target.role) {
        const matches = target.name == null ? null : nameMatcher(target.name, target.exact);
        const options = matches ? { name: (name) => matches(name) } : {};
        hits = lib.queryAllByRole(within, target.role, options);
        if (target.role === "textbox") hits = hits.concat(passwordFields(within, matches));
      } else if (target.label) {
        hits = lib.queryAllByLabelText(within, nameMatcher(target.label, target.exact));
      } else {
        hits = lib.queryAllByText(within, nameMatcher(target.text, target.exact));
      }
      found.push(...hits.filter(outsidePanel));
    }
    return found;
  }

  function find(target) { return target ? findAll(target)[0] || null : null; }

  function isVisible(element) {
    return !!element && element.getClientRects().length > 0 &&
      getComputedStyle(element).visibility !== "hidden";
  }

  function textOf(element) { return (element.innerText || element.textContent || "").replace(/\s+/g, " ").trim(); }

  function expectationHolds(expectation) {
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

  function unmet(step) { return step.expect.find((e) => !expectationHolds(e)) || null; }

  // The page may still be settling (a redirect's page, a tab script): look again on
  // every change for a little while before saying the expectation failed.
  function waitFor(check, timeout = WAIT_MS) {
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

  // --- judging the trainee's moves --------------------------------------------------------

  async function settle(number) {
    const step = tour.steps[number - 1];
    const ok = await waitFor(() => !unmet(step));
    if (number !== state.step) return;
    state.pending = null;
    if (ok) { advance(); return; }
    const missing = unmet(step);
    state.hint = `After “${step.title}” the page should show ${missing.describe}, but it does not.`;
    state.recovery = "start-over";
    save();
    report();
  }

  function advance() {
    const finished = state.step;
    state.hint = "";
    state.recovery = null;
    undo = null;
    if (finished >= tour.steps.length) {
      state.done = true;
    } else {
      state.step = finished + 1;
    }
    save();
    report();
    show();
  }

  function markAction() {
    const timings = JSON.parse(sessionStorage.getItem(TIMINGS) || "[]");
    timings.push({ step: state.step, acted: performance.timeOrigin + performance.now() });
    sessionStorage.setItem(TIMINGS, JSON.stringify(timings.slice(-200)));
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

  function onClick(event) {
    if (!tour || state.done || undoing || !outsidePanel(event.target)) return;
    const control = controlOf(event.target);
    if (!control) return;
    const step = current();
    const kind = step.action.name;
    const target = highlighted;
    if (target && (target === control || target.contains(control) || control.contains(target))) {
      if (kind === "click") actedOn(target, navigates(control));
      return;
    }
    // Looking (or having just arrived): the next step's element counts as going on.
    const next = tour.steps[state.step];
    if (kind === "observe" && next && next.action.name === "click") {
      const nextTarget = find(next.target);
      if (nextTarget && (nextTarget === control || nextTarget.contains(control))) {
        if (unmet(step)) return wrongMove(control, step);
        state.step += 1;
        actedOn(nextTarget, navigates(control));
        return;
      }
    }
    if (kind !== "goto") wrongMove(control, step);
  }

  function actedOn(element, leavesPage) {
    markAction();
    state.pending = state.step;
    save();
    if (!leavesPage) setTimeout(() => settle(state.step), 0);
  }

  function onInput(event) {
    if (!tour || state.done || !highlighted || event.target !== highlighted) return;
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
    if (ready && state.pending !== state.step) {
      markAction();
      state.pending = state.step;
      save();
      settle(state.step);
    }
  }

  // --- wrong moves and the way back -------------------------------------------------------

  function accessibleName(element) {
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

  function implicitRole(element) {
    const tag = element.tagName.toLowerCase();
    if (tag === "a") return "link";
    if (tag === "button" || tag === "summary") return "button";
    if (tag === "select") return "combobox";
    if (tag === "input") return { checkbox: "checkbox", radio: "radio", submit: "button",
                                  button: "button" }[element.type] || "textbox";
    return null;
  }

  function wanted(step) {
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

  function showHint(hint, recovery) {
    state.hint = hint;
    state.recovery = recovery;
    save();
    report();
    show();
  }

  function runUndo() {
    const restore = undo;
    clearHint();
    undoing = true;
    try { restore(); } finally { undoing = false; }
  }

  function clearHint() {
    state.hint = "";
    state.recovery = null;
    undo = null;
    save();
    report();
    show();
  }

  // --- the panel ------------------------------------------------------------------------------

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

  function buildPanel() {
    panel = element("section", { id: PANEL_ID, class: "coach", role: "dialog", "aria-modal": "false",
                                 "aria-label": "Coach" });
    document.body.append(panel);
    document.documentElement.classList.add("coach-on");
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !state.minimised) { event.stopPropagation(); toggle(); }
    });
  }

  function toggle() {
    state.minimised = !state.minimised;
    save();
    show();
    panel.querySelector(".coach-toggle").focus();
  }

  async function close() {
    await post("/coach/tour/stop", {});
    sessionStorage.removeItem(TOUR_CACHE);
    unhighlight();
    panel.remove();
    document.documentElement.classList.remove("coach-on");
    document.documentElement.style.removeProperty("--coach-height");
    tour = null;
  }

  async function act(step, button) {
    button.disabled = true;
    markAction();
    const response = await post("/coach/tour/act", { step: String(step.number) });
    if (!response.ok) {
      const detail = await response.json().catch(() => ({}));
      button.disabled = false;
      showHint(detail.detail || "The shop refused that just now.", "start-over");
      return;
    }
    state.pending = step.number;
    save();
    location.reload();
  }

  // The server fills the address in when the trainee goes (a sign-in link works once).
  async function go(step, button) {
    button.disabled = true;
    markAction();
    const response = await post("/coach/tour/go", { step: String(step.number) });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      button.disabled = false;
      showHint(answer.detail || "The shop refused that just now.", "start-over");
      return;
    }
    state.pending = step.number;
    save();
    location.assign(answer.location);
  }

  function next(step) {
    const missing = unmet(step);
    if (missing) { showHint(`Not yet: this step expects ${missing.describe}.`, null); return; }
    markAction();
    advance();
  }

  function unhighlight() {
    if (!highlighted) return;
    highlighted.classList.remove("coach-target");
    highlighted.removeAttribute("data-coach-step");
    highlighted = null;
  }

  function highlight(step) {
    const target = find(step.target);
    if (target && target === highlighted) {
      target.setAttribute("data-coach-step", String(step.number));
      return target;
    }
    unhighlight();
    if (!target) return null;
    highlighted = target;
    target.classList.add("coach-target");
    target.setAttribute("data-coach-step", String(step.number));
    target.scrollIntoView({ block: "center", inline: "nearest" });
    return target;
  }

  function buttons(step) {
    const row = [];
    const kind = step.action.name;
    if (kind === "goto") {
      const button = element("button", { type: "button", class: "coach-button coach-primary" },
                             "Take me there");
      button.addEventListener("click", () => go(step, button));
      row.push(button);
    } else if (kind === "advance-clock" || kind === "seller") {
      const button = element("button", { type: "button", class: "coach-button coach-primary" },
                             step.action.button);
      button.addEventListener("click", () => act(step, button));
      row.push(button);
    } else if (kind === "observe") {
      row.push(element("button", { type: "button", class: "coach-button coach-primary",
                                   onclick: () => next(step) }, "Next"));
    }
    if (state.hint && state.recovery === "undo" && undo) {
      row.push(element("button", { type: "button", class: "coach-button",
                                   onclick: () => runUndo() }, "Undo"));
    }
    if (state.hint && state.recovery === "back") {
      row.push(element("button", { type: "button", class: "coach-button",
                                   onclick: () => { clearHint(); history.back(); } }, "Go back"));
    }
    return row;
  }

  function show() {
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
      const needsPage = step.action.name !== "goto";
      const target = needsPage ? highlight(step) : (unhighlight(), null);
      body.append(element("p", { class: "coach-title" }, step.title),
                  element("p", { class: "coach-instruction" }, step.instruction));
      if (step.action.name === "fill") {
        body.append(element("p", { class: "coach-value" }, "Type: ",
                             element("kbd", {}, step.action.value)));
      }
      if (needsPage && step.target && !target) {
        body.append(element("p", { class: "coach-missing" },
                            `I cannot find ${wanted(step)} on this page.`));
        if (!state.recovery) state.recovery = "back";
      }
      if (state.hint) body.append(element("p", { class: "coach-hint" }, state.hint));
      const actions = element("div", { class: "coach-actions" }, ...buttons(step));
      if (state.hint || (needsPage && step.target && !target)) {
        if (state.recovery === "back" && !state.hint) {
          actions.append(element("button", { type: "button", class: "coach-button",
                                             onclick: () => history.back() }, "Go back"));
        }
        actions.append(element("a", { class: "coach-button", href: tour.start_over },
                               "Start over with a fresh copy"));
      }
      body.append(actions);
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
    requestAnimationFrame(() => setTimeout(paintedAt, 0));
    // Pages change under the coach (a tab script, a form's own behaviour): follow them.
    observer = new MutationObserver((changes) => {
      if (changes.some((c) => outsidePanel(c.target) && c.attributeName !== "class" &&
                              c.attributeName !== "data-coach-step")) {
        observer.disconnect();
        requestAnimationFrame(show);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  }

  // Measured in the page for bench/coach_latency.py: action → next highlight painted.
  function paintedAt() {
    const timings = JSON.parse(sessionStorage.getItem(TIMINGS) || "[]");
    const last = timings[timings.length - 1];
    if (last && last.painted == null && (state.step > last.step || state.done)) {
      last.painted = performance.timeOrigin + performance.now();
      // Where the time went when the step loaded a page: its start, and the coach ready.
      if (performance.timeOrigin > last.acted) {
        last.page = performance.timeOrigin;
        last.ready = readyAt;
      }
      sessionStorage.setItem(TIMINGS, JSON.stringify(timings));
    }
    document.documentElement.dataset.coachShown = String(state.done ? "done" : state.step);
  }

  start().catch((error) => {
    // The shop works without the coach; say why it is missing, for whoever looks.
    console.error("Coach:", error);
  });
})();

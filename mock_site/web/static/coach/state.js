// Where the trainee is: the tour (the flow's own steps, filled in) from /coach/tour, kept
// for the tab; the step, hint and way back, kept in sessionStorage across pages and
// reported to the storefront, which the guide's Practice page reads.

const TOUR_CACHE = "coach:tour";

// Which tour this page belongs to (the coach cookie's value, put on the script tag):
// the tour is fetched once per tour and kept for the tab, not fetched on every page.
const tag = document.querySelector("script[data-tour]");
const TOUR_ID = tag ? tag.dataset.tour : "";

// Shared by the coach's parts: the tour, where the trainee is, the highlighted element
// (or, when it is hidden, what must be opened to see it).
export const coach = { tour: null, state: null, highlighted: null, opener: null };

let redraw = () => {};

export function cachedTour() {
  try {
    const cached = JSON.parse(sessionStorage.getItem(TOUR_CACHE));
    return cached && TOUR_ID && cached.id === TOUR_ID ? cached.tour : null;
  } catch { return null; }
}

export async function fetchTour() {
  const response = await fetch("/coach/tour", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return null; // no tour in this browser any more: no coach
  const fresh = await response.json();
  sessionStorage.setItem(TOUR_CACHE, JSON.stringify({ id: TOUR_ID, tour: fresh }));
  return fresh;
}

export function forgetTour() { sessionStorage.removeItem(TOUR_CACHE); }

// A form token can change with a sign-in: on a refusal, fetch the tour again and retry.
export async function post(url, fields, options = {}) {
  const send = () => fetch(url, { method: "POST", credentials: "same-origin", ...options,
    body: new URLSearchParams({ csrf_token: coach.tour.csrf, ...fields }) });
  let response = await send();
  if (response.status === 403) {
    const fresh = await fetchTour();
    if (fresh) { coach.tour.csrf = fresh.csrf; response = await send(); }
  }
  return response;
}

function storageKey() { return `coach:${coach.tour.key}:${coach.tour.token}`; }

export function restore() {
  const tour = coach.tour;
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(storageKey())); } catch { saved = null; }
  // `pages`: the page each step was shown on (the way back); `committed`: the last step
  // that changed the order on the server (the tour never goes back before it);
  // `reported`: the furthest step the storefront was told of; `note`: why a step is shown again.
  const fresh = { step: tour.step, done: tour.done, pending: null, hint: tour.hint || "",
                  recovery: null, minimised: false, pages: {}, committed: 0,
                  reported: tour.step, note: "" };
  // The tour starts on its first page: the first step (going there) is already done.
  if (!saved && tour.step === 1 && tour.steps[0].action.name === "goto") fresh.pending = 1;
  if (!saved || Math.max(saved.step, saved.reported || 0) < tour.step) return fresh;
  return { ...fresh, ...saved };
}

export function save() { sessionStorage.setItem(storageKey(), JSON.stringify(coach.state)); }

// The storefront keeps the furthest step reached: a step shown again is not reported.
export function report() {
  const state = coach.state;
  if (state.step < state.reported) return;
  state.reported = state.step;
  save();
  post("/coach/tour/progress", { step: String(state.step), done: String(state.done),
                                 hint: state.hint || "" }, { keepalive: true }).catch(() => {});
}

export function current() { return coach.tour.steps[coach.state.step - 1]; }

// The panel shows every change (set once at start-up, so that this module needs no panel).
export function showWith(show) { redraw = show; }

// A change of step or hint: kept, reported and shown.
export function publish() {
  save();
  report();
  redraw();
}

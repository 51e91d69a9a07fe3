// Filters (flow, device, outcome, text) and the expected/actual slider. No libraries.
"use strict";
(function () {
  const form = document.querySelector("form.filters");
  const jobs = Array.from(document.querySelectorAll("details.job"));
  const shown = document.getElementById("shown");
  function apply() {
    const flow = form.flow.value, device = form.device.value, outcome = form.outcome.value;
    const text = form.text.value.trim().toLowerCase();
    let count = 0;
    for (const job of jobs) {
      const visible = (!flow || job.dataset.flow === flow) &&
        (!device || job.dataset.device === device) &&
        (!outcome || job.dataset.outcome === outcome) &&
        (!text || job.textContent.toLowerCase().includes(text));
      job.classList.toggle("hidden", !visible);
      if (visible) count += 1;
    }
    shown.textContent = String(count);
    const query = new URLSearchParams();
    for (const name of ["flow", "device", "outcome", "text"]) {
      if (form[name].value) query.set(name, form[name].value);
    }
    history.replaceState(null, "", query.toString() ? "#" + query : location.pathname);
  }
  const saved = new URLSearchParams(location.hash.slice(1));
  for (const [name, value] of saved) if (form[name]) form[name].value = value;
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply();
  for (const range of document.querySelectorAll(".compare-box input[type=range]")) {
    const top = range.closest(".compare-box").querySelector("img.top");
    const move = () => { top.style.clipPath = `inset(0 ${100 - range.value}% 0 0)`; };
    range.addEventListener("input", move);
    move();
  }
})();

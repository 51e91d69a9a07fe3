// Filters (flow, device, status, text) kept in the address (#?s=failed), and the
// expected/actual slider. No libraries.
"use strict";
(function () {
  const form = document.querySelector("form.filters");
  const jobs = Array.from(document.querySelectorAll("details.job"));
  const chips = Array.from(document.querySelectorAll("a.chip"));
  const shown = document.getElementById("shown");
  const names = ["flow", "device", "s", "text"];
  function apply(write) {
    const flow = form.flow.value, device = form.device.value, status = form.s.value;
    const text = form.text.value.trim().toLowerCase();
    let count = 0;
    for (const job of jobs) {
      const visible = (!flow || job.dataset.flow === flow) &&
        (!device || job.dataset.device === device) &&
        (!status || job.dataset.statuses.split(" ").includes(status)) &&
        (!text || job.textContent.toLowerCase().includes(text));
      job.classList.toggle("hidden", !visible);
      if (visible) count += 1;
    }
    shown.textContent = String(count);
    for (const chip of chips) {
      const mine = (chip.getAttribute("href").split("s=")[1] || "") === status;
      chip.setAttribute("aria-current", String(mine));
    }
    if (!write) return;
    const query = new URLSearchParams();
    for (const name of names) if (form[name].value) query.set(name, form[name].value);
    history.replaceState(null, "", query.toString() ? "#?" + query : location.pathname);
  }
  function read() {
    const saved = new URLSearchParams(location.hash.replace(/^#\??/, ""));
    for (const name of names) form[name].value = saved.get(name) || "";
    apply(false);
  }
  form.addEventListener("input", () => apply(true));
  form.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("hashchange", read);
  read();
  for (const range of document.querySelectorAll(".compare-box input[type=range]")) {
    const top = range.closest(".compare-box").querySelector("img.top");
    const move = () => { top.style.clipPath = `inset(0 ${100 - range.value}% 0 0)`; };
    range.addEventListener("input", move);
    move();
  }
})();

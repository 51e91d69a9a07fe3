// While a form's submit is on its way, a second press sends nothing and its buttons are
// disabled until the next page arrives. Without scripts the server still answers a
// double submit with the first one's outcome (the form's "submission" key).
const SUBMIT_BUTTONS = 'button[type="submit"], button:not([type])';

function setBusy(form, busy) {
  for (const button of form.querySelectorAll(SUBMIT_BUTTONS)) {
    button.disabled = busy;
    button.toggleAttribute("aria-busy", busy);
  }
  if (busy) form.dataset.submitting = "true";
  else delete form.dataset.submitting;
}

for (const form of document.querySelectorAll('form[method="post"]')) {
  form.addEventListener("submit", (event) => {
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    // After the browser has collected the form: a disabled button's name and value
    // (the seller's action buttons carry one) would be left out of it.
    setTimeout(() => setBusy(form, true), 0);
  });
}

// Back to this page from the browser's history: it may press again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    for (const form of document.querySelectorAll('form[method="post"]')) setBusy(form, false);
  }
});

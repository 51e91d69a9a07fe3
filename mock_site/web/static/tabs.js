// On a phone the row of tabs scrolls sideways: bring the active tab into view.
for (const row of document.querySelectorAll(".tabs")) {
  const active = row.querySelector('[aria-current="page"]');
  if (active && active.offsetLeft + active.offsetWidth > row.clientWidth) {
    row.scrollLeft = active.offsetLeft - 16;
  }
}

"""Personal values on a recorded page, shown as samples: the scenario's random e-mail and
the buyer's name become a fixed sample, never a grey box a reader cannot make sense of.

The page is put back right after the screenshot, so the flow goes on with its own values.
The element's accessible tree kept beside the screenshot shows the same samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from playwright.sync_api import Page

T = TypeVar("T")

SAMPLE_EMAIL, SAMPLE_NAME = "you@example.com", "Sam Shopper"
SHOW_SAMPLES = """([email, name]) => {
  const swapped = [];
  let focused = null;
  for (const element of document.querySelectorAll("[data-personal]")) {
    const field = element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement;
    const value = field ? element.value : element.textContent;
    if (!value) continue;
    const sample = value.includes("@") ? email : name;
    if (field) {
      // A long real value left the box scrolled to its end: empty it and lay it out
      // first, so the sample starts from the same place every time.
      element.value = "";
      element.scrollLeft = 0;
      void element.offsetWidth;
      element.value = sample;
      // Shown unfocused: a focused field's text was drawn a shade differently now and then.
      focused = focused || (document.activeElement === element && element);
      if (document.activeElement === element) element.blur();
    } else {
      element.textContent = sample;
    }
    swapped.push([element, value, field]);
  }
  window.__flowsPersonal = swapped;
  window.__flowsFocused = focused;
}"""
PUT_BACK = """() => {
  for (const [element, value, field] of window.__flowsPersonal || []) {
    if (field) element.value = value; else element.textContent = value;
  }
  window.__flowsPersonal = [];
  if (window.__flowsFocused) window.__flowsFocused.focus();
  window.__flowsFocused = null;
}"""


def text_with_samples(text: str, values: Mapping[str, Any]) -> str:
    """``text`` (an element's accessible tree) with the scenario's e-mail addresses
    replaced by the sample, as its screenshot shows them: the same every run."""
    for key in ("buyer_email", "seller_email"):
        if values.get(key):
            text = text.replace(values[key], SAMPLE_EMAIL)
    return text


def with_samples(page: Page, take: Callable[[], T]) -> T:
    """``take()`` (a screenshot) while the page shows samples instead of personal values."""
    page.evaluate(SHOW_SAMPLES, [SAMPLE_EMAIL, SAMPLE_NAME])
    try:
        return take()
    finally:
        page.evaluate(PUT_BACK)

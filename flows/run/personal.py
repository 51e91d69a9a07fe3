"""Personal values on a recorded page, shown as samples: the scenario's random e-mail and
the buyer's name become a fixed sample, never a grey box a reader cannot make sense of.
Secrets (e-mail addresses, passwords, sign-in tickets) are masked in every message and
trace a run leaves.

The page is put back right after the screenshot, so the flow goes on with its own values.
The element's accessible tree kept beside the screenshot shows the same samples.
"""

from __future__ import annotations

import contextlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, quote_plus

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


# --- secrets: never in a message, a report or a trace ---------------------------------

MASK = "•••"
SECRET_KEYS = ("buyer_email", "buyer_password", "seller_email", "seller_password")
# A one-time sign-in link's ticket, wherever the link is written.
TICKET = re.compile(r"(sign-in/)[\w-]+")


def secrets_of(values: Mapping[str, Any]) -> list[str]:
    """The scenario's e-mail addresses and passwords: what no artefact may show."""
    return [str(values[key]) for key in SECRET_KEYS if values.get(key)]


def masked(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each secret, in the ways a page, a form or JSON writes it, and the
    ticket of every sign-in link shown as ``•••``."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        forms = {secret, quote_plus(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, MASK)
    return TICKET.sub(rf"\g<1>{MASK}", text)


def mask_trace(path: Path, secrets: Iterable[str]) -> None:
    """Rewrite the Playwright trace at ``path`` with every text entry ``masked``: the
    values a step filled in, the forms sent and the pages' snapshots. Pictures (binary
    entries) are kept as they are: the flows paint personal values over with samples."""
    wanted = list(secrets)
    draft = path.with_suffix(".masking")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(
        draft, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for entry in source.infolist():
            data = source.read(entry)
            with contextlib.suppress(UnicodeDecodeError):  # a picture: kept as it is
                data = masked(data.decode("utf-8"), wanted).encode("utf-8")
            target.writestr(entry, data)
    draft.replace(path)

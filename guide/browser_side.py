"""What only the browser knows or does: the window's width, and the ← / → shortcuts.

Streamlit runs on the server and never learns the window size, so a small component
(no iframe, no network) reports ``window.innerWidth`` once, and listens for the arrow
keys, pressing the tutorial's own Previous / Next buttons (so a key does exactly what
a click does).
"""

import streamlit as st

NARROW_PX = 640  # below this a window is a phone's: the phone pictures fit it

_JS = """
export default function ({ data, setStateValue }) {
  if (data && data.report_width) setStateValue("width", window.innerWidth);
  if (window.__guideArrowKeys) return;
  window.__guideArrowKeys = true;
  const skip = 'input, textarea, select, [contenteditable="true"], [role="radiogroup"],'
    + ' [role="slider"], [role="listbox"], [role="tablist"], [role="menu"], [role="dialog"]';
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey
        || event.shiftKey) return;
    const name = { ArrowLeft: "previous", ArrowRight: "next" }[event.key];
    const target = event.target;
    if (!name || (target && target.closest && target.closest(skip))) return;
    const button = document.querySelector(`.st-key-tutorial-${name} button`);
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
}
"""

_component = st.components.v2.component("guide_browser_side", js=_JS)


def browser_side(*, want_width: bool, key: str = "guide.browser") -> int | None:
    """Install the arrow keys; with ``want_width``, the window's width once it is known."""
    result = _component(data={"report_width": want_width}, key=key,
                        on_width_change=lambda: None)
    width = getattr(result, "width", None) if result is not None else None
    return width if isinstance(width, int) else None

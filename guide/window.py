"""What only the browser knows: the window's width.

Streamlit runs on the server and never learns the window size, so a small component
(no iframe, no network, a line of JavaScript) reports ``window.innerWidth`` once.
"""

import streamlit as st

NARROW_PX = 640  # below this a window is a phone's: the phone pictures fit it

_JS = """
export default function ({ setStateValue }) {
  setStateValue("width", window.innerWidth);
}
"""

_component = st.components.v2.component("guide_window_width", js=_JS)


def window_width(key: str = "guide.window") -> int | None:
    """The window's width in CSS pixels, once the browser has told it (None before)."""
    result = _component(key=key, on_width_change=lambda: None)
    width = getattr(result, "width", None) if result is not None else None
    return width if isinstance(width, int) else None

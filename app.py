"""The order-cancellation guide: ``streamlit run app.py``. Only the page list lives here."""

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from guide.gc_freeze import freeze_what_is_loaded

TUTORIAL = "guide/pages/tutorial.py"
# A file, not ":material/…:": a Material page icon makes the browser fetch the favicon
# from a font server on the internet, and the guide must work offline.
ICON = str(Path(__file__).parent / "guide" / "assets" / "icon.png")

st.set_page_config(page_title="Cancel an order: guide", page_icon=ICON, layout="wide")

PAGES = {
    "Shoppers": [
        st.Page(TUTORIAL, title="Tutorial", icon=":material/school:", url_path="tutorial",
                default=True),
        st.Page("guide/pages/path_finder.py", title="Which path is mine?",
                icon=":material/alt_route:", url_path="which-path"),
        st.Page("guide/pages/practice.py", title="Practice", icon=":material/touch_app:",
                url_path="practice"),
    ],
    "Support team": [
        st.Page("guide/pages/training.py", title="Training quiz", icon=":material/quiz:",
                url_path="training"),
        st.Page("guide/pages/export.py", title="Export", icon=":material/download:",
                url_path="export"),
    ],
    "Quality": [
        st.Page("guide/pages/regression.py", title="Regression run",
                icon=":material/fact_check:", url_path="regression"),
    ],
}


def requested_page() -> str:
    """The page name the browser asked for (``tutorial`` for ``/tutorial``; "" for ``/``)."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    return (getattr(manager, "intended_page_name", None) or "").strip("/")


def tutorial_alias(name: str) -> st.Page | None:
    """A hidden page that shows the tutorial at an address no page has.

    Streamlit serves the default page at ``/`` only, and answers any other unknown
    address with a "Page not found" box; ``/tutorial`` and a mistyped address should
    simply land on the tutorial.
    """
    known = {page.url_path for pages in PAGES.values() for page in pages}
    if not name or "/" in name or name in known:
        return None

    def to_the_tutorial() -> None:
        st.switch_page(PAGES["Shoppers"][0], query_params=st.query_params.to_dict())

    return st.Page(to_the_tutorial, title="Tutorial", url_path=name, visibility="hidden")


alias = tutorial_alias(requested_page())
st.navigation({**PAGES, "Shoppers": [*PAGES["Shoppers"], *([alias] if alias else [])]}).run()

# After the page: Streamlit's collection after each run then skips what is loaded for good.
freeze_what_is_loaded()

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

def tutorial_page(served_at_its_name: bool) -> st.Page:
    """The tutorial, served at ``/``; at ``/tutorial`` too when that is what was asked.

    Streamlit serves the default page at ``/`` only and answers ``/tutorial`` with a
    "Page not found" box; asked for by name, the tutorial is a plain page there (a hidden
    page then takes ``/``).
    """
    return st.Page(TUTORIAL, title="Tutorial", icon=":material/school:", url_path="tutorial",
                   default=not served_at_its_name)


def other_pages() -> dict[str, list[st.Page]]:
    return {
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


def shopper_pages(tutorial: st.Page) -> list[st.Page]:
    return [
        tutorial,
        st.Page("guide/pages/path_finder.py", title="Which path is mine?",
                icon=":material/alt_route:", url_path="which-path"),
        st.Page("guide/pages/practice.py", title="Practice", icon=":material/touch_app:",
                url_path="practice"),
    ]


def requested_page() -> str:
    """The page name the browser asked for (``tutorial`` for ``/tutorial``; "" for ``/``)."""
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    return (getattr(manager, "intended_page_name", None) or "").strip("/")


def redirect_to(tutorial: st.Page, name: str, default: bool = False) -> st.Page:
    """A hidden page at ``name`` that sends the reader on to the tutorial, address kept:
    a mistyped or outdated address lands on the tutorial rather than an error box."""

    def to_the_tutorial() -> None:
        st.switch_page(tutorial, query_params=st.query_params.to_dict())

    return st.Page(to_the_tutorial, title="Tutorial", url_path=name or "home",
                   visibility="hidden", default=default)


def pages() -> dict[str, list[st.Page]]:
    name = requested_page()
    tutorial = tutorial_page(served_at_its_name=name == "tutorial")
    shoppers = shopper_pages(tutorial)
    others = other_pages()
    known = {page.url_path for page in shoppers} | {
        page.url_path for group in others.values() for page in group}
    if name == "tutorial":
        shoppers.append(redirect_to(tutorial, "", default=True))
    elif name and "/" not in name and name not in known:
        shoppers.append(redirect_to(tutorial, name))
    return {"Shoppers": shoppers, **others}


st.navigation(pages()).run()

# After the page: Streamlit's collection after each run then skips what is loaded for good.
freeze_what_is_loaded()

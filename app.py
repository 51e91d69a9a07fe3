"""The order-cancellation guide: ``streamlit run app.py``. Only the page list lives here."""

import streamlit as st

from guide.gc_freeze import freeze_what_is_loaded

st.set_page_config(
    page_title="Cancel an order: guide",
    page_icon=":material/remove_shopping_cart:",
    layout="wide",
)

st.navigation(
    {
        "Shoppers": [
            st.Page("guide/pages/tutorial.py", title="Tutorial", icon=":material/school:",
                    url_path="tutorial", default=True),
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
).run()

# After the page: Streamlit's collection after each run then skips what is loaded for good.
freeze_what_is_loaded()

"""One module per page of the guide; ``app.py`` lists them in ``st.navigation``."""

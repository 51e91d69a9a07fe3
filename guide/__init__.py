"""The Streamlit guide: tutorials from the recordings, a path finder, practice and training.

Read it top down: ``pages/`` holds one module per page (``app.py`` lists them); ``ui``,
``address``, ``window``, ``export`` and ``run_launcher`` are the pieces pages draw with;
``data/`` is what they read and start (settings, recordings, runs, the recorder, the
storefront); ``paths``, ``advice`` and ``quiz`` word the rules. Every answer about
statuses, refunds and coupons comes from ``domain``; the guide only words and arranges it.
"""

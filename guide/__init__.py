"""The Streamlit guide: tutorials from the recordings, a path finder, practice and training.

Every answer about statuses, refunds and coupons comes from ``domain``;
the guide only words and arranges it.
"""

"""The guide's settings (prefix ``GUIDE_``): where it finds its data and the storefront.

They are read from the environment once per reader's session and kept in its state, so
every page and rerun of a session sees the same ones while each new session (and each
test's app) reads them afresh.
"""

from pathlib import Path

import streamlit as st
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from streamlit.runtime.scriptrunner import get_script_run_ctx

ROOT = Path(__file__).resolve().parents[2]
SESSION_KEY = "guide.settings"


class GuideSettings(BaseSettings):
    """``GUIDE_RECORDINGS_DIR``, ``GUIDE_RUN_REPORT``, ``GUIDE_STOREFRONT_URL``; a relative
    path is taken from the repository's root."""

    model_config = SettingsConfigDict(env_prefix="GUIDE_", env_ignore_empty=True, frozen=True)

    # The folder holding ``manifest.json`` and the screenshots.
    recordings_dir: Path = Path("flows") / "recordings"
    # The latest regression or recording run.
    run_report: Path = Path("output") / "flows" / "latest-run.json"
    # The live storefront of practice mode and regression runs, without a trailing slash.
    storefront_url: str = "http://127.0.0.1:8000"

    @field_validator("recordings_dir", "run_report")
    @classmethod
    def _from_root(cls, path: Path) -> Path:
        return path if path.is_absolute() else ROOT / path

    @field_validator("storefront_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")


def settings() -> GuideSettings:
    """This session's settings (read now when there is no Streamlit session)."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return GuideSettings()
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = GuideSettings()
    return st.session_state[SESSION_KEY]


def shown_path(path: Path) -> str:
    """A path as the guide prints it: relative to the repository when it lies inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)

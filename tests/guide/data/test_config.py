"""The guide's settings: read once per reader's session, paths taken from the repository."""

from pathlib import Path

from guide.data.config import GuideSettings
from tests.guide.guide_fixtures import ROOT, UNREACHABLE

PRACTICE = "guide/pages/practice.py"


def test_relative_paths_are_taken_from_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("GUIDE_RECORDINGS_DIR", "elsewhere/recordings")
    monkeypatch.setenv("GUIDE_RUN_REPORT", str(tmp_path / "run.json"))
    monkeypatch.setenv("GUIDE_STOREFRONT_URL", "http://shop.test:8000/")
    settings = GuideSettings()

    assert settings.recordings_dir == ROOT / "elsewhere" / "recordings"
    assert settings.run_report == tmp_path / "run.json"
    assert settings.storefront_url == "http://shop.test:8000"


def test_an_empty_variable_means_the_default(monkeypatch):
    for name in ("GUIDE_RECORDINGS_DIR", "GUIDE_RUN_REPORT", "GUIDE_STOREFRONT_URL"):
        monkeypatch.setenv(name, "")
    settings = GuideSettings()

    assert settings.recordings_dir == ROOT / Path("flows", "recordings")
    assert settings.storefront_url == "http://127.0.0.1:8000"


def test_a_session_keeps_the_settings_it_started_with(guide_env, open_page, monkeypatch):
    at = open_page(PRACTICE)
    monkeypatch.setenv("GUIDE_STOREFRONT_URL", "http://127.0.0.1:10")
    at.run()
    assert f"looks for the shop at {UNREACHABLE}" in at.caption[-1].value

    assert "looks for the shop at http://127.0.0.1:10" in open_page(PRACTICE).caption[-1].value

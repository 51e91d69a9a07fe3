"""``scripts/run_guide.sh`` on other ports: the storefront lets the guide on GUIDE_PORT
frame its pages, and the guide talks to the storefront on SHOP_PORT (the settings the
script derives, read by each program's own settings object)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from guide.data.config import GuideSettings
from mock_site.core.settings import Settings, guide_origins

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "run_guide.sh"
DERIVED = ("SHOP_FRAME_ANCESTORS", "GUIDE_STOREFRONT_URL")


def derived_settings(env: dict[str, str]) -> dict[str, str]:
    """What ``run_guide.sh --print-settings`` derives from ``env`` (nothing is started)."""
    clean = {key: value for key, value in os.environ.items() if key not in DERIVED}
    process = subprocess.Popen(["bash", str(SCRIPT), "--print-settings"], env={**clean, **env},
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=30)
    finally:  # a script that started servers instead is stopped with all it started
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
    assert process.returncode == 0, output
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


@pytest.mark.parametrize(("ports", "guide_port", "shop_port"), [
    ({}, 8501, 8000),
    ({"GUIDE_PORT": "8601", "SHOP_PORT": "8100"}, 8601, 8100),
])
def test_the_ports_decide_the_framing_and_the_guides_storefront(
    monkeypatch, ports, guide_port, shop_port
):
    for name, value in derived_settings(ports).items():
        monkeypatch.setenv(name, value)

    assert Settings().frame_ancestors == list(guide_origins(guide_port))
    assert GuideSettings().storefront_url == f"http://127.0.0.1:{shop_port}"


def test_framing_set_on_purpose_is_kept():
    derived = derived_settings({"GUIDE_PORT": "8601", "SHOP_FRAME_ANCESTORS": "https://guide.test"})

    assert derived["SHOP_FRAME_ANCESTORS"] == "https://guide.test"

"""The guide reads plain data only: loading every guide module and running every page
(with recordings and a run report present) never imports SQLAlchemy or Playwright."""

import json
import subprocess
import sys
from datetime import UTC, datetime

from flowspec.contract import RunReport, StepOutcome, write_json
from tests.guide.guide_fixtures import ROOT

# Runs in a fresh interpreter: this test process has loaded both libraries long ago.
SCRIPT = """
import importlib, pathlib, sys
from streamlit.testing.v1 import AppTest

root = pathlib.Path(sys.argv[1])
for package in ("guide", "guide/data"):
    for module in sorted((root / package).glob("*.py")):
        importlib.import_module(f"{package.replace('/', '.')}.{module.stem}")
for page in [root / "app.py", *sorted((root / "guide" / "pages").glob("[!_]*.py"))]:
    at = AppTest.from_file(str(page), default_timeout=60).run()
    assert not at.exception, (page.name, at.exception)
print(sorted(name for name in ("sqlalchemy", "playwright") if name in sys.modules))
"""


def test_no_guide_page_imports_the_database_layer_or_playwright(recorded, guide_env, tmp_path):
    monday = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    write_json(tmp_path / "latest-run.json", RunReport(
        kind="run", started_at=monday, finished_at=monday,
        results=(StepOutcome(flow="pre-verification", device="desktop", step=1,
                             step_id="step-1", status="failed", message="changed"),),
    ))

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)], cwd=ROOT, capture_output=True, text=True,
        timeout=300, check=False,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"')) == []

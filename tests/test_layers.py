"""What each layer loads when it runs: the import-linter contracts (pyproject.toml) hold
the imports written down; these hold what a fresh interpreter really loads."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("code", "never"),
    [
        pytest.param(
            "import flowspec.contract, flowspec.steps, flowspec.paths, flowspec.tour\n"
            "flowspec.paths.load_flows()",
            {"playwright", "sqlalchemy", "fastapi", "streamlit", "flows", "mock_site", "guide"},
            id="the flow language",
        ),
        pytest.param(
            "import mock_site.web.app\nmock_site.web.app.create_app",
            {"playwright", "flows", "guide", "streamlit", "PIL", "pixelmatch"},
            id="the storefront",
        ),
    ],
)
def test_a_layer_loads_nothing_it_must_not(code: str, never: set[str]):
    program = f"import sys\n{code}\nprint(sorted({{m.split('.')[0] for m in sys.modules}} & {never!r}))"
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True)

    assert done.stdout.strip() == "[]"

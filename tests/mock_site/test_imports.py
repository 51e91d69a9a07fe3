"""The storefront runs without the automation code: its app loads no browser driver, no
runner, no guide and no picture library, only the rules and the flow language."""

import subprocess
import sys


def test_the_storefront_app_loads_neither_playwright_nor_the_runner():
    code = (
        "import sys, mock_site.web.app\n"
        "mock_site.web.app.create_app\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} &\n"
        "    {'playwright', 'flows', 'guide', 'streamlit', 'PIL', 'pixelmatch'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert done.stdout.strip() == "[]"

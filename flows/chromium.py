"""Which Chromium the flows launch, found with the standard library only.

``python -m flows.chromium [--headed]`` prints the executable a headless (or a
windowed) run would launch, so ``scripts/setup.sh`` asks here instead of searching again;
``--missing`` prints the system packages to install, none when a setting names one.
"""

import argparse
import os
import sys
from collections.abc import Callable, Mapping

SYSTEM_CHROMIUM = "/usr/bin/chromium"
# Debian's build of the headless-only browser Playwright itself runs headless: the same
# engine and pictures without the windowed browser's layers, so cheaper per page.
# The binary itself: the package's /usr/bin script starts it as a child (no exec), which
# stopping the script would leave running.
SYSTEM_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
SYSTEM_PACKAGES = {SYSTEM_HEADLESS_SHELL: "chromium-headless-shell", SYSTEM_CHROMIUM: "chromium"}
# The settings that name an executable, the first set one winning.
EXECUTABLE_VARIABLES = ("SHOP_CHROMIUM", "CHROMIUM_PATH")


class BrowserSetupError(RuntimeError):
    """No usable browser; the message says what to set or install."""


def find_chromium(
    env: Mapping[str, str],
    bundled: str | None,
    exists: Callable[[str], bool] = os.path.exists,
    *,
    headless: bool = True,
) -> str | None:
    """The Chromium executable to launch; None means Playwright's bundled one.

    An explicit setting (``env``: the variables' values) wins and must exist; then, for
    a headless browser, the system's headless shell; then the system Chromium; then the
    browser ``playwright install`` put in place.
    """
    for variable in EXECUTABLE_VARIABLES:
        if path := env.get(variable):
            if not exists(path):
                raise BrowserSetupError(f"{variable} is set to {path}, which does not exist")
            return path
    if headless and exists(SYSTEM_HEADLESS_SHELL):
        return SYSTEM_HEADLESS_SHELL
    if exists(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    if bundled and exists(bundled):
        return None
    raise BrowserSetupError(
        "No Chromium found: set SHOP_CHROMIUM to a Chromium executable, install the "
        f"system package ({SYSTEM_CHROMIUM}), or run `playwright install chromium`"
    )


def missing_packages(
    env: Mapping[str, str], exists: Callable[[str], bool] = os.path.exists
) -> list[str]:
    """The system packages whose browsers are not installed; none when a setting names one."""
    if any(env.get(variable) for variable in EXECUTABLE_VARIABLES):
        return []
    return [package for path, package in SYSTEM_PACKAGES.items() if not exists(path)]


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.chromium",
                                     description="Print the Chromium the flows launch.")
    parser.add_argument("--headed", action="store_true", help="the one for a browser window")
    parser.add_argument("--missing", action="store_true",
                        help="print the system packages to install instead")
    args = parser.parse_args(argv)
    if args.missing:
        print(" ".join(missing_packages(env)))
        return 0
    try:
        executable = find_chromium(env, None, headless=not args.headed)
    except BrowserSetupError as error:
        print(error, file=sys.stderr)
        return 1
    print(executable or "")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Idempotent set-up: Chromium (Debian package), .venv, Python requirements.
# Safe to run again and again: each stage only acts when something is missing or changed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

VENV=".venv"
STAMP="$VENV/.requirements.sha256"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# Run a command quietly; show its output only if it fails.
quiet() {
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        die "failed: $*"
    fi
    rm -f "$log"
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* yourself"
    quiet as_root apt-get update -qq
    quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# 1. Virtual environment ------------------------------------------------------
if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    say "venv: $VENV present ($("$VENV/bin/python" -V 2>&1))"
else
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        say "venv: installing python3 and python3-venv with apt-get"
        apt_install python3 python3-venv
    fi
    say "venv: creating $VENV with $(python3 -V 2>&1)"
    quiet python3 -m venv --clear "$VENV"
fi

# 2. Requirements (only when requirements.txt changed since the last install) ---
# A lock keeps two scripts started at once from installing into the venv together.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$VENV/.setup.lock"
    flock 9
fi
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$want" == "$have" ]]; then
    say "requirements: up to date"
else
    say "requirements: installing requirements.txt into $VENV"
    quiet "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    printf '%s\n' "$want" >"$STAMP"
fi

# 3. Chromium ---------------------------------------------------------------
# The flows say which browser they launch (flows/chromium.py): SHOP_CHROMIUM or
# CHROMIUM_PATH when set, else Debian's headless shell for headless runs (cheaper per
# page than the full browser) and /usr/bin/chromium for --headed ones.
chromium() { "$VENV/bin/python" -m flows.chromium "$@"; }
missing="$(chromium --missing)"
if [[ -n "$missing" ]]; then
    say "chromium: installing $missing and fonts-dejavu-core with apt-get"
    # shellcheck disable=SC2086  # one word per package
    apt_install $missing fonts-dejavu-core
fi
if ! headless="$(chromium 2>&1)"; then
    say "chromium: $headless (left as is)"
elif ! headed="$(chromium --headed 2>&1)"; then
    say "chromium: $headed (left as is)"
else
    say "chromium: headless runs use $headless, headed runs $headed"
fi

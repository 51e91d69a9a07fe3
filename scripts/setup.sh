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

# 1. Chromium ---------------------------------------------------------------
if [[ -n "${SHOP_CHROMIUM:-}" || -n "${CHROMIUM_PATH:-}" ]]; then
    override="${SHOP_CHROMIUM:-$CHROMIUM_PATH}"
    if [[ -x "$override" ]]; then
        say "chromium: using $override (override)"
    else
        say "chromium: override $override is not an executable file (left as is)"
    fi
elif [[ -x /usr/bin/chromium && -x /usr/lib/chromium/chromium-headless-shell ]]; then
    say "chromium: /usr/bin/chromium and chromium-headless-shell present"
else
    # The headless shell runs the tests and recordings (half the CPU of the full browser
    # per page); the full browser is for --headed runs.
    say "chromium: installing chromium, chromium-headless-shell and fonts-dejavu-core with apt-get"
    apt_install chromium chromium-headless-shell fonts-dejavu-core
fi

# 2. Virtual environment ------------------------------------------------------
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

# 3. Requirements (only when requirements.txt changed since the last install) ---
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

#!/usr/bin/env bash
# Set up, start the storefront (unless one already answers), then run the Streamlit guide.
#   bash scripts/run_guide.sh        # guide on :8501, storefront on :8000
#   SHOP_PORT=8100 GUIDE_PORT=8601 bash scripts/run_guide.sh
#   bash scripts/run_guide.sh --print-settings   # the settings derived from the ports, then stop
# The ports decide the rest: the guide talks to the storefront on SHOP_PORT
# (GUIDE_STOREFRONT_URL), and the storefront lets the guide on GUIDE_PORT show its pages in
# the practice frame (SHOP_FRAME_ANCESTORS, unless set).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"

SHOP_PORT="${SHOP_PORT:-8000}"
GUIDE_PORT="${GUIDE_PORT:-8501}"
STOREFRONT_URL="http://127.0.0.1:$SHOP_PORT"
GUIDE_ORIGIN="http://127.0.0.1:$GUIDE_PORT"
export GUIDE_STOREFRONT_URL="$STOREFRONT_URL"
export SHOP_FRAME_ANCESTORS="${SHOP_FRAME_ANCESTORS:-$GUIDE_ORIGIN,http://localhost:$GUIDE_PORT}"

if [[ "${1:-}" == "--print-settings" ]]; then
    echo "GUIDE_STOREFRONT_URL=$GUIDE_STOREFRONT_URL"
    echo "SHOP_FRAME_ANCESTORS=$SHOP_FRAME_ANCESTORS"
    exit 0
fi

bash "$ROOT/scripts/setup.sh"
cd "$ROOT"

# True when any HTTP server answers on the storefront port (whatever the status code).
answers() {
    local code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$STOREFRONT_URL/" 2>/dev/null || true)"
    [[ -n "$code" && "$code" != "000" ]]
}

shop_pid=""
guide_pid=""
stop() {  # $1: pid, $2: what it is
    if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
        echo "guide: stopping the $2 (pid $1)"
        kill "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}
trap 'stop "$guide_pid" guide; stop "$shop_pid" storefront' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if answers; then
    echo "guide: a server already answers at $STOREFRONT_URL; using it"
    # Started elsewhere, it frames only the origins it was given: say so when this guide is not one.
    csp="$(curl -s -D - -o /dev/null --max-time 2 "$STOREFRONT_URL/" | grep -i '^content-security-policy' || true)"
    if [[ "$csp" != *"$GUIDE_ORIGIN"* ]]; then
        echo "guide: warning: that storefront does not let $GUIDE_ORIGIN frame its pages, so" \
             "practice mode will stay blank; restart it with SHOP_FRAME_ANCESTORS=$SHOP_FRAME_ANCESTORS" >&2
    fi
else
    echo "guide: starting the storefront at $STOREFRONT_URL"
    SHOP_HOST=127.0.0.1 .venv/bin/python -m mock_site --port "$SHOP_PORT" &
    shop_pid=$!
    for _ in $(seq 1 60); do
        if answers; then
            break
        fi
        if ! kill -0 "$shop_pid" 2>/dev/null; then
            echo "guide: error: the storefront exited before answering" >&2
            exit 1
        fi
        sleep 0.5
    done
    if ! answers; then
        echo "guide: error: the storefront did not answer at $STOREFRONT_URL within 30 s" >&2
        exit 1
    fi
fi

[[ -f app.py ]] || { echo "guide: error: app.py not found in the repository root" >&2; exit 1; }

echo "guide: http://127.0.0.1:$GUIDE_PORT (storefront $STOREFRONT_URL); Ctrl-C to stop"
# In the background and waited for, so a TERM sent to this script stops both servers.
.venv/bin/python -m streamlit run app.py \
    --server.address 127.0.0.1 \
    --server.port "$GUIDE_PORT" \
    --server.headless true \
    --browser.gatherUsageStats false &
guide_pid=$!
rc=0
wait "$guide_pid" || rc=$?
exit "$rc"

#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on loopback only.
#   bash scripts/postgres.sh start   # prints the SQLAlchemy URL of a fresh, empty server
#   bash scripts/postgres.sh stop
#   SHOP_POSTGRESQL_DIR=/some/folder bash scripts/postgres.sh start   # a cluster of its own
# Installs Debian's PostgreSQL when it is missing. The server is a cluster of its own in
# a temporary folder (never the machine's own cluster), with durability off: tests want
# speed, and everything in it is thrown away by `stop` or the next `start`.
set -euo pipefail

# SHOP_POSTGRESQL_DIR chooses the folder, so that two runs on one machine keep apart.
DIR="${SHOP_POSTGRESQL_DIR:-${TMPDIR:-/tmp}/cancel-guide-postgresql-$(id -u)}"
DATA="$DIR/data"
PORT_FILE="$DIR/port"

say() { printf 'postgres: %s\n' "$*" >&2; }
die() { printf 'postgres: error: %s\n' "$*" >&2; exit 1; }

bindir() {
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    [[ -n "$found" && -x "$found/initdb" ]] && printf '%s' "$found"
}

# Run as the server's owner: PostgreSQL refuses to run as root.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install() {
    [[ -n "$(bindir)" ]] && return 0
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is missing and apt-get is not available; install PostgreSQL 13 or newer"
    [[ "$(id -u)" -eq 0 ]] || die "PostgreSQL is missing; install it as root: apt-get install -y postgresql"
    say "installing Debian's postgresql with apt-get"
    local log
    log="$(mktemp)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >"$log" 2>&1; then
        cat "$log" >&2
        die "apt-get install postgresql failed"
    fi
    rm -f "$log"
    [[ -n "$(bindir)" ]] || die "postgresql installed, but no initdb under /usr/lib/postgresql/*/bin"
}

stop() {
    local bin
    bin="$(bindir || true)"
    if [[ -n "$bin" && -f "$DATA/postmaster.pid" ]]; then
        as_owner "$bin/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DIR"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    install
    stop
    local bin port
    bin="$(bindir)"
    port="$(free_port)"
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    [[ "$(id -u)" -eq 0 ]] && chown postgres "$DIR"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 start -o \
        "-h 127.0.0.1 -p $port -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null 2>&1 || { cat "$DIR/server.log" >&2 2>/dev/null; die "the server did not start"; }
    printf '%s\n' "$port" >"$PORT_FILE"
    say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway, $DIR)"
    printf 'postgresql+psycopg://postgres@127.0.0.1:%s/postgres\n' "$port"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: $0 start|stop" ;;
esac

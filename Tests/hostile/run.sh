#!/usr/bin/env bash
# Hostile-input suite (issue 11): starts BINARY on a fresh data directory and a free loopback port,
# then attacks it over HTTP with pytest (Tests/hostile/test_*.py). Exit code = pytest's.
#
#   bash Tests/hostile/run.sh .build/debug/egov [pytest args…]
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 BINARY [pytest args…]" >&2
    exit 2
fi
BINARY="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="${EGOV_HOSTILE_REPO:-$(cd "$TESTS_DIR/../.." && pwd)}"
cd "$REPO_ROOT"

if ! python3 -c 'import requests' 2>/dev/null; then
    python3 -m pip install -q requests 2>/dev/null || python3 -m pip install -q --break-system-packages requests
fi
if ! python3 -c 'import pytest' 2>/dev/null; then
    python3 -m pip install -q pytest 2>/dev/null || python3 -m pip install -q --break-system-packages pytest
fi

DATA_DIR="$(mktemp -d /tmp/egov-hostile.XXXXXX)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null || true
    rm -rf "$DATA_DIR"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"

# EGOV_TRUSTED_PROXIES=127.0.0.1: the suite itself talks from loopback and gives every sign-in its own
# X-Forwarded-For address, so the per-address sign-in limit (issue 11, class 6) does not throttle the
# suite's own logins. The tests of that limit start their own server without trusted proxies.
EGOV_BCRYPT_COST=4 EGOV_PAYMENT_SANDBOX=1 EGOV_TRUSTED_PROXIES=127.0.0.1 \
    "$BINARY" serve --data-dir "$DATA_DIR" --port "$PORT" --pack "$REPO_ROOT/packs/demo" \
    >"$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!

BASE="http://127.0.0.1:$PORT"
ready=""
for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "server exited during start:" >&2
        tail -n 40 "$DATA_DIR/server.log" >&2 || true
        exit 1
    fi
    if [ -s "$DATA_DIR/initial-admin.txt" ] && [ -s "$DATA_DIR/demo-users.txt" ] \
        && python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('$BASE/healthz', timeout=2).status == 200 else 1)" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "server did not become ready at $BASE" >&2
    tail -n 40 "$DATA_DIR/server.log" >&2 || true
    exit 1
fi

ADMIN_PASSWORD="$(awk '/^password:/ {print $2}' "$DATA_DIR/initial-admin.txt")"

set +e
EGOV_HOSTILE_BASE="$BASE" \
EGOV_HOSTILE_DATA_DIR="$DATA_DIR" \
EGOV_HOSTILE_BINARY="$BINARY" \
EGOV_HOSTILE_PID="$SERVER_PID" \
EGOV_HOSTILE_LOG="$DATA_DIR/server.log" \
EGOV_HOSTILE_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
EGOV_HOSTILE_DEMO_USERS="$DATA_DIR/demo-users.txt" \
EGOV_HOSTILE_REPO="$REPO_ROOT" \
    python3 -m pytest -q -p no:cacheprovider "$TESTS_DIR" "$@"
status=$?
set -e
exit $status

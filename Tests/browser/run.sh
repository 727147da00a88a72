#!/usr/bin/env bash
# End-to-end browser tests: starts a throw-away server on a fresh data directory and walks, in
# headless Chromium, the platform journey (register, sign in, administration, audit, language) and
# the one-stop-shop journey (apply, pay in the sandbox, supplement, process, result, rating,
# tracking, statistics) and the documents journey (draft, approve, sign, issue, deliver, register,
# assign, close, the sender sees "done"), each page checked with axe-core. Both run; the script fails if either does.
#
#   bash Tests/browser/run.sh PATH_TO_EGOV_BINARY
#
# Needs Debian 12 with python3 and pip. Installs, when missing, Chromium and its driver, and
# pdfsig and certutil (poppler-utils, libnss3-tools: the signed result is checked) and Tesseract with
# its Vietnamese data (the documents journey's scan is read by OCR) from Debian (apt-get), and Selenium and axe-selenium-python (which ships axe-core) from PyPI; nothing
# else is downloaded (the driver is Debian's /usr/bin/chromedriver, never one fetched by
# selenium-manager). Every page the journeys load is checked with axe-core: a critical or serious
# violation fails the journey's last check (list in the artifacts' axe-violations.json).
#
# Knobs (environment):
#   EGOV_BROWSER_ARTIFACTS  directory for the screenshots (NN-name.png; the one-stop-shop journey's
#                           in its public-services/ subdirectory); default: a new directory under
#                           ${TMPDIR:-/tmp} that is kept after the run (its path is printed)
#   EGOV_BROWSER_PORT       port for the server (default: a free one)
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: bash $0 PATH_TO_EGOV_BINARY" >&2
    exit 2
fi
EGOV_BIN="$(realpath "$1")"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
PACK_DIR="$REPO_ROOT/packs/demo"
START=$SECONDS

note() { printf '   %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [[ $EUID -ne 0 ]] && command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi

# ---------------------------------------------------------------------------------------------
# Tools: Chromium + chromedriver from Debian, Selenium and axe-selenium-python from PyPI.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    note "installing chromium and chromium-driver (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq >/dev/null
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
    # Vietnamese glyphs in the screenshots; nice to have, not required.
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends fonts-noto-core >/dev/null 2>&1 \
        || note "warning: fonts-noto-core not installed (screenshots may lack some glyphs)"
fi
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || die "chromium or chromedriver still missing"
# pdfsig and certutil check the signatures on the citizen's result (one-stop-shop journey).
if ! command -v pdfsig >/dev/null 2>&1 || ! command -v certutil >/dev/null 2>&1; then
    note "installing poppler-utils and libnss3-tools (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq >/dev/null
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends poppler-utils libnss3-tools >/dev/null
fi
command -v pdfsig >/dev/null 2>&1 && command -v certutil >/dev/null 2>&1 || die "pdfsig or certutil still missing"
# Tesseract and its Vietnamese data read the scan the documents journey uploads (the server's OCR job).
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
    note "installing tesseract-ocr and tesseract-ocr-vie (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update -qq >/dev/null
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-vie >/dev/null
fi
tesseract --list-langs 2>/dev/null | grep -qx vie || die "tesseract or its Vietnamese data still missing"

# pip_install PACKAGE MODULE: installs PACKAGE from PyPI unless python3 can already import MODULE.
pip_install() {
    local package="$1" module="$2" pip_log
    if ! python3 -c "import $module" >/dev/null 2>&1; then
        note "installing $package (pip)"
        export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
        if ! pip_log="$(python3 -m pip install -q "$package" 2>&1)"; then
            if grep -q 'externally-managed-environment' <<<"$pip_log"; then
                python3 -m pip install -q --break-system-packages "$package"
            else
                printf '%s\n' "$pip_log" >&2
                die "pip install $package failed"
            fi
        fi
    fi
    python3 -c "import $module" || die "$package is not importable by python3"
}
pip_install selenium selenium
# axe-core for the accessibility check of every page (Tests/browser/a11y.py): the axe.min.js that
# this PyPI package ships, injected by the journeys; nothing comes from npm.
pip_install axe-selenium-python axe_selenium_python

# ---------------------------------------------------------------------------------------------
# Server on a fresh data directory.
[[ -x "$EGOV_BIN" ]] || die "not an executable: $EGOV_BIN"
[[ -d "$PACK_DIR" ]] || die "no demo pack at $PACK_DIR"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/egov-browser.XXXXXX")"
DATA_DIR="$WORK_DIR/data"
SERVER_OUT="$WORK_DIR/server.out"
SERVER_ERR="$WORK_DIR/server.err"
if [[ -n "${EGOV_BROWSER_ARTIFACTS:-}" ]]; then
    ARTIFACTS="$EGOV_BROWSER_ARTIFACTS"
else
    # Not inside WORK_DIR: that one is removed on exit, and the screenshots are meant to be looked at.
    ARTIFACTS="$(mktemp -d "${TMPDIR:-/tmp}/egov-browser-shots.XXXXXX")"
fi
mkdir -p "$ARTIFACTS"
SERVER_PID=""

server_log_tail() {
    if [[ -n "$SERVER_PID" ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
        local status=0
        wait "$SERVER_PID" 2>/dev/null || status=$?
        echo "--- the server (pid $SERVER_PID) is no longer running, exit status $status ---" >&2
        SERVER_PID=""
    fi
    # A Swift crash report is long: show its first lines (the reason) before the tail.
    if grep -qE 'Fatal error|Program crashed' "$SERVER_ERR" 2>/dev/null; then
        echo "--- server crash ---" >&2
        grep -m 3 -E 'Fatal error|Program crashed|crashed:' "$SERVER_ERR" >&2 || true
        grep -m 12 -E '^ +[0-9]+ .* in egov at /' "$SERVER_ERR" | cut -c1-220 >&2 || true
    elif [[ -s "$SERVER_ERR" ]]; then
        echo "--- server stderr (last 40 lines) ---" >&2
        tail -n 40 "$SERVER_ERR" >&2
    fi
    if [[ -s "$SERVER_OUT" ]]; then
        echo "--- server stdout (last 20 lines) ---" >&2
        tail -n 20 "$SERVER_OUT" >&2
    fi
}

cleanup() {
    local rc=$?
    if [[ $rc -ne 0 && -d "$WORK_DIR" ]]; then server_log_tail; fi
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK_DIR"
    note "browser test finished in $((SECONDS - START))s, exit code $rc"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="${EGOV_BROWSER_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
BASE_URL="http://127.0.0.1:$PORT"

note "starting $EGOV_BIN on port $PORT (data: $DATA_DIR)"
# A low bcrypt cost keeps the first start (hashing the demo officers' passwords) fast.
# The journey pays in the built-in sandbox gateway, which is off unless asked for.
EGOV_BCRYPT_COST=4 "$EGOV_BIN" serve --data-dir "$DATA_DIR" --port "$PORT" --pack "$PACK_DIR" --payment-sandbox \
    >"$SERVER_OUT" 2>"$SERVER_ERR" </dev/null &
SERVER_PID=$!
SERVER_START=$SECONDS

deadline=$((SECONDS + 180))
until python3 - "$BASE_URL/healthz" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if response.status == 200 else 1)
PY
do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited before it was ready"
    [[ $SECONDS -lt $deadline ]] || die "no 200 from $BASE_URL/healthz within 180 s"
    sleep 1
done
note "server ready after $((SECONDS - SERVER_START))s"

# ---------------------------------------------------------------------------------------------
note "screenshots: $ARTIFACTS"
JOURNEYS_RC=0
note "journey: platform"
EGOV_BROWSER_ARTIFACTS="$ARTIFACTS" python3 "$SCRIPT_DIR/journey_platform.py" "$BASE_URL" "$DATA_DIR" || JOURNEYS_RC=1
note "journey: public services (one-stop-shop)"
EGOV_BROWSER_ARTIFACTS="$ARTIFACTS/public-services" python3 "$SCRIPT_DIR/journey_public_services.py" "$BASE_URL" "$DATA_DIR" \
    || JOURNEYS_RC=1
note "journey: documents (issue 14)"
EGOV_BROWSER_ARTIFACTS="$ARTIFACTS/documents" python3 "$SCRIPT_DIR/journey_documents.py" "$BASE_URL" "$DATA_DIR" || JOURNEYS_RC=1
exit "$JOURNEYS_RC"

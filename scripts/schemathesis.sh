#!/usr/bin/env bash
# API fuzzing with schemathesis (PyPI) against /openapi.json of a throw-away `egov serve`.
#
#   scripts/schemathesis.sh BINARY        e.g. scripts/schemathesis.sh .build/debug/egov
#
# Starts the server on a fresh temporary data directory (SQLite, a free loopback port, the demo pack),
# takes a bearer token for the administrator and for a freshly registered citizen, and runs schemathesis
# twice, as each of them, with a bounded number of examples and a bounded time. Only server errors are
# checked (`not_a_server_error`: any 5xx is a failure); response-schema conformance is not. After each
# run the server must still be running and answer /healthz. If the server died during a run it is
# restarted on the same data directory for the next run (the tokens stay valid), and the crash is
# reported. Prints one summary line per run; exits non-zero on any 5xx, crash or unanswered /healthz.
#
# Environment:
#   EGOV_ST_VERSION       schemathesis version installed when missing        (default 4.32.5)
#   EGOV_ST_MAX_EXAMPLES  examples per operation                             (default 25)
#   EGOV_ST_MAX_TIME      time budget of one run, seconds                    (default 150)
#   EGOV_ST_WORKERS       concurrent schemathesis workers                    (default 2)
#   EGOV_ST_SEED          hypothesis seed, for a reproducible run            (default: random)
#   EGOV_ST_PORT          port of the server                                 (default: a free one)
#   EGOV_ST_KEEP=1        keep the work dir (server logs, reports) and print where it is
# The server always runs on SQLite: DATABASE_URL is ignored.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
[[ $# -eq 1 && "$1" != -h && "$1" != --help ]] || { sed -n '2,22p' "$SELF" | sed 's/^# \{0,1\}//'; exit 2; }
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[[ -x "$BIN" ]] || { echo "error: $1 is not an executable" >&2; exit 2; }
cd "$(dirname "$SELF")/.."
REPO_ROOT="$PWD"

ST_VERSION="${EGOV_ST_VERSION:-4.32.5}"
MAX_EXAMPLES="${EGOV_ST_MAX_EXAMPLES:-25}"
MAX_TIME="${EGOV_ST_MAX_TIME:-150}"
WORKERS="${EGOV_ST_WORKERS:-2}"
SEED="${EGOV_ST_SEED:-}"
KEEP="${EGOV_ST_KEEP:-0}"
T_START=$SECONDS

say() { printf '== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# schemathesis from PyPI, a version whose CLI (options used below) is known.
st_version() { python3 -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null || true; }
if [[ "$(st_version)" != 4.* ]]; then
    say "installing schemathesis $ST_VERSION (pip)"
    python3 -m pip install -q --disable-pip-version-check "schemathesis==$ST_VERSION" >/dev/null 2>&1 \
        || python3 -m pip install -q --disable-pip-version-check --break-system-packages "schemathesis==$ST_VERSION" >/dev/null \
        || die "could not install schemathesis==$ST_VERSION"
fi
ST=(python3 -m schemathesis.cli)
note "schemathesis $(st_version)"

# ---------------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/egov-schemathesis.XXXXXX")"
DATA="$WORK/data"
PORT="${EGOV_ST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT"
SERVER_PID=""
SERVER_N=0
FAIL=0

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
cleanup() {
    local rc=$?
    stop_server
    if [[ "$KEEP" == 1 || $rc -ne 0 ]]; then note "work dir kept: $WORK"; else rm -rf -- "$WORK"; fi
    note "took $((SECONDS - T_START))s"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_server() {
    SERVER_N=$((SERVER_N + 1))
    SERVER_LOG="$WORK/server-$SERVER_N.log"
    env -u DATABASE_URL EGOV_BCRYPT_COST=4 EGOV_PAYMENT_SANDBOX=1 LOG_LEVEL="${LOG_LEVEL:-warning}" \
        "$BIN" serve --data-dir "$DATA" --host 127.0.0.1 --port "$PORT" --pack "$REPO_ROOT/packs/demo" \
        >"$SERVER_LOG" 2>&1 </dev/null &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        if curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$SERVER_LOG" >&2; die "the server exited while starting"; }
        sleep 0.1
    done
    tail -n 20 "$SERVER_LOG" >&2
    die "the server did not answer /healthz within 60 s"
}

json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

token() {   # token USER PASSWORD -> access token on stdout
    local body code
    body="$(python3 -c 'import json,sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2]}))' "$1" "$2")"
    code="$(curl -sS -o "$WORK/token.json" -w '%{http_code}' -X POST "$BASE/api/v1/auth/token" \
        -H 'Content-Type: application/json' --data-binary "$body")"
    [[ "$code" == 200 ]] || die "POST /api/v1/auth/token for $1 answered $code: $(head -c 300 "$WORK/token.json")"
    json_field "$WORK/token.json" access_token
}

say "starting $BIN on $BASE (SQLite, $DATA)"
start_server
ADMIN_PASSWORD="$(sed -n 's/^password: *//p' "$DATA/initial-admin.txt" | head -n 1)"
[[ -n "$ADMIN_PASSWORD" ]] || die "no password in $DATA/initial-admin.txt"
ADMIN_TOKEN="$(token admin "$ADMIN_PASSWORD")"

# A citizen with a valid, random 12-digit number: province 001, century/sex 0 (born 19xx), year 90.
ID_NUMBER="00109$(printf '%07d' $((RANDOM * 32768 + RANDOM)) | tail -c 7)"
CITIZEN_PASSWORD="Fuzz$(printf '%06d' $RANDOM)x1"
code="$(curl -sS -o "$WORK/citizen.json" -w '%{http_code}' -X POST "$BASE/api/v1/citizens" -H 'Content-Type: application/json' \
    --data-binary "{\"fullName\":\"Nguyễn Thị Kiểm Thử\",\"idNumber\":\"$ID_NUMBER\",\"phone\":\"0912000111\",\"email\":\"fuzz-$ID_NUMBER@example.com\",\"password\":\"$CITIZEN_PASSWORD\"}")"
[[ "$code" == 201 ]] || die "POST /api/v1/citizens answered $code: $(head -c 300 "$WORK/citizen.json")"
CITIZEN_TOKEN="$(token "$ID_NUMBER" "$CITIZEN_PASSWORD")"
note "tokens for admin and citizen $ID_NUMBER"

# A real dossier of the citizen (online, no fee, one small PDF), so that path parameters can name
# things that exist: the examples phase then reaches past the 404s.
PDF_B64="$(printf '%%PDF-1.4\n%%%%EOF\n' | base64 -w0)"
code="$(curl -sS -o "$WORK/dossier.json" -w '%{http_code}' -X POST "$BASE/api/v1/dossiers" -H "Authorization: Bearer $CITIZEN_TOKEN" \
    -H 'Content-Type: application/json' --data-binary '{"procedureCode":"1.004837","unitCode":"000.00.31.H99","form":{"noiDung":"kiểm thử"},
    "attachments":[{"componentId":"van-ban-cu-giam-ho","fileName":"cu-giam-ho.pdf","contentBase64":"'"$PDF_B64"'"}]}')"
[[ "$code" == 201 ]] || die "POST /api/v1/dossiers answered $code: $(head -c 300 "$WORK/dossier.json")"
DOSSIER_CODE="$(json_field "$WORK/dossier.json" code)"
FILE_ID="$(python3 -c 'import json,sys; f=json.load(open(sys.argv[1])).get("files") or [{}]; print(f[0].get("id",""))' "$WORK/dossier.json")"
note "sample dossier $DOSSIER_CODE (file $FILE_ID)"
export EGOV_ST_SAMPLES
EGOV_ST_SAMPLES="$(python3 -c 'import json,sys; print(json.dumps(dict(zip(["dossier","file","citizen"], sys.argv[1:]))))' \
    "$DOSSIER_CODE" "$FILE_ID" "$ID_NUMBER")"

# Schemathesis hooks: the document's integer parameters carry no bounds, so the fuzzer almost never
# sends the extreme numbers that overflow Swift arithmetic; give every parameter explicit examples
# (extreme integers, odd dates, real codes) for the examples phase.
cat >"$WORK/hooks.py" <<'PY'
import json, os
import schemathesis

SAMPLES = json.loads(os.environ.get("EGOV_ST_SAMPLES") or "{}")
# Parameters' examples are paired by position (cycled), so a valid limit meets a huge offset.
LIMITS = [1, 200, 50, 0, -1, 201, 2**63 - 1, -2**63, 2**64, 10**30]
INTEGERS = [2**63 - 1, 2**63 - 200, 2**62, -1, 0, 2**31, 2**53 + 1, -2**63, 2**64, 10**30]
DATES = ["2026-01-01", "0001-01-01", "9999-12-31", "2026-02-30", "99999999999-01-01", "-2026-01-01", "2026-13-45"]
BY_NAME = {
    "code": {"/api/v1/procedures/": ["1.004837", "9.999999"], "/api/v1/units/": ["000.00.31.H99", "000.00.00.H99"],
             "/api/v1/dossiers/": [SAMPLES.get("dossier", ""), "000.00.31.H99-991231-9999"],
             "/api/v1/public/dossiers/": [SAMPLES.get("dossier", ""), "000.00.31.H99-991231-9999"]},
    "username": ["admin", "chutich.tinh"],
    "action": ["receive", "withdraw", "approve", "x" * 300],
    "file": [SAMPLES.get("file", ""), "00000000-0000-0000-0000-000000000000"],
    "unit": ["000.00.31.H99", "000.00.00.H99", "*"],
    "parent": ["000.00.00.H99"],
    "procedure": ["1.004837"],
    "q": ["khai sinh", "%", "_", "\\", "'\"", "a" * 2000],
    "from": DATES, "to": DATES,
}


# The signature and PKI operations take raw files (application/pdf, a PEM bundle, an RFC 3161 request, a CRL): send the generated
# bodies as bytes, as for application/octet-stream.
schemathesis.serializer.alias(["application/pdf", "application/x-pem-file", "application/timestamp-query", "application/pkix-crl"], "application/octet-stream")


def values(path, parameter):
    name = parameter.get("name", "")
    if (parameter.get("schema") or {}).get("type") == "integer":
        return LIMITS if name == "limit" else INTEGERS
    found = BY_NAME.get(name)
    if isinstance(found, dict):
        found = next((v for prefix, v in found.items() if path.startswith(prefix)), None)
    return [v for v in (found or []) if v != ""]


@schemathesis.hook
def before_load_schema(context, raw_schema):
    for path, item in (raw_schema.get("paths") or {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters") or []:
                examples = values(path, parameter)
                if examples:
                    parameter["examples"] = {f"e{i}": {"value": v} for i, v in enumerate(examples)}
PY

# Whether a JUnit report has errors and no failures, and every error is raised inside schemathesis or
# hypothesis (their own traceback), not a response of the server.
tool_errors_only() {
    python3 - "$1" <<'PY' 2>/dev/null
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
failures = [c for c in root.iter("testcase") if c.find("failure") is not None]
errors = [e.text or "" for c in root.iter("testcase") for e in c.findall("error")]
own = all("Runtime Error" in t and ("site-packages/hypothesis/" in t or "site-packages/schemathesis/" in t) for t in errors)
sys.exit(0 if errors and not failures and own else 1)
PY
}

# ---------------------------------------------------------------------------------------------
# One run: schemathesis as one user, then the server must be alive and answer /healthz.
run_as() {
    local who="$1" bearer="$2" rc=0 t0=$SECONDS report="$WORK/$1" alive=yes health=yes crash="" status summary
    mkdir -p "$report"
    say "schemathesis as $who (max $MAX_EXAMPLES examples per operation, ${MAX_TIME}s)"
    local args=(run "$BASE/openapi.json" --checks not_a_server_error --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME"
                --workers "$WORKERS" --phases examples,coverage,fuzzing --request-timeout 15 --suppress-health-check all
                --generation-database none --no-color --output-truncate true
                --report junit --report-junit-path "$report/junit.xml" -H "Authorization: Bearer $bearer")
    [[ -n "$SEED" ]] && args+=(--seed "$SEED")
    # A hard stop on top of --max-time: 90 s more for the last requests and the report.
    (cd "$report" && SCHEMATHESIS_HOOKS="$WORK/hooks.py" timeout -k 10 $((MAX_TIME + 90)) "${ST[@]}" "${args[@]}") >"$report/output.txt" 2>&1 || rc=$?
    # schemathesis itself can fail while generating data (a "Runtime Error" raised inside hypothesis or
    # schemathesis, e.g. CPython 3.11's "AST constructor recursion depth mismatch" when hypothesis describes
    # a filter lambda in a worker thread): no request was judged. Such a run is repeated once, said so,
    # and only a run whose every error is the tool's own qualifies; a 5xx or a crash of ours never does.
    if [[ $rc -ne 0 ]] && kill -0 "$SERVER_PID" 2>/dev/null && tool_errors_only "$report/junit.xml"; then
        note "schemathesis as $who: its own runtime error, not a server failure; running it once more"
        mv "$report/output.txt" "$report/output-first.txt"
        rc=0
        (cd "$report" && SCHEMATHESIS_HOOKS="$WORK/hooks.py" timeout -k 10 $((MAX_TIME + 90)) "${ST[@]}" "${args[@]}") >"$report/output.txt" 2>&1 || rc=$?
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        alive=no
        wait "$SERVER_PID" 2>/dev/null && status=0 || status=$?
        crash="server exited with status $status"
        [[ $status -gt 128 ]] && crash+=" (signal $((status - 128)))"
        SERVER_PID=""
    fi
    curl -fsS -o /dev/null --max-time 5 "$BASE/healthz" 2>/dev/null || health=no
    local fatal
    fatal="$(grep -m1 -E 'Fatal error|Swift runtime failure|\*\*\* Signal [0-9]+|Illegal instruction|Trace/breakpoint|Segmentation fault' "$SERVER_LOG" || true)"
    # Counts from the JUnit report: test cases (operations), failures and errors.
    summary="$(python3 - "$report/junit.xml" <<'PY' 2>/dev/null || echo "no JUnit report"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.iter("testcase")
n = failed = errored = skipped = 0
for case in cases:
    n += 1
    if case.find("failure") is not None: failed += 1
    elif case.find("error") is not None: errored += 1
    elif case.find("skipped") is not None: skipped += 1
print(f"{n} operations, {failed} with 5xx, {errored} with errors, {skipped} skipped")
PY
)"
    local verdict=passed
    if [[ $rc -ne 0 || $alive == no || $health == no || -n "$fatal" ]]; then verdict=FAILED; FAIL=1; fi
    printf 'schemathesis as %-7s %s: %s; schemathesis exit %s; server alive %s, /healthz %s%s in %ss\n' \
        "$who" "$verdict" "$summary" "$rc" "$alive" "$health" "${crash:+; $crash}${fatal:+; log: $fatal}" "$((SECONDS - t0))"
    if [[ $rc -ne 0 ]]; then
        # schemathesis's own account of every failure, with a curl command that reproduces it.
        sed -n '/^=* *FAILURES *=*$/,/^=* *SUMMARY *=*$/p' "$report/output.txt" | grep -v '^$' | head -n 120 >&2 || true
        grep -E '^(=+ .* =+|[0-9]+ (passed|failed).*)$' "$report/output.txt" | tail -n 3 >&2 || true
    fi
    if [[ -n "$fatal" || $alive == no ]]; then
        grep -A12 -m1 -E 'crashed:$' "$SERVER_LOG" >&2 || tail -n 15 "$SERVER_LOG" >&2
    fi
    if [[ $alive == no || $health == no ]]; then
        stop_server
        note "restarting the server on the same data directory for the next run"
        start_server
    fi
}

run_as admin "$ADMIN_TOKEN"
run_as citizen "$CITIZEN_TOKEN"

if [[ $FAIL -ne 0 ]]; then
    KEEP=1
    echo "schemathesis: FAILED (5xx, crash or no /healthz; reports in $WORK)"
    exit 1
fi
echo "schemathesis: passed (no 5xx, server alive)"

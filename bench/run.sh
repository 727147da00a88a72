#!/usr/bin/env bash
# Benchmark harness: release build of `egov`, measured with wrk on SQLite and on PostgreSQL.
#
#   bench/run.sh [--no-build]
#
# Environment:
#   BENCH_DB           sqlite | postgres | both                     (default both)
#   BENCH_DURATION     measured duration per endpoint, wrk syntax   (default 15s; "15" = 15s)
#   BENCH_WARMUP       unmeasured warm-up per endpoint, 0 = none    (default 3s)
#   BENCH_CONNECTIONS  open connections                             (default 32)
#   BENCH_THREADS      wrk threads                                  (default 2)
#   BENCH_PORT         port of the server under test                (default 8089)
#   BENCH_LOG_LEVEL    LOG_LEVEL given to the server                (default warning)
#   BENCH_KEEP=1       keep the work dir (data dirs, server logs, raw wrk output)
#   EGOV_BIN           use this egov binary instead of building one (implies --no-build)
#   BENCH_PROFILE=1    after each measurement, run the same load again with perf sampling the server
#                      (bench/perf-top.sh) and print where its CPU went after the results
#
# See bench/README.md for what the figures mean.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT="$PWD"

BUILD=1
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

BENCH_DB="${BENCH_DB:-both}"
DURATION="${BENCH_DURATION:-15s}"
WARMUP="${BENCH_WARMUP:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PORT="${BENCH_PORT:-8089}"
LOG_LEVEL="${BENCH_LOG_LEVEL:-warning}"
PG_DIR=/tmp/egov-bench-pg
PG_PORT=55433
PG_DB=egov_bench
BASE="http://127.0.0.1:$PORT"

# wrk reads a bare number as seconds; make that explicit.
[[ "$DURATION" =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"
[[ "$WARMUP" =~ ^[0-9]+$ ]] && WARMUP="${WARMUP}s"

case "$BENCH_DB" in
    sqlite) DBS=(sqlite) ;;
    postgres) DBS=(postgres) ;;
    both) DBS=(sqlite postgres) ;;
    *) echo "BENCH_DB must be sqlite, postgres or both (got '$BENCH_DB')" >&2; exit 2 ;;
esac

say() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/egov-bench.XXXXXX")"
SERVER_PID=""
PG_STARTED=0
RESULTS=()   # "db|endpoint|req/s|p50 ms|p99 ms|requests|errors"
PROFILES=()  # "db|endpoint|file" (BENCH_PROFILE=1)
PEAK_RSS=()  # "db|MB"

stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    local i
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do            # up to 10 s for a graceful shutdown
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            note "server $SERVER_PID did not stop, sending SIGKILL"
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

cleanup() {
    local rc=$?
    stop_server
    if [[ $PG_STARTED -eq 1 ]]; then
        bash "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" || note "warning: could not stop the PostgreSQL cluster"
    fi
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
        note "work dir kept: $WORK"
    else
        rm -rf -- "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Tools. apt-get update runs at most once, and only if something is missing.
APT_UPDATED=0
apt_install() {
    local sudo=()
    [[ $EUID -eq 0 ]] || sudo=(sudo)
    if [[ $APT_UPDATED -eq 0 ]]; then
        "${sudo[@]}" apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
if [[ " ${DBS[*]} " == *" postgres "* ]]; then
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    apt_install "${missing[@]}"
fi

# ---------------------------------------------------------------------------------------------
if [[ -n "${EGOV_BIN:-}" ]]; then
    BIN="$EGOV_BIN"
else
    if [[ $BUILD -eq 1 ]]; then
        say "building (swift build -c release --product egov)"
        t0=$SECONDS
        swift build -c release --product egov
        note "build took $((SECONDS - t0))s"
    fi
    BIN="$(swift build -c release --show-bin-path)/egov"
fi
[[ -x "$BIN" ]] || die "no executable at $BIN (build it, or drop --no-build)"
note "binary: $BIN"

# ---------------------------------------------------------------------------------------------
# wrk script: adds nothing to the requests; prints one machine-readable line when done.
# Latencies are in microseconds; errors = connect + read + write + timeout + non-2xx/3xx.
LUA="$WORK/report.lua"
cat >"$LUA" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d status=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout + e.status, e.status))
end
EOF

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

start_server() {   # $1 = db label, $2 = data dir; DATABASE_URL in the environment for PostgreSQL
    local db="$1" data="$2" log="$WORK/server-$1.log" i code
    [[ "$(http_code "$BASE/healthz")" == 000 ]] || die "something already answers on port $PORT (BENCH_PORT)"
    mkdir -p "$data"
    say "starting egov on $db (data dir $data, log $log)"
    LOG_LEVEL="$LOG_LEVEL" EGOV_AUTH_RATE_LIMIT=100000 "$BIN" serve --data-dir "$data" --port "$PORT" >"$log" 2>&1 </dev/null &
    SERVER_PID=$!
    note "server pid $SERVER_PID"
    for ((i = 0; i < 240; i++)); do               # up to 120 s: first start migrates and loads packs
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 40 "$log" >&2 || true
            SERVER_PID=""
            die "server exited during start-up"
        fi
        code="$(http_code "$BASE/healthz")"
        [[ "$code" == 200 ]] && { note "healthy after $((i / 2))s"; return 0; }
        sleep 0.5
    done
    tail -n 40 "$log" >&2 || true
    die "GET /healthz did not answer 200 within 120 s (last: $code)"
}

get_token() {   # $1 = data dir
    local file="$1/initial-admin.txt" user password body response token i
    for ((i = 0; i < 20; i++)); do             # written on first start; allow 10 s after /healthz
        [[ -s "$file" ]] && break
        sleep 0.5
    done
    [[ -s "$file" ]] || die "$file was not written"
    user="$(sed -n 's/^username:[[:space:]]*//p' "$file" | tr -d '\r' | head -n 1)"
    password="$(sed -n 's/^password:[[:space:]]*//p' "$file" | tr -d '\r' | head -n 1)"
    [[ -n "$password" ]] || die "no 'password:' line in $file"
    user="${user:-admin}"
    # JSON-escape backslashes and double quotes.
    user="${user//\\/\\\\}"; user="${user//\"/\\\"}"
    password="${password//\\/\\\\}"; password="${password//\"/\\\"}"
    body="$(printf '{"username":"%s","password":"%s"}' "$user" "$password")"
    response="$(curl -sS --fail-with-body --max-time 30 -X POST -H 'Content-Type: application/json' \
        --data-binary @- "$BASE/api/v1/auth/token" <<<"$body")" \
        || die "POST /api/v1/auth/token failed: $response"
    token="$(printf '%s' "$response" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')"
    [[ -n "$token" ]] || die "no access_token in the token response: $response"
    printf '%s\n' "$token"
}

us_to_ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

measure() {   # $1 = db, $2 = label, $3 = path, $4... = extra wrk/curl args (headers)
    local db="$1" label="$2" path="$3" out line code requests duration p50 p99 errors status rps
    shift 3
    code="$(http_code "$@" "$BASE$path")"
    [[ "$code" == 200 ]] || die "GET $path answers $code, not 200; refusing to benchmark an error page"
    if [[ "$WARMUP" != 0s ]]; then
        wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "$@" "$BASE$path" >/dev/null
    fi
    say "$db: GET $path for $DURATION ($THREADS threads, $CONNECTIONS connections)"
    out="$WORK/wrk-$db-$label.txt"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$LUA" "$@" "$BASE$path" >"$out"
    # perf slows the server down: the profile comes from a second run of the same load, not the measured one.
    local profiler seconds="${DURATION%s}"
    if [[ "${BENCH_PROFILE:-0}" == 1 && "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 3 ]]; then
        note "profiling GET $path (a second, unmeasured run with perf)"
        bash "$REPO_ROOT/bench/perf-top.sh" "$SERVER_PID" "$((seconds - 1))" >"$WORK/profile-$db-$label.md" &
        profiler=$!
        wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" "$@" "$BASE$path" >/dev/null
        if wait "$profiler"; then PROFILES+=("$db|GET $path|$WORK/profile-$db-$label.md"); else note "warning: the profile of $path failed"; fi
    fi
    grep -v '^BENCH_RESULT' "$out" | sed 's/^/   /' >&2
    line="$(grep '^BENCH_RESULT' "$out" | tail -n 1)"
    [[ -n "$line" ]] || die "could not parse wrk output ($out)"
    requests="$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<<"$line")"
    duration="$(sed -n 's/.* duration_us=\([0-9]*\).*/\1/p' <<<"$line")"
    p50="$(sed -n 's/.* p50_us=\([0-9]*\).*/\1/p' <<<"$line")"
    p99="$(sed -n 's/.* p99_us=\([0-9]*\).*/\1/p' <<<"$line")"
    errors="$(sed -n 's/.* errors=\([0-9]*\).*/\1/p' <<<"$line")"
    status="$(sed -n 's/.* status=\([0-9]*\).*/\1/p' <<<"$line")"
    rps="$(awk -v r="$requests" -v d="$duration" 'BEGIN { printf "%.0f", (d > 0 ? r * 1e6 / d : 0) }')"
    RESULTS+=("$db|GET $path|$rps|$(us_to_ms "$p50")|$(us_to_ms "$p99")|$requests|$errors")
    if [[ "$status" -gt 0 ]]; then note "warning: $status responses were not 2xx/3xx"; fi
}

run_db() {   # $1 = sqlite | postgres
    local db="$1" data="$WORK/data-$1" token
    if [[ "$db" == postgres ]]; then
        say "PostgreSQL: private cluster $PG_DIR on port $PG_PORT"
        PG_STARTED=1
        local admin_url
        admin_url="$(bash "$REPO_ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR" "$PG_PORT" | tail -n 1)"
        psql "$admin_url" -v ON_ERROR_STOP=1 -q \
            -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" \
            -c "CREATE DATABASE $PG_DB"
        PG_VERSION_LINE="$(psql "$admin_url" -Atqc 'show server_version')"
        export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
    else
        unset DATABASE_URL
    fi
    start_server "$db" "$data"
    token="$(get_token "$data")"
    note "got an access token (${#token} characters)"
    measure "$db" healthz /healthz
    measure "$db" units '/api/v1/units?limit=20' -H "Authorization: Bearer $token"
    measure "$db" login /login
    # The server's peak resident memory over its whole life, all measurements included (issue 15: < 200 MB).
    PEAK_RSS+=("$db|$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo '?')")
    stop_server
    unset DATABASE_URL
}

PG_VERSION_LINE=""
for db in "${DBS[@]}"; do
    run_db "$db"
done

# ---------------------------------------------------------------------------------------------
say "results"
{
    echo
    warm="after a $WARMUP warm-up"
    [[ "$WARMUP" != 0s ]] || warm="no warm-up"
    echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per endpoint ($warm), client and server on the same machine"
    echo
    printf '| %-8s | %-26s | %10s | %8s | %8s | %10s | %6s |\n' database endpoint 'req/s' 'p50 ms' 'p99 ms' requests errors
    printf '|%s|%s|%s|%s|%s|%s|%s|\n' ---------- ---------------------------- -----------: ---------: ---------: -----------: -------:
    for r in "${RESULTS[@]}"; do
        IFS='|' read -r db ep rps p50 p99 req err <<<"$r"
        printf '| %-8s | %-26s | %10s | %8s | %8s | %10s | %6s |\n' "$db" "$ep" "$rps" "$p50" "$p99" "$req" "$err"
    done
    echo
    for r in "${PEAK_RSS[@]}"; do
        IFS='|' read -r db mb <<<"$r"
        echo "- peak RSS of egov serve on $db (VmHWM, whole run): $mb MB"
    done
    for r in "${PROFILES[@]}"; do
        IFS='|' read -r db ep file <<<"$r"
        echo
        echo "Where the server's CPU went, $db, $ep (bench/perf-top.sh):"
        echo
        cat "$file"
    done
    echo
    echo "Machine:"
    echo
    echo "- cores (nproc): $(nproc)"
    echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "- CPU: $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)"
    echo "- OS: $(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null), kernel $(uname -r)"
    echo "- swift: $(swift --version 2>&1 | head -n 1)"
    echo "- wrk: $(wrk -v 2>&1 | head -n 1)"
    [[ -z "$PG_VERSION_LINE" ]] || echo "- PostgreSQL: $PG_VERSION_LINE (private cluster, fsync=off)"
    if commit="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null)"; then
        git -C "$REPO_ROOT" diff --quiet HEAD -- 2>/dev/null || commit="$commit + uncommitted changes"
    else
        commit=unknown
    fi
    echo "- commit: $commit"
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
}

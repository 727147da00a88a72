# Shared by the PostgreSQL benchmarks of official documents (bench/documents.sh, bench/issuance.sh): messages,
# the work directory and its cleanup, the tools they need, a private cluster, the server under test and the
# percentiles of pgbench's per-transaction log. Sourced, never run. The caller sets, before sourcing:
#   REPO_ROOT, NAME (work dir and log names), PG_DIR, PG_PORT, PG_DB, PORT; and may set BENCH_KEEP=1.

say() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" || true; }
now_ms() { date +%s%3N; }
# p50 and p99 (ms) of the latencies (µs) on stdin, one a line.
percentiles() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit } i50 = int(NR * 0.50); i99 = int(NR * 0.99);
    if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; printf "%.1f %.1f\n", v[i50] / 1000, v[i99] / 1000 }'; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/egov-bench-$NAME.XXXXXX")"
SERVER_PID=""
PG_STARTED=0
BASE="http://127.0.0.1:$PORT"

bench_cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ $PG_STARTED -eq 1 ]]; then
        bash "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" || note "warning: could not stop the PostgreSQL cluster"
        if [[ "${BENCH_KEEP:-0}" != 1 ]]; then
            rm -rf -- "$PG_DIR/data" "$PG_DIR/sock" "$PG_DIR/postgres.log" "$PG_DIR/initdb.log"
            rmdir -- "$PG_DIR" 2>/dev/null || true
        fi
    fi
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then note "work dir kept: $WORK"; else rm -rf -- "$WORK"; fi
    exit "$rc"
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Installs what is missing (tools given as Debian packages: `bench_install wrk`), finds pgbench, builds when asked
# (BUILD=1) and sets BIN to the egov binary.
bench_tools() {
    local missing=("$@")
    command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
    if [[ ${#missing[@]} -gt 0 ]]; then
        say "installing ${missing[*]}"
        local sudo=()
        [[ $EUID -eq 0 ]] || sudo=(sudo)
        "${sudo[@]}" apt-get update -qq
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    PGBENCH="$(command -v pgbench || printf '%s\n' /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n 1)"
    [[ -x "$PGBENCH" ]] || die "pgbench not found (it comes with postgresql-client)"
    if [[ "${BUILD:-0}" -eq 1 ]]; then
        say "building (swift build -c release --product egov)"
        swift build -c release --product egov
    fi
    BIN="${EGOV_BIN:-$REPO_ROOT/.build/release/egov}"
    [[ -x "$BIN" ]] || die "no executable at $BIN (set EGOV_BIN, or pass --build)"
    note "binary: $BIN"
}

# A fresh private cluster with an empty database $PG_DB; sets DB_URL.
bench_cluster() {
    bash "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
    rm -rf -- "$PG_DIR/data" "$PG_DIR/sock" "$PG_DIR/postgres.log" "$PG_DIR/initdb.log"
    PG_STARTED=1
    local admin
    admin="$(bash "$REPO_ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR" "$PG_PORT" | tail -n 1)"
    psql "$admin" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $PG_DB"
    DB_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
}

# Starts `egov serve` on DB_URL with the data directory $1 and the extra arguments after it; waits until ready.
bench_serve() {
    local data="$1"
    shift
    DATABASE_URL="$DB_URL" LOG_LEVEL=warning EGOV_BCRYPT_COST=4 EGOV_AUTH_RATE_LIMIT=100000 "$BIN" serve --data-dir "$data" --port "$PORT" "$@" \
        >"$WORK/server.log" 2>&1 </dev/null &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$WORK/server.log" >&2; SERVER_PID=""; die "the server exited during start-up"; }
        [[ "$(http_code "$BASE/readyz")" == 200 ]] && return 0
        sleep 0.5
    done
    die "GET /readyz did not answer 200 within 120 s"
}

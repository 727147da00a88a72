#!/usr/bin/env bash
# Issuance of official documents under concurrency (issue 14 §8), on PostgreSQL: outgoing documents of two
# issuing bodies, each waiting at its clerk's issuance step, issued through `POST /api/v1/documents/{id}/actions/issue`
# by several connections at once (number and notation from the register, the seal on the PDF and on the edXML
# message, delivery to the other body), beside pgbench running the same SQL (bench/issuance/issue.sql) with the
# same connections. Then checks that every register's numbers are 1…n, none given twice and none skipped.
#
#   bench/issuance.sh [--build]     --build: `swift build -c release --product egov` first
#
# Environment:
#   EGOV_BIN           the egov binary                                        (default .build/release/egov)
#   BENCH_ISSUES       documents prepared and issued per issuing body          (default 300)
#   BENCH_CONNECTIONS  concurrent connections, server and pgbench              (default 4)
#   BENCH_DURATION     pgbench seconds                                         (default 15)
#   BENCH_PORT         port of the server under test                           (default 8092)
#   BENCH_PG_DIR       private PostgreSQL cluster, recreated on every run      (default /tmp/egov-bench-issuance-pg)
#   BENCH_PG_PORT      its port                                                (default 55436)
#   BENCH_KEEP=1       keep the work dir and the cluster's files
#
# Progress goes to stderr; the results (Markdown) to stdout.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cd "$(dirname "$SELF")/.."
REPO_ROOT="$PWD"
HERE="$REPO_ROOT/bench/issuance"

BUILD=0
for arg in "$@"; do
    case "$arg" in
        --build) BUILD=1 ;;
        -h | --help) sed -n '2,19p' "$SELF" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

ISSUES="${BENCH_ISSUES:-300}"
CONNECTIONS="${BENCH_CONNECTIONS:-4}"
DURATION_S="${BENCH_DURATION:-15}"
PORT="${BENCH_PORT:-8092}"
PG_DIR="${BENCH_PG_DIR:-/tmp/egov-bench-issuance-pg}"
PG_PORT="${BENCH_PG_PORT:-55436}"
PG_DB=egov_issuance
BASE="http://127.0.0.1:$PORT"
[[ "$ISSUES" =~ ^[0-9]+$ && "$ISSUES" -gt 0 && "$ISSUES" -le 100000 ]] || { echo "BENCH_ISSUES must be 1…100000" >&2; exit 2; }
[[ "$CONNECTIONS" =~ ^[0-9]+$ && "$CONNECTIONS" -ge 1 && "$CONNECTIONS" -le 64 ]] || { echo "BENCH_CONNECTIONS must be 1…64" >&2; exit 2; }
[[ "$DURATION_S" =~ ^[0-9]+$ && "$DURATION_S" -gt 0 ]] || { echo "BENCH_DURATION must be whole seconds" >&2; exit 2; }

say() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/egov-bench-issuance.XXXXXX")"
SERVER_PID=""
PG_STARTED=0

cleanup() {
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
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    sudo=()
    [[ $EUID -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
PGBENCH="$(command -v pgbench || printf '%s\n' /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n 1)"
[[ -x "$PGBENCH" ]] || die "pgbench not found (it comes with postgresql-client)"
if [[ $BUILD -eq 1 ]]; then
    say "building (swift build -c release --product egov)"
    swift build -c release --product egov
fi
BIN="${EGOV_BIN:-$REPO_ROOT/.build/release/egov}"
[[ -x "$BIN" ]] || die "no executable at $BIN (set EGOV_BIN, or pass --build)"
note "binary: $BIN"

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" || true; }
percentiles() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit } i50 = int(NR * 0.50); i99 = int(NR * 0.99);
    if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; printf "%.1f %.1f\n", v[i50] / 1000, v[i99] / 1000 }'; }

bash "$REPO_ROOT/scripts/pg-test-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
rm -rf -- "$PG_DIR/data" "$PG_DIR/sock" "$PG_DIR/postgres.log" "$PG_DIR/initdb.log"
PG_STARTED=1
ADMIN_URL="$(bash "$REPO_ROOT/scripts/pg-test-cluster.sh" start "$PG_DIR" "$PG_PORT" | tail -n 1)"
psql "$ADMIN_URL" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $PG_DB"
DB_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
DATA="$WORK/data"

say "starting egov serve on port $PORT (the demo pack)"
DATABASE_URL="$DB_URL" LOG_LEVEL=warning EGOV_BCRYPT_COST=4 EGOV_AUTH_RATE_LIMIT=100000 "$BIN" serve --data-dir "$DATA" --port "$PORT" \
    --pack "$REPO_ROOT/packs/demo" >"$WORK/server.log" 2>&1 </dev/null &
SERVER_PID=$!
for _ in $(seq 1 240); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$WORK/server.log" >&2; SERVER_PID=""; die "the server exited during start-up"; }
    [[ "$(http_code "$BASE/readyz")" == 200 ]] && break
    sleep 0.5
done
[[ "$(http_code "$BASE/readyz")" == 200 ]] || die "GET /readyz did not answer 200 within 120 s"

say "preparing $ISSUES documents per issuing body at the issuance step (drafted, reviewed, approved and signed by the leader)"
python3 "$HERE/drive.py" prepare "$BASE" "$DATA/demo-users.txt" "$ISSUES" "$WORK/ids.txt" || die "preparing the documents failed"

say "issuing them: $CONNECTIONS connections"
RESULT="$(python3 "$HERE/drive.py" issue "$BASE" "$DATA/demo-users.txt" "$WORK/ids.txt" "$CONNECTIONS")" || die "issuing failed"
note "$RESULT"
field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$RESULT" "$1"; }
S_RATE="$(field rate)"; S_P50="$(field p50)"; S_P99="$(field p99)"; S_FAILED="$(field failed)"; S_ISSUED="$(field issued)"

say "checking the registers: numbers 1…n, none twice, none skipped"
REGISTERS="$(psql "$DB_URL" -AtqF ' ' -c "SELECT issuer_code, count(*), count(DISTINCT number), min(number), max(number) FROM doc_documents
    WHERE direction = 'outgoing' AND number IS NOT NULL GROUP BY issuer_code, register_year ORDER BY issuer_code")"
GAPLESS=yes
while read -r issuer count distinct low high; do
    note "$issuer: $count issued, numbers $low…$high, $distinct distinct"
    [[ "$count" == "$distinct" && "$low" == 1 && "$high" == "$count" ]] || GAPLESS=no
done <<<"$REGISTERS"

say "pgbench: the same SQL (bench/issuance/issue.sql), $CONNECTIONS connections, ${DURATION_S} s"
psql "$DB_URL" -v ON_ERROR_STOP=1 -q -c "CREATE TABLE bench_docs AS SELECT row_number() OVER () AS n, id,
    'documents.outgoing:' || issuer_code || ':' || register_year AS scope FROM doc_documents WHERE direction = 'outgoing' AND number IS NOT NULL"
NDOCS="$(psql "$DB_URL" -Atqc 'SELECT count(*) FROM bench_docs')"
USER_ID="$(psql "$DB_URL" -Atqc "SELECT id FROM core_users WHERE username = 'vanthu.snv'")"
UNIT_ID="$(psql "$DB_URL" -Atqc "SELECT unit_id FROM core_user_positions WHERE user_id = '$USER_ID' LIMIT 1")"
CERT_ID="$(psql "$DB_URL" -Atqc "SELECT c.id FROM core_pki_certificates c JOIN core_units u ON u.id = c.unit_id WHERE u.code = '000.00.01.H99' AND c.status = 'valid' LIMIT 1")"
(cd "$WORK" && "$PGBENCH" -n -M extended -c "$CONNECTIONS" -j "$(( CONNECTIONS < 2 ? 1 : 2 ))" -T "$DURATION_S" --log --log-prefix=pgbench \
    -D ndocs="$NDOCS" -D user="$USER_ID" -D unit_id="$UNIT_ID" -D cert="$CERT_ID" -f "$HERE/issue.sql" "$DB_URL") \
    >"$WORK/pgbench.txt" 2>&1 || die "pgbench failed: $(tail -n 20 "$WORK/pgbench.txt")"
grep -E '^(tps|latency average|number of transactions actually processed)' "$WORK/pgbench.txt" >&2 || true
P_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/pgbench.txt" | tail -n 1)"
read -r P_P50 P_P99 < <(cat "$WORK"/pgbench.* 2>/dev/null | awk 'NF >= 3 { print $3 }' | percentiles)
RATIO="$(awk -v s="$S_RATE" -v p="$P_TPS" 'BEGIN { if (p > 0) printf "%.0f %%", s * 100 / p; else print "-" }')"

cat <<MD
### Official documents: issuance under concurrency (PostgreSQL)

| | issued/s | p50 ms | p99 ms | failed |
|---|---:|---:|---:|---:|
| \`POST …/actions/issue\` (egov serve, $CONNECTIONS connections, $S_ISSUED documents of 2 issuing bodies) | $S_RATE | $S_P50 | $S_P99 | $S_FAILED |
| the same SQL (pgbench -M extended, $CONNECTIONS connections, ${DURATION_S} s) | $(printf '%.0f' "${P_TPS:-0}") | $P_P50 | $P_P99 | |

- server / pgbench: **$RATIO** (the server also opens the seal's key from its PIN — PBKDF2-SHA256, 210,000 rounds — and makes three RSA signatures per document: the PAdES seal, its time-stamp and the edXML message; pgbench does none of that)
- every register numbered 1…n with none given twice or skipped: **$GAPLESS**
- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(psql "$DB_URL" -Atqc 'show server_version' | cut -d' ' -f1) PostgreSQL, commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d)
MD
[[ "$GAPLESS" == yes && "$S_FAILED" == 0 ]] || exit 1

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
[[ "$ISSUES" =~ ^[0-9]+$ && "$ISSUES" -gt 0 && "$ISSUES" -le 100000 ]] || { echo "BENCH_ISSUES must be 1…100000" >&2; exit 2; }
[[ "$CONNECTIONS" =~ ^[0-9]+$ && "$CONNECTIONS" -ge 1 && "$CONNECTIONS" -le 64 ]] || { echo "BENCH_CONNECTIONS must be 1…64" >&2; exit 2; }
[[ "$DURATION_S" =~ ^[0-9]+$ && "$DURATION_S" -gt 0 ]] || { echo "BENCH_DURATION must be whole seconds" >&2; exit 2; }

NAME=issuance
# shellcheck source=bench/pg-bench-lib.sh
source "$REPO_ROOT/bench/pg-bench-lib.sh"
bench_tools $(command -v python3 >/dev/null 2>&1 || echo python3)
bench_cluster
DATA="$WORK/data"

say "starting egov serve on port $PORT (the demo pack)"
bench_serve "$DATA" --pack "$REPO_ROOT/packs/demo"

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

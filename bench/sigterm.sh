#!/usr/bin/env bash
# SIGTERM under load: concurrent online submissions while `egov serve` is told to stop.
#
#   bench/sigterm.sh BINARY        e.g. bench/sigterm.sh .build/debug/egov
#
# Starts BINARY on a fresh data directory and a free loopback port (SQLite; PostgreSQL when
# DATABASE_URL is set: then the server uses that database, which should be empty or a test one),
# registers a few citizens, keeps 8 clients submitting `POST /api/v1/dossiers` for a few seconds and
# sends SIGTERM while requests are in flight. Checks that the process exits on its own within 10 s
# with status 0 and no crash in its output, that no 5xx was answered before the signal, that a
# restart on the same port binds at once, and that every dossier answered 201 is readable by its
# citizen after the restart. Prints one line per check and "N passed, M failed"; exits 1 on any
# failure. Bounded: at most EGOV_SIGTERM_MAX_REQUESTS requests, well under a minute in all.
#
# Knobs: EGOV_SIGTERM_CLIENTS (8), EGOV_SIGTERM_CITIZENS (4), EGOV_SIGTERM_LOAD (seconds of load
# before the signal, 4), EGOV_SIGTERM_EXIT_TIMEOUT (10), EGOV_SIGTERM_MAX_REQUESTS (3000),
# EGOV_SIGTERM_PORT, EGOV_SIGTERM_KEEP=1 (keep server logs), EGOV_SIGTERM_ROUNDS (1: repeat the
# whole test, each on a fresh data directory, e.g. 5 to catch a rare race).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -eq 1 && "$1" != -h && "$1" != --help ]] || { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
[[ -x "$1" ]] || { echo "error: $1 is not an executable" >&2; exit 2; }
command -v python3 >/dev/null || { echo "error: python3 is needed" >&2; exit 2; }

ROUNDS="${EGOV_SIGTERM_ROUNDS:-1}"
rc=0
for ((round = 1; round <= ROUNDS; round++)); do
    [[ $ROUNDS -gt 1 ]] && printf '== round %s of %s\n' "$round" "$ROUNDS" >&2
    python3 "$HERE/sigterm.py" "$1" || rc=1
done
exit "$rc"

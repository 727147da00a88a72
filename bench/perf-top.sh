#!/usr/bin/env bash
# Where a running server's CPU goes (issue 15): samples a process with `perf record` (software clock, call
# graphs) for a while, then prints the functions with the largest share of the samples, callees included
# (`--children`), demangled, as a Markdown table. Hardware counters are not needed (they are missing on
# some virtual machines): `-e cpu-clock` works wherever perf does.
#
#   bench/perf-top.sh PID SECONDS [ROWS] > top.md
#   bench/perf-top.sh --report perf.data [ROWS] > top.md    (the same table from samples recorded before)
#
# Environment: PERF_DATA (where the samples go; default a temporary file, deleted), PERF_FREQ (samples per
# second, default 499), PERF_MATCH (an extended regex the listed functions must match; default the ones that
# say what the server does: its modules, Fluent, SQLKit, PostgresNIO, SQLiteNIO, Vapor, JWT, JSON, reflection).
# Needs linux-perf (Debian `linux-perf`) and `kernel.perf_event_paranoid` <= 2 for a process of one's own.
set -euo pipefail

USAGE="usage: bench/perf-top.sh PID SECONDS [ROWS] | --report perf.data [ROWS]"
command -v perf >/dev/null 2>&1 || { echo "perf is not installed (Debian: linux-perf)" >&2; exit 1; }
FREQ="${PERF_FREQ:-499}"
REPORT_ONLY=0
if [[ "${1:-}" == --report ]]; then
    REPORT_ONLY=1
    PERF_DATA="${2:?$USAGE}"
    [[ -r "$PERF_DATA" ]] || { echo "cannot read $PERF_DATA" >&2; exit 2; }
    PID=recorded SECONDS_=? ROWS="${3:-25}"
else
    PID="${1:?$USAGE}" SECONDS_="${2:?$USAGE}" ROWS="${3:-25}"
    [[ "$PID" =~ ^[0-9]+$ && "$SECONDS_" =~ ^[0-9]+$ ]] || { echo "$USAGE" >&2; exit 2; }
fi
[[ "$ROWS" =~ ^[0-9]+$ ]] || { echo "$USAGE" >&2; exit 2; }
MATCH="${PERF_MATCH:-EGov|PublicServices|Documents|Fluent|Fields\.|SQL|Postgres|SQLite|Vapor|JWT|JSON|Encoder|Decoder|reflection|Mirror|Principal|Bearer|Session|Responder|Middleware|swift_getTypeByMangledName|swift_conformsToProtocol|malloc|free}"
DATA="${PERF_DATA:-}"
CLEAN=0
if [[ -z "$DATA" ]]; then DATA="$(mktemp "${TMPDIR:-/tmp}/perf-top.XXXXXX")"; CLEAN=1; fi
trap '[[ $CLEAN -eq 1 ]] && rm -f "$DATA"' EXIT

if [[ $REPORT_ONLY -eq 0 ]]; then
    perf record -q -e cpu-clock -F "$FREQ" -g -p "$PID" -o "$DATA" -- sleep "$SECONDS_" >/dev/null 2>&1 \
        || { echo "perf record failed (is $PID running, and perf_event_paranoid <= 2?)" >&2; exit 1; }
fi
SAMPLES="$(perf report -i "$DATA" --stdio --sort comm 2>/dev/null | sed -n 's/^# Samples: \([0-9.]*[KM]\{0,1\}\).*/\1/p' | head -n 1)"
demangle() { if command -v swift >/dev/null 2>&1; then swift demangle --simplified; else cat; fi; }
echo "| share of samples (with callees) | self | function |"
echo "|---:|---:|---|"
perf report -i "$DATA" --children --sort symbol --stdio -g none 2>/dev/null \
    | grep -E '^ +[0-9.]+% +[0-9.]+%' | demangle \
    | awk -v match_="$MATCH" -v rows="$ROWS" '
        {
            children = $1; self = $2
            $1 = ""; $2 = ""; $3 = ""
            sub(/^ +/, ""); sub(/( +-)+ *$/, "")
            name = $0
            gsub(/\|/, "\\|", name)
            if (length(name) > 140) name = substr(name, 1, 137) "..."
            if (!done_ && name ~ match_ && !(name in seen)) {
                seen[name] = 1
                printf "| %s | %s | `%s` |\n", children, self, name
                if (++n >= rows) done_ = 1
            }
        }'
echo
if [[ $REPORT_ONLY -eq 1 ]]; then
    echo "${SAMPLES:-?} samples from $DATA."
else
    echo "${SAMPLES:-?} samples of pid $PID over ${SECONDS_} s at ${FREQ} Hz (perf record -e cpu-clock -g)."
fi

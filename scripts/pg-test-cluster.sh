#!/usr/bin/env bash
# Private, throw-away PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg-test-cluster.sh start DIR PORT   create (if absent) and start; prints the URL last on stdout
#   scripts/pg-test-cluster.sh stop  DIR        stop it (by the postmaster PID), wait until it is gone
#   scripts/pg-test-cluster.sh status DIR       exit 0 and print the URL if it is running, exit 1 if not
#
# Only the URL (postgres://postgres@127.0.0.1:PORT/postgres) goes to stdout, everything else to
# stderr, so `url=$(scripts/pg-test-cluster.sh start DIR PORT)` captures exactly the URL.
# The cluster trusts every local connection (-A trust), listens on 127.0.0.1 only, and runs with
# fsync/synchronous_commit/full_page_writes off: never point it at data you care about.
#
# Works on a fresh Debian 12 after `apt-get install -y postgresql`, where initdb and pg_ctl are not
# on PATH: the newest /usr/lib/postgresql/*/bin is used (override with PG_BINDIR=...).
# Run as root, the server runs as the `postgres` OS user (DIR is chowned to it); run as any other
# user, it runs as that user.
set -euo pipefail

log() { printf 'pg-test-cluster: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/pg_ctl" ]] || die "PG_BINDIR=$PG_BINDIR has no pg_ctl"
        printf '%s\n' "$PG_BINDIR"
        return
    fi
    local d newest=""
    # Newest major version: sort -V on the paths (/usr/lib/postgresql/9.6 < 15 < 16).
    while IFS= read -r d; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && newest="$d"
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    if [[ -z "$newest" ]] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        newest="$(dirname "$(command -v pg_ctl)")"
    fi
    [[ -n "$newest" ]] || die "no PostgreSQL server binaries found (apt-get install -y postgresql)"
    printf '%s\n' "$newest"
}

# Run a command as the cluster owner, from a directory that owner can read.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

url_for() { printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$1"; }

# PID of the running postmaster of DIR, or nothing. Checks the PID is alive and is a postgres.
running_pid() {
    local pidfile="$1/data/postmaster.pid" pid comm
    [[ -r "$pidfile" ]] || return 0
    pid="$(head -n 1 "$pidfile" | tr -dc '0-9')"
    [[ -n "$pid" ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    # Guard against a stale file whose PID was reused by something else.
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    if [[ -n "$comm" && "$comm" != postgres* && "$comm" != postmaster* ]]; then
        return 0
    fi
    printf '%s\n' "$pid"
}

# Port recorded in postmaster.pid (line 4).
running_port() { sed -n '4p' "$1/data/postmaster.pid" 2>/dev/null | tr -dc '0-9'; }

abs_dir() {
    local d="$1"
    [[ "$d" == /* ]] || d="$PWD/$d"
    # Normalise without requiring the path to exist.
    realpath -m -- "$d"
}

cmd_start() {
    local dir port bindir pid locale_opt owner
    dir="$(abs_dir "$1")"
    port="$2"
    if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1 || port > 65535 )); then
        die "bad port: $port"
    fi
    [[ "$dir" != *[[:space:]]* ]] || die "DIR must not contain whitespace: $dir"
    # Unix socket paths are limited to 107 bytes: DIR + "/sock/.s.PGSQL." (15) + PORT must fit.
    (( ${#dir} + 15 + ${#port} <= 107 )) || die "DIR is too long for a Unix socket path: $dir"

    pid="$(running_pid "$dir")"
    if [[ -n "$pid" ]]; then
        local rport
        rport="$(running_port "$dir")"
        if [[ -n "$rport" && "$rport" != "$port" ]]; then
            log "already running (pid $pid) on port $rport, not $port"
            port="$rport"
        else
            log "already running (pid $pid)"
        fi
        url_for "$port"
        return 0
    fi

    bindir="$(find_bindir)"
    owner="$(id -un)"
    mkdir -p "$dir/sock"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "OS user 'postgres' does not exist (apt-get install -y postgresql)"
        owner=postgres
        chown postgres: "$dir" "$dir/sock"
        [[ ! -e "$dir/data" ]] || chown -R postgres: "$dir/data"
        [[ ! -e "$dir/postgres.log" ]] || chown postgres: "$dir/postgres.log"
        as_owner test -w "$dir" \
            || die "user postgres cannot write $dir (is a parent directory closed to it? use a dir under /tmp)"
    fi
    chmod 700 "$dir/sock"

    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        if [[ -d "$dir/data" && -n "$(ls -A "$dir/data")" ]]; then
            die "$dir/data exists, is not empty and holds no cluster; remove it first"
        fi
        if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then
            locale_opt=(--locale=C.UTF-8)
        else
            locale_opt=(--no-locale)
        fi
        log "initdb ($bindir) into $dir/data as $owner, ${locale_opt[*]}"
        as_owner "$bindir/initdb" -D "$dir/data" -A trust -U postgres --encoding=UTF8 "${locale_opt[@]}" \
            >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi

    log "starting on 127.0.0.1:$port (log: $dir/postgres.log)"
    # -l is essential: without it the server inherits our stdout, and $(...) callers would hang.
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 120 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >&2 </dev/null; then
        tail -n 30 "$dir/postgres.log" >&2 2>/dev/null || true
        die "pg_ctl start failed"
    fi
    pid="$(running_pid "$dir")"
    [[ -n "$pid" ]] || { tail -n 30 "$dir/postgres.log" >&2 || true; die "server is not running after start"; }
    log "running (pid $pid)"
    url_for "$port"
}

cmd_stop() {
    local dir pid i
    dir="$(abs_dir "$1")"
    pid="$(running_pid "$dir")"
    if [[ -z "$pid" ]]; then
        log "not running ($dir)"
        return 0
    fi
    log "stopping postmaster pid $pid"
    # SIGINT = "fast" shutdown: abort transactions, disconnect clients, shut down cleanly.
    kill -INT "$pid" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do           # up to 60 s
        kill -0 "$pid" 2>/dev/null || { log "stopped"; return 0; }
        sleep 0.1
    done
    log "still running after 60 s, sending SIGQUIT (immediate shutdown)"
    kill -QUIT "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do           # up to 10 s
        kill -0 "$pid" 2>/dev/null || { log "stopped"; return 0; }
        sleep 0.1
    done
    log "still running, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || { log "killed"; return 0; }
        sleep 0.1
    done
    die "could not stop pid $pid"
}

cmd_status() {
    local dir pid
    dir="$(abs_dir "$1")"
    pid="$(running_pid "$dir")"
    if [[ -n "$pid" ]]; then
        log "running (pid $pid)"
        url_for "$(running_port "$dir")"
    else
        log "not running ($dir)"
        return 1
    fi
}

main() {
    [[ $# -ge 1 ]] || usage
    case "$1" in
        start) [[ $# -eq 3 ]] || usage; cmd_start "$2" "$3" ;;
        stop) [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
        status) [[ $# -eq 2 ]] || usage; cmd_status "$2" ;;
        -h | --help | help) usage ;;
        *) usage ;;
    esac
}

main "$@"

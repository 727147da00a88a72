#!/usr/bin/env bash
# A real SMTP server for the test suite: aiosmtpd (PyPI) on loopback, keeping every message in a maildir.
#
#   scripts/smtp-sink.sh start DIR PORT   # prints the two variables the tests read
#   scripts/smtp-sink.sh stop DIR
#
# The tests use it when EGOV_TEST_SMTP_PORT and EGOV_TEST_SMTP_MAILDIR are set (`.ci/run` does this).
set -euo pipefail

command="${1:-}"
dir="${2:-}"
[[ -n "$command" && -n "$dir" ]] || { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }

case "$command" in
    start)
        port="${3:?port}"
        python3 -c 'import aiosmtpd' 2>/dev/null || { echo "aiosmtpd is not installed (python3 -m pip install aiosmtpd)" >&2; exit 1; }
        mkdir -p "$dir"
        nohup python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" \
            >"$dir/aiosmtpd.log" 2>&1 </dev/null &
        echo $! >"$dir/aiosmtpd.pid"
        for _ in $(seq 1 100); do
            if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then
                echo "EGOV_TEST_SMTP_PORT=$port"
                echo "EGOV_TEST_SMTP_MAILDIR=$dir/maildir"
                exit 0
            fi
            sleep 0.1
        done
        echo "aiosmtpd did not start; see $dir/aiosmtpd.log" >&2
        exit 1
        ;;
    stop)
        if [[ -f "$dir/aiosmtpd.pid" ]]; then
            kill "$(cat "$dir/aiosmtpd.pid")" 2>/dev/null || true
            rm -f "$dir/aiosmtpd.pid"
        fi
        ;;
    *)
        echo "usage: $0 start DIR PORT | stop DIR" >&2
        exit 2
        ;;
esac

#!/usr/bin/env python3
"""SIGTERM under load: online submissions keep going while `egov serve` is told to stop.

    python3 bench/sigterm.py BINARY      (bench/sigterm.sh is the usual entry point)

1. starts BINARY on a fresh data dir and a free loopback port (SQLite; PostgreSQL when DATABASE_URL
   is set), registers several citizens and takes a token for each;
2. keeps CLIENTS concurrent clients submitting `POST /api/v1/dossiers` (procedure 1.004837, online,
   no fee, the form plus one small PDF) for LOAD seconds, then sends SIGTERM while requests are in
   flight; the clients go on until the server is gone (bounded) and every answer is recorded;
3. checks: the process exits on its own within 10 s, with status 0, no signal and no "Fatal error" in
   its output; the same port binds again at once (a restart on it answers /healthz); after the
   restart every dossier answered 201 is readable by its citizen (GET /api/v1/dossiers/{code} -> 200
   with that code); no 5xx was answered before the SIGTERM.
Prints one line per check and "N passed, M failed"; exits 1 on any failure.

Environment: EGOV_SIGTERM_CLIENTS (8), EGOV_SIGTERM_CITIZENS (4), EGOV_SIGTERM_LOAD (4 s of load
before the signal), EGOV_SIGTERM_EXIT_TIMEOUT (10 s), EGOV_SIGTERM_MAX_REQUESTS (3000, a bound on the
whole run), EGOV_SIGTERM_PORT (a free one), EGOV_SIGTERM_KEEP=1 (keep the work dir), DATABASE_URL.
"""

import base64
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CLIENTS = int(os.environ.get("EGOV_SIGTERM_CLIENTS", "8"))
CITIZENS = int(os.environ.get("EGOV_SIGTERM_CITIZENS", "4"))
LOAD_SECONDS = float(os.environ.get("EGOV_SIGTERM_LOAD", "4"))
EXIT_TIMEOUT = float(os.environ.get("EGOV_SIGTERM_EXIT_TIMEOUT", "10"))
MAX_REQUESTS = int(os.environ.get("EGOV_SIGTERM_MAX_REQUESTS", "3000"))
KEEP = os.environ.get("EGOV_SIGTERM_KEEP") == "1"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROCEDURE, UNIT = "1.004837", "000.00.31.H99"   # Đăng ký giám hộ: commune level, full online, no fee
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CRASH_MARKERS = ("Fatal error", "Swift runtime failure", "*** Signal", "crashed:", "Illegal instruction", "Trace/breakpoint trap",
                 "Segmentation fault")


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, data_dir, port, work):
        self.binary, self.data_dir, self.port, self.work = binary, data_dir, port, work
        self.proc, self.log_path, self.count = None, None, 0

    def start(self, wait=60.0):
        """Starts the server; returns seconds until /healthz answered, or None (and the process is stopped)."""
        self.count += 1
        self.log_path = os.path.join(self.work, f"server-{self.count}.log")
        env = dict(os.environ, EGOV_BCRYPT_COST="4", EGOV_PAYMENT_SANDBOX="1", LOG_LEVEL=os.environ.get("LOG_LEVEL", "warning"))
        if not DATABASE_URL:
            env.pop("DATABASE_URL", None)
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--data-dir", self.data_dir, "--host", "127.0.0.1", "--port", str(self.port),
                 "--pack", os.path.join(REPO_ROOT, "packs", "demo")],
                cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        t0 = time.monotonic()
        while time.monotonic() - t0 < wait:
            if self.proc.poll() is not None:
                return None
            try:
                status, _ = request(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return time.monotonic() - t0
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        return None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def retry_after(answer):
    """Seconds to wait after a 429 (the problem's retryAfter when given), bounded."""
    seconds = answer.get("retryAfter") if isinstance(answer, dict) else None
    return min(float(seconds), 30.0) if isinstance(seconds, (int, float)) and seconds > 0 else 3.0


def request(port, method, path, body=None, token=None, timeout=15.0, conn=None):
    """One HTTP request; returns (status, decoded JSON or text). Raises OSError/HTTPException on network errors."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        if own:
            conn.close()
    try:
        return response.status, json.loads(raw)
    except ValueError:
        return response.status, raw.decode("utf-8", "replace")


def id_number():
    # Province 001, century/sex digit 0 or 1 (born in the 1900s), birth year 70–99, 6 random digits.
    return "001" + random.choice("01") + str(random.randint(70, 99)) + "%06d" % random.randint(0, 999999)


def register_citizen(port, index):
    for _ in range(20):
        number, password = id_number(), "Thu%06dx" % random.randint(0, 999999)
        body = {"fullName": f"Công Dân Thử {index}", "idNumber": number, "phone": "09%08d" % random.randint(0, 99999999),
                "email": f"sigterm-{number}@example.com", "password": password}
        status, answer = request(port, "POST", "/api/v1/citizens", body)
        if status == 429:
            time.sleep(retry_after(answer))
            continue
        if status == 409:
            continue
        if status != 201:
            raise SystemExit(f"POST /api/v1/citizens answered {status}: {str(answer)[:300]}")
        return number, password
    raise SystemExit("could not register a citizen (429/409 twenty times)")


def login(port, username, password):
    for _ in range(20):
        status, answer = request(port, "POST", "/api/v1/auth/token", {"username": username, "password": password})
        if status == 429:
            time.sleep(retry_after(answer))
            continue
        if status != 200:
            raise SystemExit(f"POST /api/v1/auth/token answered {status}: {str(answer)[:300]}")
        return answer["access_token"]
    raise SystemExit("could not log in (429 twenty times)")


def submission(n):
    return {"procedureCode": PROCEDURE, "unitCode": UNIT,
            "form": {"noiDung": f"Đăng ký giám hộ, thử tắt máy chủ #{n}"},
            "attachments": [{"componentId": "van-ban-cu-giam-ho", "fileName": f"cu-giam-ho-{n}.pdf",
                             "contentType": "application/pdf", "contentBase64": base64.b64encode(PDF).decode()}]}


class Load:
    """CLIENTS threads submitting until told to stop; every outcome recorded."""

    def __init__(self, port, citizens):
        self.port, self.citizens = port, citizens
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.results = []          # dicts: client, citizen, sent, done, status, code, error
        self.sigterm_at = None
        self.sent = 0

    def client(self, index):
        citizen = index % len(self.citizens)
        token = self.citizens[citizen]["token"]
        conn = None
        while not self.stop.is_set():
            with self.lock:
                if self.sent >= MAX_REQUESTS:
                    return
                self.sent += 1
                n = self.sent
            sent = time.monotonic()
            result = {"client": index, "citizen": citizen, "sent": sent, "status": None, "code": None, "error": None}
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                status, answer = request(self.port, "POST", "/api/v1/dossiers", submission(n), token=token, conn=conn)
                result["status"] = status
                if status == 201 and isinstance(answer, dict):
                    result["code"] = answer.get("code")
                elif status != 201:
                    result["error"] = (answer.get("detail") or answer.get("title")) if isinstance(answer, dict) else str(answer)[:200]
            except (OSError, http.client.HTTPException) as error:
                result["error"] = f"{type(error).__name__}: {error}"
                if conn is not None:
                    conn.close()
                conn = None
                if self.sigterm_at is not None:
                    time.sleep(0.05)   # the server is going away: do not spin on refused connections
            result["done"] = time.monotonic()
            with self.lock:
                self.results.append(result)
        if conn is not None:
            conn.close()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if not os.access(binary, os.X_OK):
        log(f"error: {sys.argv[1]} is not an executable")
        return 2
    work = tempfile.mkdtemp(prefix="egov-sigterm.")
    port = int(os.environ.get("EGOV_SIGTERM_PORT") or free_port())
    server = Server(binary, os.path.join(work, "data"), port, work)
    checks = []   # (name, ok, detail)

    def check(name, ok, detail=""):
        checks.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}", flush=True)

    t_start = time.monotonic()
    try:
        log(f"== starting {binary} on 127.0.0.1:{port} ({'PostgreSQL' if DATABASE_URL else 'SQLite'}, {work})")
        if server.start() is None:
            log(server.output()[-3000:])
            log("error: the server did not start")
            return 1

        citizens = []
        for i in range(CITIZENS):
            number, password = register_citizen(port, i)
            citizens.append({"number": number, "password": password, "token": login(port, number, password)})
        status, answer = request(port, "POST", "/api/v1/dossiers", submission(0), token=citizens[0]["token"])
        if status != 201:
            log(f"error: a trial submission answered {status}: {str(answer)[:500]}")
            return 1
        trial_code = answer["code"]
        log(f"== {CITIZENS} citizens, trial dossier {trial_code}; {CLIENTS} clients for {LOAD_SECONDS:g} s, then SIGTERM")

        load = Load(port, citizens)
        threads = [threading.Thread(target=load.client, args=(i,), daemon=True) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(LOAD_SECONDS)
        with load.lock:
            before = len(load.results)
        in_flight = load.sent - before - 0   # requests sent but not answered at the moment of the signal
        load.sigterm_at = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        log(f"== SIGTERM after {before} answered requests, {in_flight} in flight")

        # Clients go on while the server shuts down; the process must end within EXIT_TIMEOUT.
        exit_status = None
        try:
            exit_status = server.proc.wait(EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        exit_seconds = time.monotonic() - load.sigterm_at
        time.sleep(0.3)
        load.stop.set()
        for thread in threads:
            thread.join(35)
        late_status = None
        if exit_status is None:
            # Failed already; wait a little more to tell a hang from a crash still writing its backtrace.
            try:
                late_status = server.proc.wait(20)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()

        output = server.output()
        crash = [line for line in output.splitlines() if any(marker in line for marker in CRASH_MARKERS)]
        results = sorted(load.results, key=lambda r: r["sent"])
        created = [r for r in results if r["status"] == 201]
        pre = [r for r in results if r["done"] < load.sigterm_at]
        post = [r for r in results if r["done"] >= load.sigterm_at]
        histogram = {}
        for r in results:
            key = str(r["status"]) if r["status"] is not None else "no answer"
            histogram[key] = histogram.get(key, 0) + 1
        log(f"== {len(results)} requests: " + ", ".join(f"{k}: {v}" for k, v in sorted(histogram.items()))
            + f"; after SIGTERM: {len(post)} ({sum(1 for r in post if r['status'] == 201)} answered 201)")
        for r in post[:12]:
            log(f"   after SIGTERM +{r['done'] - load.sigterm_at:6.3f}s  client {r['client']}: "
                f"{r['status'] if r['status'] is not None else '-'} {r['code'] or r['error'] or ''}"[:200])

        if exit_status is None:
            late = ("killed after 20 s more" if late_status is None else
                    f"then ended with {'signal ' + str(-late_status) if late_status < 0 else 'status ' + str(late_status)}"
                    f" after {time.monotonic() - load.sigterm_at:.1f} s")
            check("server exits on its own after SIGTERM", False, f"still running after {EXIT_TIMEOUT:g} s; {late}")
        else:
            how = f"signal {-exit_status}" if exit_status < 0 else f"status {exit_status}"
            check("server exits on its own after SIGTERM", exit_status == 0, f"{how} after {exit_seconds:.2f} s")
        frames = [line.strip() for line in output.splitlines() if " in egov at " in line and "/.build/" not in line]
        check("no crash in the server's output", not crash,
              ("; ".join(crash[:2]) + (f"; first own frame: {frames[0]}" if frames else ""))[:600])
        errors_5xx = [r for r in pre if r["status"] is not None and r["status"] >= 500]
        check("no 5xx before SIGTERM", not errors_5xx,
              f"{len(errors_5xx)} of {len(pre)}, first: {errors_5xx[0]['status']} {errors_5xx[0]['error']}"[:300] if errors_5xx else f"{len(pre)} requests")
        late_5xx = [r for r in post if r["status"] is not None and r["status"] >= 500 and r["status"] != 503]
        check("no 5xx but 503 after SIGTERM", not late_5xx,
              f"{len(late_5xx)}, first: {late_5xx[0]['status']} {late_5xx[0]['error']}"[:300] if late_5xx else f"{len(post)} requests")
        flight = [r for r in results if r["sent"] < load.sigterm_at <= r["done"]]
        log(f"== in flight at SIGTERM: {len(flight)}; answered 201: {sum(1 for r in flight if r['status'] == 201)}, "
            f"other answers: {sum(1 for r in flight if r['status'] not in (None, 201))}, "
            f"no answer: {sum(1 for r in flight if r['status'] is None)} (informational: a request the server had not yet read may be cut)")
        bad_201 = [r for r in created if not r["code"]]
        check("every 201 names its dossier code", not bad_201, f"{len(bad_201)} without a code" if bad_201 else f"{len(created)} answered 201")

        # The port binds again at once (as a server binds it, with SO_REUSEADDR), then a restart on it.
        probe = socket.socket()
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen(1)
            check("port free once the process is gone", True, f"127.0.0.1:{port}")
        except OSError as error:
            check("port free once the process is gone", False, f"127.0.0.1:{port}: {error}")
        finally:
            probe.close()
        started = server.start(wait=60.0)
        if started is None:
            out = server.output()
            check("restart on the same port binds at once", False,
                  ("address in use: " if "in use" in out.lower() else "") + out.strip().splitlines()[-1][:300] if out.strip() else "no output")
            return finish(checks, t_start, work, failed_keep=True)
        check("restart on the same port binds at once", started < 15, f"/healthz after {started:.2f} s")

        # Every answered 201 is in the database, readable by its citizen (the tokens outlive a restart;
        # a citizen logs in again only when refused).
        missing = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        readable = 0
        for r in [{"citizen": 0, "code": trial_code}] + created:
            if not r["code"]:
                continue
            path = "/api/v1/dossiers/" + urllib.parse.quote(r["code"], safe="")
            try:
                citizen = citizens[r["citizen"]]
                status, answer = request(port, "GET", path, token=citizen["token"], conn=conn)
                if status == 401:
                    citizen["token"] = login(port, citizen["number"], citizen["password"])
                    status, answer = request(port, "GET", path, token=citizen["token"], conn=conn)
            except (OSError, http.client.HTTPException) as error:
                status, answer = None, str(error)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            if status == 200 and isinstance(answer, dict) and answer.get("code") == r["code"]:
                readable += 1
            else:
                missing.append(f"{r['code']} -> {status}")
        conn.close()
        check("every dossier answered 201 is readable after restart", not missing,
              f"{readable} readable" + (f"; not: {', '.join(missing[:10])}" if missing else ""))
        server.stop()
        check("restarted server stops cleanly (idle)", server.proc.returncode == 0, f"status {server.proc.returncode}")
        return finish(checks, t_start, work)
    finally:
        server.stop()


def finish(checks, t_start, work, failed_keep=False):
    failed = sum(1 for _, ok, _ in checks if not ok)
    print(f"sigterm: {len(checks) - failed} passed, {failed} failed ({time.monotonic() - t_start:.0f} s)", flush=True)
    if failed or KEEP or failed_keep:
        log(f"   work dir kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared machinery of the hostile-input suite (issue 11).

The server under attack is started by run.sh (BINARY serve on a fresh data dir) and described by
EGOV_HOSTILE_* environment variables. Tests reach it through the `srv` fixture; tests that need a
server with other settings start one with the `spawn_server` fixture. If an attack kills the main
server (a Swift trap), the crash is recorded with the requests that led to it and a fresh
replacement server takes over, so the remaining tests still say something.

Only requests, socket, concurrent.futures and the standard library; loopback only; every request
has a timeout; every loop is bounded.
"""
from __future__ import annotations

import base64
import collections
import html.parser
import itertools
import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid

import pytest
import requests

TIMEOUT = 10
REPO = os.environ.get("EGOV_HOSTILE_REPO") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("EGOV_HOSTILE_BINARY", "")

# The last requests sent (to name the one that crashed a server).
RECENT: collections.deque = collections.deque(maxlen=12)
_RECENT_LOCK = threading.Lock()
CRASHES: list[str] = []

MAIN_ENV = {"EGOV_BCRYPT_COST": "4", "EGOV_PAYMENT_SANDBOX": "1", "EGOV_TRUSTED_PROXIES": "127.0.0.1"}

# --------------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_demo_users(path: str) -> list[dict]:
    users = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 4:
                continue
            users.append({"username": parts[0], "unit": parts[1], "position": parts[2], "password": parts[3],
                          "extra": parts[4:]})
    return users


def read_admin_password(data_dir: str) -> str:
    with open(os.path.join(data_dir, "initial-admin.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("password:"):
                return line.split(":", 1)[1].strip()
    raise RuntimeError("no password in initial-admin.txt")


class Server:
    def __init__(self, base: str, data_dir: str, log: str, pid: int | None, proc: subprocess.Popen | None,
                 env: dict, own_dir: bool, label: str):
        self.base = base
        self.port = int(base.rsplit(":", 1)[1])
        self.data_dir = data_dir
        self.log = log
        self.pid = pid
        self.proc = proc
        self.env = env
        self.own_dir = own_dir
        self.label = label
        self.admin_password = read_admin_password(data_dir)
        self.demo_users = read_demo_users(os.path.join(data_dir, "demo-users.txt"))
        self.tokens: dict[str, dict] = {}
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def alive(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            return False
        try:
            return requests.get(self.base + "/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def log_tail(self, lines: int = 15) -> str:
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def trap_line(self) -> str:
        """The Swift runtime's 'Fatal error' line of the log, if any."""
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                lines = [l.strip() for l in f if "Fatal error" in l or "Crash" in l]
            return lines[-1][:300] if lines else "(no 'Fatal error' line in the log)"
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        """Runs `BINARY args… --data-dir DIR` with this server's environment (while it runs)."""
        env = dict(os.environ)
        env.update(self.env)
        return subprocess.run([BINARY, *args, "--data-dir", self.data_dir], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=timeout)


def start_server(extra_env: dict | None = None, unset: tuple = (), label: str = "spawned") -> Server:
    """Starts BINARY serve on a fresh data dir and a free port; EGOV_BCRYPT_COST=4 plus extra_env."""
    assert BINARY and os.path.exists(BINARY), "EGOV_HOSTILE_BINARY is not set (run through Tests/hostile/run.sh)"
    data_dir = tempfile.mkdtemp(prefix="egov-hostile-extra.")
    port = free_port()
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("EGOV_") and not key.startswith("EGOV_HOSTILE"):
            del env[key]
    server_env = {"EGOV_BCRYPT_COST": "4"}
    server_env.update(extra_env or {})
    for key in unset:
        server_env.pop(key, None)
    env.update(server_env)
    log = os.path.join(data_dir, "server.log")
    with open(log, "wb") as out:
        proc = subprocess.Popen([BINARY, "serve", "--data-dir", data_dir, "--port", str(port), "--pack",
                                 os.path.join(REPO, "packs", "demo")], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            with open(log, encoding="utf-8", errors="replace") as f:
                tail = f.read()[-3000:]
            shutil.rmtree(data_dir, ignore_errors=True)
            raise RuntimeError(f"server exited during start:\n{tail}")
        if (os.path.exists(os.path.join(data_dir, "initial-admin.txt"))
                and os.path.exists(os.path.join(data_dir, "demo-users.txt"))):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    return Server(base, data_dir, log, proc.pid, proc, server_env, True, label)
            except requests.RequestException:
                pass
        time.sleep(0.2)
    proc.kill()
    proc.wait(timeout=10)
    shutil.rmtree(data_dir, ignore_errors=True)
    raise RuntimeError("server did not start in 90 s")


class _MainHolder:
    def __init__(self):
        self.current: Server | None = None
        self.replacements: list[Server] = []

    def get(self) -> Server:
        if self.current is None:
            base = os.environ.get("EGOV_HOSTILE_BASE")
            if base:
                data_dir = os.environ["EGOV_HOSTILE_DATA_DIR"]
                self.current = Server(base, data_dir, os.environ.get("EGOV_HOSTILE_LOG", ""),
                                      int(os.environ.get("EGOV_HOSTILE_PID", "0")) or None, None, dict(MAIN_ENV),
                                      False, "main")
            else:
                self.current = start_server(MAIN_ENV, label="main")
                self.replacements.append(self.current)
        return self.current

    def replace(self) -> Server:
        server = start_server(MAIN_ENV, label="main-replacement")
        self.replacements.append(server)
        self.current = server
        return server


_HOLDER = _MainHolder()


def _record_crash(where: str, server: Server) -> None:
    with _RECENT_LOCK:
        recent = list(RECENT)
    CRASHES.append(f"{where}: server {server.label} ({server.base}) died.\n  last requests:\n    "
                   + "\n    ".join(recent[-6:]) + "\n  trap: " + server.trap_line())


@pytest.fixture
def srv(request) -> Server:
    server = _HOLDER.get()
    if not server.alive():
        _record_crash(f"before {request.node.nodeid}", server)
        server = _HOLDER.replace()
    return server


@pytest.fixture(autouse=True)
def _crash_watch(request):
    with _RECENT_LOCK:
        RECENT.clear()
    yield
    server = _HOLDER.current
    if server is not None and not server.alive():
        _record_crash(request.node.nodeid, server)
        _HOLDER.replace()


@pytest.fixture
def spawn_server(request):
    """Factory: spawn_server(extra_env={...}, unset=("EGOV_PAYMENT_SANDBOX",)) → Server; stopped afterwards."""
    started: list[Server] = []

    def make(extra_env: dict | None = None, unset: tuple = ()) -> Server:
        server = start_server(extra_env, unset, label=f"spawned for {request.node.name}")
        started.append(server)
        return server

    yield make
    for server in started:
        if server.proc is not None and server.proc.poll() is not None:
            _record_crash(request.node.nodeid, server)
        server.stop()


def pytest_sessionfinish(session, exitstatus):
    for server in _HOLDER.replacements:
        server.stop()


# Tests that already passed on 47cf809 (main before issue 11's fix): variants the old code happened to
# refuse, and controls (the legitimate request still works). They stay as guards; every other test is
# an attack that failed there. The summary says how many of each ran.
GUARDS_FILE = os.path.join(os.path.dirname(__file__), "guards-on-47cf809.txt")


def _guards() -> set:
    with open(GUARDS_FILE, encoding="utf-8") as handle:
        return {line.strip() for line in handle if line.strip()}


def pytest_configure(config):
    config.addinivalue_line("markers", "guard: passed on 47cf809 too (a variant already refused there, or a control)")


def pytest_collection_modifyitems(session, config, items):
    guards = _guards()
    for item in items:
        if item.nodeid in guards or f"Tests/hostile/{item.nodeid.split('Tests/hostile/')[-1]}" in guards:
            item.add_marker(pytest.mark.guard)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    ran = [report for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
           if getattr(report, "when", "call") == "call"]
    guards = _guards()
    guard_count = sum(1 for report in ran if report.nodeid in guards
                      or f"Tests/hostile/{report.nodeid.split('Tests/hostile/')[-1]}" in guards)
    terminalreporter.write_line(f"hostile: {len(ran) - guard_count} attack tests (each failed on 47cf809), "
                                f"{guard_count} guards (passed there too: variants already refused, or controls)")
    if CRASHES:
        terminalreporter.section("SERVER CRASHES")
        for crash in CRASHES:
            terminalreporter.write_line(crash)


# --------------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------------

AUTO = object()


def random_address() -> str:
    """A documentation/benchmark address (198.18.0.0/15) for X-Forwarded-For; never connected to."""
    return f"198.{random.randint(18, 19)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class Client:
    """A requests.Session bound to one server: default 10 s timeout, no redirects followed, and an
    X-Forwarded-For address of its own (the main server trusts loopback as a proxy)."""

    def __init__(self, server: Server, token: str | None = None, xff=AUTO):
        self.server = server
        self.session = requests.Session()
        self.xff = random_address() if xff is AUTO else xff
        self.token = token

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("allow_redirects", False)
        headers = dict(kw.pop("headers", None) or {})
        if self.xff and "X-Forwarded-For" not in headers:
            headers["X-Forwarded-For"] = self.xff
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = "Bearer " + self.token
        url = path if path.startswith("http") else self.server.base + path
        body = kw.get("json", kw.get("data", ""))
        shown = url
        if kw.get("params"):
            shown += ("&" if "?" in url else "?") + urllib.parse.urlencode(kw["params"])
        with _RECENT_LOCK:
            RECENT.append(f"{method} {shown[:300]} {str(body)[:160]}")
        return self.session.request(method, url, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def cookie_names(self) -> set[str]:
        return {c.name for c in self.session.cookies}


def assert_alive(server: Server) -> None:
    assert server.alive(), f"server {server.base} no longer answers /healthz: CRASHED\n{server.log_tail(10)}"


def assert_no_5xx(resp: requests.Response) -> None:
    assert resp.status_code < 500, f"{resp.request.method} {resp.url} → {resp.status_code}: {resp.text[:300]}"


def assert_problem(resp: requests.Response, status: int = 400) -> None:
    assert resp.status_code == status, f"{resp.request.method} {resp.url} → {resp.status_code}, expected {status}: {resp.text[:300]}"
    assert resp.headers.get("Content-Type", "").startswith("application/problem+json"), resp.headers.get("Content-Type")
    assert resp.json().get("detail"), resp.text[:300]


def assert_html_error(resp: requests.Response, status: int = 400) -> None:
    assert resp.status_code == status, f"{resp.request.method} {resp.url} → {resp.status_code}, expected {status}: {resp.text[:200]}"
    assert "text/html" in resp.headers.get("Content-Type", ""), resp.headers.get("Content-Type")


def raw_request(server: Server, data: bytes, read_timeout: float = 5.0, max_bytes: int = 1 << 20) -> tuple[bytes, float]:
    """Sends raw bytes on a fresh connection and reads until the server closes, a full response with
    Content-Length arrived, or read_timeout passes. Returns (bytes read, seconds to first byte or -1)."""
    start = time.monotonic()
    first = -1.0
    chunks = []
    with socket.create_connection(("127.0.0.1", server.port), timeout=read_timeout) as sock:
        try:
            sock.sendall(data)
        except OSError:
            pass
        deadline = start + read_timeout
        total = 0
        while time.monotonic() < deadline and total < max_bytes:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            except OSError:
                break
            if not chunk:
                break
            if first < 0:
                first = time.monotonic() - start
            chunks.append(chunk)
            total += len(chunk)
            blob = b"".join(chunks)
            head, sep, rest = blob.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
                if m and len(rest) >= int(m.group(1)):
                    break
    return b"".join(chunks), first


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------


class _Inputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))
        elif tag == "script":
            self.scripts.append(dict(attrs))


def parse_html(text: str) -> _Inputs:
    parser = _Inputs()
    parser.feed(text)
    return parser


def csrf_token(text: str) -> str:
    for attrs in parse_html(text).inputs:
        if attrs.get("name") == "_csrf":
            return attrs.get("value") or ""
    raise AssertionError("no _csrf field in the page")


# --------------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------------

PROVINCES = [1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
             40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79]
_SEQ = itertools.count(random.randint(0, 400_000))
_SEQ_LOCK = threading.Lock()


def new_id_number() -> str:
    """A valid, unique 12-digit personal id: province, century/sex digit (0/1 = 1900s), birth year, 6 digits."""
    with _SEQ_LOCK:
        n = next(_SEQ)
    return f"{random.choice(PROVINCES):03d}{random.randint(0, 1)}{random.randint(50, 99):02d}{(n * 7919 + random.randint(0, 6)) % 1_000_000:06d}"


def new_email() -> str:
    return f"hostile-{uuid.uuid4().hex[:12]}@example.vn"


def new_phone() -> str:
    return "09" + "".join(random.choice("0123456789") for _ in range(8))


def citizen_payload(id_number: str | None = None, email: str | None = None, password: str | None = None) -> dict:
    return {"fullName": "Nguyễn Thị Thử", "idNumber": id_number or new_id_number(), "phone": new_phone(),
            "email": email or new_email(), "password": password or ("Mk" + uuid.uuid4().hex[:10] + "7")}


def register_citizen(server: Server, **kw) -> dict:
    """Registers a citizen through POST /api/v1/citizens (a fresh id number and e-mail)."""
    for _ in range(4):
        body = citizen_payload(**kw)
        resp = Client(server).post("/api/v1/citizens", json=body)
        if resp.status_code == 409 and not kw:
            continue
        assert resp.status_code == 201, f"citizen registration → {resp.status_code}: {resp.text[:300]}"
        body.update(resp.json())
        return body
    raise AssertionError("could not register a fresh citizen")


def get_token(server: Server, username: str, password: str, cache: bool = False) -> dict:
    if cache and username in server.tokens:
        return server.tokens[username]
    resp = Client(server).post("/api/v1/auth/token", json={"username": username, "password": password})
    assert resp.status_code == 200, f"token for {username} → {resp.status_code}: {resp.text[:300]}"
    pair = resp.json()
    if cache:
        server.tokens[username] = pair
    return pair


def api(server: Server, username: str, password: str, cache: bool = True) -> Client:
    return Client(server, token=get_token(server, username, password, cache=cache)["access_token"])


def admin_api(server: Server) -> Client:
    return api(server, "admin", server.admin_password)


def demo_user(server: Server, position: str, unit_pattern: str | None = None) -> dict:
    for user in server.demo_users:
        if user["position"] == position and (unit_pattern is None or re.fullmatch(unit_pattern, user["unit"])):
            return user
    raise AssertionError(f"no demo user with position {position} at {unit_pattern}")


COMMUNE_UNIT = r"000\.00\.(3[1-9]|[4-6]\d)\.H99"


def commune_admin(server: Server) -> dict:
    """A demo user with position admin at a commune; the demo pack has none, so the system admin creates one."""
    for user in server.demo_users:
        if user["position"] == "admin" and re.fullmatch(COMMUNE_UNIT, user["unit"]):
            return user
    with server.lock:
        if "commune-admin" in server.tokens:
            return server.tokens["commune-admin"]
        username = "qtxa-" + uuid.uuid4().hex[:8]
        password = "Qt" + uuid.uuid4().hex[:10] + "9"
        resp = admin_api(server).post("/api/v1/users", json={
            "username": username, "fullName": "Quản trị xã thử", "unitCode": "000.00.31.H99", "positions": ["admin"],
            "password": password})
        assert resp.status_code == 201, f"creating a commune admin → {resp.status_code}: {resp.text[:300]}"
        user = {"username": username, "unit": "000.00.31.H99", "position": "admin", "password": password, "extra": []}
        server.tokens["commune-admin"] = user
        return user


def web_login(server: Server, username: str, password: str, next_path: str | None = None) -> Client:
    """Signs in through GET/POST /login; returns the browser-like client (cookies kept)."""
    client = Client(server)
    page = client.get("/login")
    assert page.status_code == 200, page.status_code
    form = {"_csrf": csrf_token(page.text), "username": username, "password": password}
    if next_path is not None:
        form["next"] = next_path
    resp = client.post("/login", data=form)
    assert resp.status_code in (302, 303), f"web sign-in of {username} → {resp.status_code}: {resp.text[:300]}"
    return client


# --------------------------------------------------------------------------------------------------
# Catalogue and dossiers
# --------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n% hostile suite\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32

COMMUNE_PROCEDURE = ("1.004837", "000.00.31.H99")   # commune-only, online full (README example)
PAID_PROCEDURE = ("1.014199", "000.00.01.H99")      # province-via-centre-paid, 600 000 VND
PROVINCE_PROCEDURE = "1.014199"


def pack_procedure(code: str) -> dict:
    """The pack's `process` and `level` of one procedure (read from packs/demo, which the API does not echo)."""
    with open(os.path.join(REPO, "packs", "demo", "modules", "public-services", "procedures.yaml"), encoding="utf-8") as f:
        text = f.read()
    for block in re.split(r"\n  - code: ", text):
        if block.startswith(f'"{code}"') or block.startswith(code + "\n"):
            process = re.search(r"\n    process: (\S+)", block)
            level = re.search(r"\n    level: (\S+)", block)
            return {"process": process.group(1) if process else None, "level": level.group(1) if level else None}
    raise AssertionError(f"procedure {code} not in the demo pack")


def procedure_input(server: Server, code: str) -> dict:
    """A PUT /api/v1/procedures/{code} body equal to the procedure as it is now."""
    detail = Client(server).get(f"/api/v1/procedures/{code}").json()
    pack = pack_procedure(code)
    return {
        "name": detail["name"], "field": detail["field"], "level": detail.get("decidedAt") or pack["level"],
        "units": detail["unitCodes"], "onlineLevel": detail["level"], "processingDays": detail["processingDays"],
        "cutoffHour": detail.get("cutoffHour"), "process": pack["process"], "fees": detail["fees"],
        "legalBasis": detail.get("legalBasis", []),
        "components": [{"id": c["id"], "name": c["name"], "required": c["required"], "copies": c.get("copies", 1),
                        "fileTypes": c["fileTypes"], "form": c.get("form", False)} for c in detail["components"]],
        "result": detail.get("result") or "Kết quả",
    }


def submission(server: Server, code: str, unit: str, applicant: dict | None = None) -> dict:
    """A complete POST /api/v1/dossiers body: every required component with a tiny file of an accepted type."""
    detail = Client(server).get(f"/api/v1/procedures/{code}").json()
    attachments = []
    for component in detail["components"]:
        if not component["required"]:
            continue
        types = component.get("fileTypes") or ["pdf"]
        ext, data = ("pdf", PDF) if "pdf" in types else ("png", PNG) if "png" in types else ("jpg", JPG)
        attachments.append({"componentId": component["id"], "fileName": f"{component['id']}.{ext}",
                            "contentBase64": base64.b64encode(data).decode()})
    body = {"procedureCode": code, "unitCode": unit, "form": {"noiDung": "Hồ sơ thử của bộ kiểm thử tấn công"},
            "attachments": attachments}
    if applicant is not None:
        body["applicant"] = applicant
    return body


def submit(client: Client, server: Server, code: str, unit: str, applicant: dict | None = None) -> requests.Response:
    return client.post("/api/v1/dossiers", json=submission(server, code, unit, applicant))

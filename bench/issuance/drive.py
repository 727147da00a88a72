#!/usr/bin/env python3
"""Drives the issuance benchmark (bench/issuance.sh) over the HTTP API of a running `egov serve`.

  drive.py prepare BASE USERS_FILE N OUT    N drafts per issuing body brought to the clerk's issuance step
                                            (specialist drafts with a PDF, head of division approves, the
                                            leader approves and signs); writes "unit id" lines to OUT.
  drive.py issue BASE USERS_FILE IDS C      issues every document of IDS with C concurrent connections (the
                                            clerk of each issuing body, with its seal PIN); prints one JSON
                                            line: issued, failed, seconds, per-second rate, p50 and p99 in ms.

Each connection keeps its HTTP connection alive, as wrk does. Progress goes to stderr.
"""
import base64, http.client, json, sys, threading, time, urllib.parse

# The issuing bodies of the demo pack measured, each with its own outgoing register.
BODIES = [
    {"unit": "000.00.01.H99", "drafter": "chuyenvien.snv", "head": "truongphong.snv", "leader": "lanhdao.snv", "clerk": "vanthu.snv"},
    {"unit": "000.00.03.H99", "drafter": "chuyenvien.stp", "head": "truongphong.stp", "leader": "lanhdao.stp", "clerk": "vanthu.stp"},
]


def users(path):
    """username -> (password, pin), and seal.<unit> -> pin, from demo-users.txt."""
    found = {}
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 5:
            found[parts[0]] = (parts[3], parts[4])
    return found


class Client:
    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.token = None

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        self.connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, data

    def login(self, username, password):
        status, data = self.call("POST", "/api/v1/auth/token", {"username": username, "password": password})
        if status != 200:
            raise SystemExit(f"login {username}: {status} {data[:200]!r}")
        self.token = json.loads(data)["access_token"]
        return self


def pdf():
    """A one-page PDF with an uncompressed xref, as a drafter attaches one."""
    content = b"BT /F1 12 Tf 72 720 Td (Quyet dinh) Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def prepare(base, users_file, count, out):
    known = users(users_file)
    attachment = base64.b64encode(pdf()).decode()
    lines = []
    for body in BODIES:
        c = {role: Client(base).login(body[role], known[body[role]][0]) for role in ("drafter", "head", "leader")}
        leader_pin = known[body["leader"]][1]
        recipients = [other["unit"] for other in BODIES if other is not body]
        for index in range(count):
            status, data = c["drafter"].call("POST", "/api/v1/documents", {
                "type": "quyet-dinh", "subject": f"Quyết định số {index + 1} về việc thử nghiệm phát hành",
                "recipientCodes": recipients,
                "attachments": [{"fileName": "quyet-dinh.pdf", "contentType": "application/pdf", "contentBase64": attachment}]})
            if status != 201:
                raise SystemExit(f"draft: {status} {data[:300]!r}")
            document = json.loads(data)["id"]
            for role, action, payload in (("drafter", "submit", {}), ("head", "approve", {}), ("leader", "approve", {"signingPin": leader_pin})):
                status, data = c[role].call("POST", f"/api/v1/documents/{document}/actions/{action}", payload)
                if status != 200:
                    raise SystemExit(f"{action}: {status} {data[:300]!r}")
            lines.append(f"{body['unit']} {document}")
            if (index + 1) % 50 == 0 or index + 1 == count:
                print(f"   prepared {index + 1} / {count} at {body['unit']}", file=sys.stderr, flush=True)
    open(out, "w").write("\n".join(lines) + "\n")


def issue(base, users_file, ids_file, connections):
    known = users(users_file)
    work = [line.split() for line in open(ids_file) if line.strip()]
    clerks = {body["unit"]: body["clerk"] for body in BODIES}
    lock = threading.Lock()
    latencies, failures = [], []
    position = [0]

    def worker():
        clients = {}
        while True:
            with lock:
                if position[0] >= len(work):
                    return
                unit, document = work[position[0]]
                position[0] += 1
            if unit not in clients:
                clients[unit] = Client(base).login(clerks[unit], known[clerks[unit]][0])
            pin = known["seal." + unit][1]
            started = time.perf_counter()
            status, data = clients[unit].call("POST", f"/api/v1/documents/{document}/actions/issue", {"sealPin": pin})
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures.append((status, data[:200]))

    # Log in before the clock starts: one warm-up login per clerk.
    for unit, clerk in clerks.items():
        Client(base).login(clerk, known[clerk][0])
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()

    def percentile(p):
        return round(latencies[max(0, min(len(latencies) - 1, int(len(latencies) * p) - 1))] * 1000, 1) if latencies else None

    for status, data in failures[:5]:
        print(f"   failed: {status} {data!r}", file=sys.stderr)
    print(json.dumps({"issued": len(latencies), "failed": len(failures), "seconds": round(seconds, 2),
                      "rate": round(len(latencies) / seconds, 1) if seconds else 0, "p50": percentile(0.50), "p99": percentile(0.99)}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "prepare":
        prepare(args[0], args[1], int(args[2]), args[3])
    elif command == "issue":
        issue(args[0], args[1], args[2], int(args[3]))
    else:
        raise SystemExit(__doc__)

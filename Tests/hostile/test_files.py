"""Issue 11, class 11 (files): an existing blob with the wrong size or hash is rewritten, not trusted;
hostile file names neither inject headers on download nor markup on pages.
"""
import base64
import hashlib
import os
import re
import uuid

from conftest import (COMMUNE_PROCEDURE, PDF, Client, api, assert_alive, assert_no_5xx, demo_user, raw_request,
                      register_citizen, submission, web_login)


def unique_pdf() -> bytes:
    return PDF + f"% {uuid.uuid4().hex}\n".encode()


def blob_path(srv, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    return os.path.join(srv.data_dir, "files", sha[:2], sha[2:4], sha)


def submit_with(srv, client, data: bytes, name: str = "giay-to.pdf"):
    code, unit = COMMUNE_PROCEDURE
    body = submission(srv, code, unit)
    body["attachments"].append({"fileName": name, "contentBase64": base64.b64encode(data).decode()})
    return client.post("/api/v1/dossiers", json=body)


def download(client, dossier: dict, name: str) -> bytes:
    for f in dossier["files"]:
        if f["name"] == name:
            resp = client.get(f["url"])
            assert resp.status_code == 200, resp.status_code
            return resp.content
    raise AssertionError(f"{name} not among the dossier's files")


def test_planted_wrong_blob_is_not_trusted(srv):
    """Class 11 (files): a blob already on disk under the content's hash but with other bytes is
    rewritten on upload; the download returns what was uploaded."""
    data = unique_pdf()
    path = blob_path(srv, data)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4 planted bytes that do not match the hash\n")
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    resp = submit_with(srv, client, data)
    assert_alive(srv)
    assert resp.status_code == 201, resp.text[:300]
    assert download(client, resp.json(), "giay-to.pdf") == data


def test_truncated_blob_is_rewritten(srv):
    """Class 11 (files): a blob cut short on disk (wrong size) is rewritten when the same content is uploaded again."""
    data = unique_pdf() + os.urandom(2048)
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    first = submit_with(srv, client, data)
    assert first.status_code == 201, first.text[:300]
    path = blob_path(srv, data)
    assert os.path.exists(path), "blob not where the content-addressed layout puts it"
    with open(path, "r+b") as f:
        f.truncate(len(data) // 2)
    second = submit_with(srv, client, data)
    assert_alive(srv)
    assert second.status_code == 201, second.text[:300]
    assert download(client, second.json(), "giay-to.pdf") == data


def test_file_name_with_crlf_does_not_inject_headers(srv):
    """Class 11 (files): an attachment named `a\\r\\nSet-Cookie: pwned=1\\r\\nx.pdf` is refused (400) or
    downloaded without any injected header."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    name = "a\r\nSet-Cookie: pwned=1\r\nX-Injected: 1\r\nx.pdf"
    resp = submit_with(srv, client, unique_pdf(), name=name)
    assert_alive(srv)
    assert_no_5xx(resp)
    if resp.status_code == 400:
        return
    assert resp.status_code == 201, resp.text[:300]
    url = [f["url"] for f in resp.json()["files"] if "pwned" in f["name"]][0]
    request = (f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {client.token}\r\n"
               "Connection: close\r\n\r\n").encode()
    data, _ = raw_request(srv, request, read_timeout=5)
    assert_alive(srv)
    head = data.split(b"\r\n\r\n", 1)[0].lower()
    assert b"\r\nset-cookie: pwned" not in head and b"\r\nx-injected" not in head, head[:600]


def test_file_name_with_markup_escaped_on_pages(srv):
    """Class 11 (files) / class 2: a file named `"><img src=x onerror=alert(1)>.pdf` never appears raw on the dossier page."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    name = '"><img src=x onerror=alert(1)>.pdf'
    resp = submit_with(srv, client, unique_pdf(), name=name)
    assert_alive(srv)
    assert_no_5xx(resp)
    if resp.status_code == 400:
        return
    code = resp.json()["code"]
    browser = web_login(srv, citizen["idNumber"], citizen["password"])
    pages = [browser.get(f"/ho-so/{code}").text]
    try:
        officer = demo_user(srv, "oneStopOfficer", r"001\.00\.31\.H99")
        pages.append(web_login(srv, officer["username"], officer["password"]).get(f"/ho-so/{code}").text)
    except AssertionError:
        pass
    assert_alive(srv)
    for text in pages:
        # As text (escaped) the name may show; as markup or inside a tag, never.
        assert "<img src=x" not in text
        assert not re.search(r"<[a-zA-Z][^<>]*\sonerror=alert", text)


def test_path_traversal_file_ids(srv):
    """Class 11 (files): traversal and junk in file ids (/api/v1/me/files/…, dossier files) → 4xx, never a file, never 5xx."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    for fid in ("..%2F..%2Fsecret.key", "%2e%2e%2f%2e%2e%2fegov.sqlite", "00000000-0000-0000-0000-000000000000", "x" * 3000):
        resp = client.get(f"/api/v1/me/files/{fid}")
        assert_no_5xx(resp)
        assert 400 <= resp.status_code < 500
        assert b"SQLite format" not in resp.content
    assert_alive(srv)

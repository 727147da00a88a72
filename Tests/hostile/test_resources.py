"""Issue 11, class 7: resources. Credentials are checked before a large body is read; anonymous
visitors get no session row; a password reset ends sessions and refresh tokens; users can change
their own password.
"""
import time

import pytest

from conftest import (COMMUNE_PROCEDURE, Client, api, assert_alive, assert_no_5xx, get_token, raw_request,
                      register_citizen, web_login)

HUGE = 83886080  # 80 MB announced, ~1 KB sent


def _status(data: bytes) -> int | None:
    line = data.split(b"\r\n", 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None


def announce_huge(srv, path: str, content_type: str, extra_headers: bytes = b"") -> tuple[int | None, float]:
    body = b"--x\r\nContent-Disposition: form-data; name=\"noiDung\"\r\n\r\n" + b"A" * 1000
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
               f"Content-Length: {HUGE}\r\n").encode() + extra_headers + b"\r\n" + body
    start = time.monotonic()
    data, first = raw_request(srv, request, read_timeout=3.0, max_bytes=65536)
    return _status(data), (first if first >= 0 else time.monotonic() - start)


@pytest.mark.parametrize("path,ctype,expected", [
    (f"/thu-tuc/{COMMUNE_PROCEDURE[0]}/nop-ho-so", "multipart/form-data; boundary=x", (302, 303, 401, 403, 413)),
    ("/login", "application/x-www-form-urlencoded", (403, 413)),
    ("/register", "application/x-www-form-urlencoded", (403, 413)),
    ("/admin/units/000.00.31.H99", "application/x-www-form-urlencoded", (302, 303, 401, 403, 413)),
    ("/logout", "application/x-www-form-urlencoded", (403, 413)),
])
def test_web_form_refused_before_body_arrives(srv, path, ctype, expected):
    """Class 7 (resources): a web form POST announcing 80 MB with ~1 KB sent and no session/CSRF cookie
    is answered (403/413) within 3 s, without waiting for the rest."""
    status, elapsed = announce_huge(srv, path, ctype)
    assert_alive(srv)
    assert status is not None, f"no answer within 3 s (the server waits for 80 MB)"
    assert status in expected, f"answered {status}"
    assert elapsed < 3.0


@pytest.mark.parametrize("path", ["/api/v1/dossiers", "/api/v1/dossiers/X-000000-0001/actions/receive"])
def test_dossier_api_refused_before_body_arrives(srv, path):
    """Class 7 (resources): POST /api/v1/dossiers (and actions) announcing 80 MB, no bearer token → 401 within 3 s."""
    status, elapsed = announce_huge(srv, path, "application/json")
    assert_alive(srv)
    assert status == 401, f"answered {status} (None = nothing within 3 s)"
    assert elapsed < 3.0


def test_dossier_api_bad_token_refused_before_body_arrives(srv):
    """Class 7 (resources): the same with a forged bearer token → 401 within 3 s."""
    status, elapsed = announce_huge(srv, "/api/v1/dossiers", "application/json",
                                    b"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA\r\n")
    assert_alive(srv)
    assert status == 401, f"answered {status} (None = nothing within 3 s)"


def test_many_stalled_uploads_do_not_starve_server(srv):
    """Class 7 (resources): 20 connections each announcing 80 MB then stalling; /healthz still answers at once."""
    import socket
    socks = []
    try:
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
            s.sendall((f"POST /api/v1/dossiers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {HUGE}\r\n\r\n").encode() + b"{" * 1000)
            socks.append(s)
        start = time.monotonic()
        assert_alive(srv)
        assert time.monotonic() - start < 3
    finally:
        for s in socks:
            s.close()
    assert_alive(srv)


def test_anonymous_login_page_sets_no_session(srv):
    """Class 7 (resources): an anonymous GET /login (and GET /register, /thu-tuc) sets no egov_session cookie."""
    for path in ("/login", "/register", "/thu-tuc", "/"):
        client = Client(srv)
        resp = client.get(path)
        assert_no_5xx(resp)
        assert "egov_session" not in client.cookie_names(), f"{path} set egov_session"
        assert "egov_session" not in resp.headers.get("Set-Cookie", "")
    assert_alive(srv)


def test_anonymous_login_still_works_with_csrf_cookie(srv):
    """Class 7 (resources, control): signing in from a fresh anonymous GET /login still works (CSRF token in its own cookie)."""
    citizen = register_citizen(srv)
    browser = web_login(srv, citizen["idNumber"], citizen["password"])
    home = browser.get("/")
    assert_alive(srv)
    assert citizen["fullName"] in home.text


def test_reset_password_ends_sessions_and_refresh_tokens(srv):
    """Class 7 (resources): after `egov user reset-password USER` (CLI while the server runs) the user's
    earlier web session no longer signs them in and their earlier refresh token answers 401."""
    citizen = register_citizen(srv)
    browser = web_login(srv, citizen["idNumber"], citizen["password"])
    assert citizen["fullName"] in browser.get("/").text
    pair = get_token(srv, citizen["idNumber"], citizen["password"])
    result = srv.cli("user", "reset-password", citizen["username"])
    assert result.returncode == 0, result.stderr[-500:]
    home = browser.get("/")
    mine = browser.get("/ho-so")
    refresh = Client(srv).post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_alive(srv)
    assert citizen["fullName"] not in home.text, "the old web session still shows the user signed in"
    assert mine.status_code in (302, 303, 401), f"/ho-so with the old session → {mine.status_code}"
    assert refresh.status_code == 401, f"old refresh token → {refresh.status_code}"


def test_change_own_password(srv):
    """Class 7 (resources): POST /api/v1/me/password {currentPassword,newPassword} → 204; the old password no longer signs in."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"], cache=False)
    new = "Moi" + citizen["password"][::-1] + "5"
    resp = client.post("/api/v1/me/password", json={"currentPassword": citizen["password"], "newPassword": new})
    assert_alive(srv)
    assert resp.status_code == 204, f"{resp.status_code}: {resp.text[:200]}"
    old = Client(srv).post("/api/v1/auth/token", json={"username": citizen["idNumber"], "password": citizen["password"]})
    fresh = Client(srv).post("/api/v1/auth/token", json={"username": citizen["idNumber"], "password": new})
    assert old.status_code == 401, old.status_code
    assert fresh.status_code == 200, fresh.status_code


def test_change_own_password_wrong_current(srv):
    """Class 7 (resources): POST /api/v1/me/password with a wrong currentPassword → 400/403; password unchanged."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"], cache=False)
    resp = client.post("/api/v1/me/password", json={"currentPassword": "sai-matkhau-1", "newPassword": "KhacHan12345"})
    assert_alive(srv)
    assert resp.status_code in (400, 403), f"{resp.status_code}: {resp.text[:200]}"
    assert resp.headers.get("Content-Type", "").startswith("application/problem+json")
    still = Client(srv).post("/api/v1/auth/token", json={"username": citizen["idNumber"], "password": citizen["password"]})
    assert still.status_code == 200


def test_change_own_password_requires_sign_in(srv):
    """Class 7 (resources): POST /api/v1/me/password without a token → 401 (route exists, not 404)."""
    resp = Client(srv).post("/api/v1/me/password", json={"currentPassword": "a", "newPassword": "b"})
    assert_alive(srv)
    assert resp.status_code == 401, resp.status_code

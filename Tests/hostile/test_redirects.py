"""Issue 11, class 3: redirect targets (`back` of /lang/{vi|en}, `next` of /login).

Only same-site paths: the Location starts with one "/" not followed by "/" or "\\", and carries no
control character or whitespace; CR/LF never plants a header (no `pwned` cookie).
"""
import re

import pytest

from conftest import Client, assert_alive, assert_no_5xx, csrf_token, parse_html, raw_request, register_citizen

# Already percent-encoded as they go on the wire.
HOSTILE_TARGETS = [
    "/%0d%0aSet-Cookie:%20pwned=1",
    "/%0aSet-Cookie:pwned=1",
    "/%0dSet-Cookie:pwned=1",
    "//evil.example/",
    "/%09/evil.example",
    "/%5cevil.example",
    "/%5c%5cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%2f%2fevil.example",
    "%2f%2fevil.example",
    "/%20/evil.example",
    "/%00/evil.example",
    "%0d%0a/evil",
]


def check_location(resp) -> None:
    assert "pwned" not in resp.headers.get("Set-Cookie", ""), f"planted cookie: {resp.headers.get('Set-Cookie')}"
    for name, value in resp.raw.headers.items():
        assert name.lower() != "pwned" and "pwned=1" not in (value if name.lower() != "location" else ""), \
            f"injected header {name}: {value}"
    if resp.status_code in (301, 302, 303, 307, 308):
        location = resp.headers.get("Location", "")
        assert re.fullmatch(r"/(?![/\\])[^\x00-\x20\x7f]*", location) is not None, f"unsafe Location {location!r}"
    else:
        assert resp.status_code == 400, f"{resp.status_code}: neither a same-site redirect nor 400"


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_language_switch_back(srv, target):
    """Class 3 (redirects): GET /lang/en?back=TARGET redirects only to a same-site path, no header injection."""
    client = Client(srv)
    resp = client.get("/lang/en?back=" + target)
    assert_alive(srv)
    assert_no_5xx(resp)
    check_location(resp)
    assert "pwned" not in client.cookie_names()


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_next_after_sign_in(srv, target):
    """Class 3 (redirects): POST /login with next=TARGET (correct password) redirects only to a same-site path."""
    citizen = register_citizen(srv)
    client = Client(srv)
    page = client.get("/login")
    body = f"_csrf={_enc(csrf_token(page.text))}&username={citizen['idNumber']}&password={_enc(citizen['password'])}&next={target}"
    resp = client.post("/login", data=body.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_alive(srv)
    assert_no_5xx(resp)
    check_location(resp)
    assert "pwned" not in client.cookie_names()


def test_login_next_raw_tab(srv):
    """Class 3 (redirects): next=/<TAB>/evil.example with a real TAB byte in the form body → same-site redirect."""
    citizen = register_citizen(srv)
    client = Client(srv)
    page = client.get("/login")
    body = (f"_csrf={_enc(csrf_token(page.text))}&username={citizen['idNumber']}&password={_enc(citizen['password'])}"
            f"&next=/\t/evil.example").encode()
    resp = client.post("/login", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_alive(srv)
    assert_no_5xx(resp)
    check_location(resp)


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example/", "/%0d%0aSet-Cookie:%20pwned=1"])
def test_login_form_echo_of_next_is_inert(srv, target):
    """Class 3 (redirects): GET /login?next=TARGET does not carry an off-site/CR-LF target into the form's hidden field."""
    resp = Client(srv).get("/login?next=" + target)
    assert_alive(srv)
    assert_no_5xx(resp)
    value = ""
    for attrs in parse_html(resp.text).inputs:
        if attrs.get("name") == "next":
            value = attrs.get("value") or ""
    assert value == "" or re.fullmatch(r"/(?![/\\])[^\x00-\x20\x7f]*", value), f"hidden next carries {value!r}"


def _raw_lang(srv, query: bytes) -> bytes:
    request = b"GET /lang/en?back=" + query + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    data, _ = raw_request(srv, request, read_timeout=5)
    return data


@pytest.mark.parametrize("query", [
    b"/\r\nSet-Cookie: pwned=1",
    b"/\nSet-Cookie: pwned=1",
    b"/\rSet-Cookie: pwned=1",
    b"/\t/evil.example",
    b"/x\x00y",
])
def test_raw_control_bytes_in_query(srv, query):
    """Class 3 (redirects): a raw request whose query carries CR/LF/TAB/NUL bytes never gets an injected
    header or an off-site Location back (400 or a closed connection is fine) and the server survives."""
    data = _raw_lang(srv, query)
    assert_alive(srv)
    head = data.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    for line in lines[1:]:
        assert not line.lower().startswith(b"set-cookie: pwned"), f"injected header: {line!r}"
        if line.lower().startswith(b"location:"):
            value = line.split(b":", 1)[1].strip()
            assert re.fullmatch(rb"/(?![/\\])[^\x00-\x20\x7f]*", value), f"unsafe Location {value!r}"
    if lines and lines[0]:
        status = int(lines[0].split()[1])
        assert status < 500


def test_raw_crlf_in_next_via_login_redirect(srv):
    """Class 3 (redirects): a raw POST /login whose next field holds raw CR LF plants nothing."""
    citizen = register_citizen(srv)
    client = Client(srv)
    page = client.get("/login")
    cookies = "; ".join(f"{c.name}={c.value}" for c in client.session.cookies)
    body = (f"_csrf={_enc(csrf_token(page.text))}&username={citizen['idNumber']}&password={_enc(citizen['password'])}"
            "&next=/\r\nSet-Cookie: pwned=1").encode()
    request = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
               b"Content-Type: application/x-www-form-urlencoded\r\nCookie: " + cookies.encode() + b"\r\n"
               b"X-Forwarded-For: " + client.xff.encode() + b"\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    data, _ = raw_request(srv, request, read_timeout=5)
    assert_alive(srv)
    head = data.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nset-cookie: pwned" not in head.lower(), head[:500]
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"location:"):
            value = line.split(b":", 1)[1].strip()
            assert re.fullmatch(rb"/(?![/\\])[^\x00-\x20\x7f]*", value), f"unsafe Location {value!r}"


def _enc(value: str) -> str:
    import urllib.parse
    return urllib.parse.quote(value, safe="")

"""Issue 11, class 2: markup in attributes and text (reflected and stored XSS), security headers.

Reflected and stored values never reach a page unescaped; every HTML response has a CSP without
'unsafe-inline' scripts, nosniff, frame protection and a Referrer-Policy; no inline <script>;
HSTS only with EGOV_SECURE_COOKIES=1.
"""
import re
import urllib.parse

import pytest

from conftest import (COMMUNE_PROCEDURE, Client, assert_alive, assert_no_5xx, csrf_token, parse_html, web_login)

SCRIPT = '"><script>alert(1)</script>'
SVG = '"><svg onload=alert(1)>'
QUOTE_BREAK = "' autofocus onfocus='alert(1)"


TAG = re.compile(r"<[a-zA-Z][^<>]*>")


def assert_not_reflected(text: str, *raw: str) -> None:
    """A fragment with `<` must not appear at all (text escapes it). A quote-breaking fragment such as
    `" autofocus onfocus="` is harmless as text, so it must only never appear inside a tag, where it
    would end an attribute and start one of the attacker's."""
    tags = TAG.findall(text)
    for fragment in raw:
        if "<" in fragment:
            assert fragment not in text, f"the page contains the raw sequence {fragment!r}"
        else:
            inside = [tag for tag in tags if fragment in tag]
            assert not inside, f"a tag contains the raw sequence {fragment!r}: {inside[0][:200]}"


@pytest.mark.parametrize("payload", [SCRIPT, SVG, '" autofocus onfocus="alert(1)', QUOTE_BREAK])
def test_catalogue_search_term_escaped(srv, payload):
    """Class 2 (markup): /thu-tuc?q=PAYLOAD reflects the term escaped (value="" of the search box and pager links)."""
    resp = Client(srv).get("/thu-tuc", params={"q": payload})
    assert_alive(srv)
    assert_no_5xx(resp)
    assert_not_reflected(resp.text, '"><script>', "<script>alert", '"><svg', '" autofocus onfocus="', "' autofocus onfocus='")


@pytest.mark.parametrize("param", ["field", "unit", "level"])
def test_catalogue_filters_escaped(srv, param):
    """Class 2 (markup): /thu-tuc?field|unit|level=PAYLOAD never echoes raw markup."""
    resp = Client(srv).get("/thu-tuc", params={param: SCRIPT, "page": "1"})
    assert_alive(srv)
    assert_no_5xx(resp)
    assert_not_reflected(resp.text, '"><script>', "<script>alert")


@pytest.mark.parametrize("payload", [SCRIPT, SVG, '" autofocus onfocus="alert(1)'])
def test_tracking_code_escaped(srv, payload):
    """Class 2 (markup): /tra-cuu?code=PAYLOAD (public dossier tracking) never echoes raw markup."""
    resp = Client(srv).get("/tra-cuu", params={"code": payload})
    assert_alive(srv)
    assert_no_5xx(resp)
    assert_not_reflected(resp.text, '"><script>', "<script>alert", '"><svg', '" autofocus onfocus="')


@pytest.mark.parametrize("payload", [SVG, SCRIPT, '/" autofocus onfocus="alert(1)'])
def test_login_next_escaped(srv, payload):
    """Class 2 (markup): GET /login?next=PAYLOAD echoes next into the hidden field escaped."""
    resp = Client(srv).get("/login", params={"next": payload})
    assert_alive(srv)
    assert_no_5xx(resp)
    assert_not_reflected(resp.text, '"><svg', '"><script>', "<script>alert", '" autofocus onfocus="')


def test_failed_login_username_and_next_escaped(srv):
    """Class 2 (markup): a failed POST /login re-renders username and next escaped."""
    client = Client(srv)
    page = client.get("/login")
    resp = client.post("/login", data={"_csrf": csrf_token(page.text), "username": SVG, "password": "sai-mat-khau-1",
                                       "next": SCRIPT})
    assert_alive(srv)
    assert_no_5xx(resp)
    assert_not_reflected(resp.text, '"><svg', '"><script>', "<script>alert")


def test_unauthenticated_redirect_next_escaped(srv):
    """Class 2 (markup): a signed-in-only page asked with markup in its query redirects to /login with
    next, and the login form shows it escaped."""
    client = Client(srv)
    resp = client.get("/ho-so?x=" + urllib.parse.quote(SVG, safe=""))
    assert_alive(srv)
    assert_no_5xx(resp)
    if resp.status_code in (301, 302, 303, 307, 308):
        target = resp.headers.get("Location", "")
        assert target.startswith("/") and not target.startswith("//")
        page = client.get(target)
        assert_no_5xx(page)
        assert_not_reflected(page.text, '"><svg')


def test_procedure_code_in_path_escaped(srv):
    """Class 2 (markup): an unknown procedure code in the path (/thu-tuc/CODE) is not echoed raw."""
    code = urllib.parse.quote('x"><script>alert(1)</script>', safe="")
    for path in (f"/thu-tuc/{code}", f"/thu-tuc/{code}/nop-ho-so", f"/tra-cuu?code={code}"):
        resp = Client(srv).get(path)
        assert_alive(srv)
        assert_no_5xx(resp)
        assert_not_reflected(resp.text, '"><script>', "<script>alert")


def _unit_form(browser, code):
    page = browser.get(f"/admin/units/{code}")
    assert page.status_code == 200, page.status_code
    return page


def test_stored_unit_name_escaped_in_admin_pages(srv):
    """Class 2 (markup, stored): a unit renamed (admin web form POST /admin/units/{code}) to
    `x" autofocus onfocus="alert(1)` never yields the raw sequence in admin pages or the catalogue."""
    code = "000.00.64.H99"
    payload = 'x" autofocus onfocus="alert(1)'
    from conftest import admin_api
    unit = admin_api(srv).get(f"/api/v1/units/{code}").json()
    original_name, original_short = unit["name"], unit["shortName"]
    browser = web_login(srv, "admin", srv.admin_password)
    page = _unit_form(browser, code)
    saved = browser.post(f"/admin/units/{code}", data={"_csrf": csrf_token(page.text), "name": payload,
                                                       "shortName": payload + "<b>", "type": "commune"})
    assert_alive(srv)
    assert_no_5xx(saved)
    try:
        pages = [saved.text]
        for path in (f"/admin/units/{code}", "/admin/units", f"/admin/users?unit={code}", "/thu-tuc",
                     f"/thong-ke?unit={code}"):
            resp = browser.get(path)
            assert_alive(srv)
            assert_no_5xx(resp)
            pages.append(resp.text)
        for text in pages:
            assert_not_reflected(text, '" autofocus onfocus="', "<b>")
    finally:
        page = _unit_form(browser, code)
        if original_name:
            browser.post(f"/admin/units/{code}", data={"_csrf": csrf_token(page.text), "name": original_name,
                                                       "shortName": original_short or original_name, "type": "commune"})


def test_audit_filters_escaped(srv):
    """Class 2 (markup): the admin audit page's filter parameters are not echoed raw."""
    browser = web_login(srv, "admin", srv.admin_password)
    for name in ("actor", "action", "target", "unit", "from", "to", "q"):
        resp = browser.get("/admin/audit", params={name: SCRIPT})
        assert_alive(srv)
        assert_no_5xx(resp)
        assert_not_reflected(resp.text, '"><script>', "<script>alert")


# ---------------------------------------------------------------------------------------- headers

ANON_PAGES = ["/", "/login", "/register", "/thu-tuc", f"/thu-tuc/{COMMUNE_PROCEDURE[0]}", "/tra-cuu",
              "/tra-cuu?code=KHONG-CO", "/khong-co-trang-nay", "/thu-tuc/khong-co"]


def csp_directives(value: str) -> dict:
    out = {}
    for part in value.split(";"):
        bits = part.strip().split()
        if bits:
            out[bits[0].lower()] = [b.lower() for b in bits[1:]]
    return out


def check_security_headers(resp) -> None:
    h = resp.headers
    csp = h.get("Content-Security-Policy")
    assert csp, f"{resp.url}: no Content-Security-Policy"
    d = csp_directives(csp)
    scripts = d.get("script-src", d.get("default-src"))
    assert scripts is not None, f"{resp.url}: CSP has neither script-src nor default-src: {csp}"
    assert "'unsafe-inline'" not in scripts, f"{resp.url}: CSP allows inline script: {csp}"
    assert h.get("X-Content-Type-Options", "").lower() == "nosniff", f"{resp.url}: no nosniff"
    frame_ok = h.get("X-Frame-Options", "").upper() == "DENY" or d.get("frame-ancestors") == ["'none'"]
    assert frame_ok, f"{resp.url}: no frame protection"
    assert h.get("Referrer-Policy"), f"{resp.url}: no Referrer-Policy"


@pytest.mark.parametrize("path", ANON_PAGES)
def test_anonymous_html_has_security_headers(srv, path):
    """Class 2 (markup): every anonymous HTML page (also 404) has CSP (no unsafe-inline), nosniff, DENY, Referrer-Policy."""
    resp = Client(srv).get(path, headers={"Accept": "text/html"})
    assert_alive(srv)
    assert_no_5xx(resp)
    assert "text/html" in resp.headers.get("Content-Type", ""), resp.headers.get("Content-Type")
    check_security_headers(resp)


def test_signed_in_and_error_pages_have_security_headers(srv):
    """Class 2 (markup): admin pages and a 400 error page carry the same headers."""
    browser = web_login(srv, "admin", srv.admin_password)
    for path in ("/admin/units", "/admin/users", "/admin/audit", "/xu-ly", "/thu-tuc?level=khong-hop-le",
                 "/thu-tuc?page=abc"):
        resp = browser.get(path)
        assert_alive(srv)
        assert_no_5xx(resp)
        if "text/html" in resp.headers.get("Content-Type", ""):
            check_security_headers(resp)


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/thu-tuc", f"/thu-tuc/{COMMUNE_PROCEDURE[0]}", "/tra-cuu"])
def test_no_inline_script(srv, path):
    """Class 2 (markup): HTML pages contain no inline <script> element (only <script src=…>)."""
    resp = Client(srv).get(path)
    assert_alive(srv)
    inline = [attrs for attrs in parse_html(resp.text).scripts if not attrs.get("src")]
    assert not inline, f"{path} has an inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", resp.text, re.I), f"{path} has an inline event handler"


def test_no_hsts_without_secure_cookies(srv):
    """Class 2 (markup): Strict-Transport-Security is not sent by a server without EGOV_SECURE_COOKIES=1."""
    resp = Client(srv).get("/")
    assert_alive(srv)
    assert "Strict-Transport-Security" not in resp.headers


def test_hsts_with_secure_cookies(spawn_server):
    """Class 2 (markup): with EGOV_SECURE_COOKIES=1 every response (HTML and API) sends Strict-Transport-Security."""
    server = spawn_server({"EGOV_SECURE_COOKIES": "1", "EGOV_PAYMENT_SANDBOX": "1"})
    for path in ("/", "/login", "/api/v1/procedures"):
        resp = Client(server).get(path)
        assert_no_5xx(resp)
        hsts = resp.headers.get("Strict-Transport-Security", "")
        assert "max-age=" in hsts, f"{path}: no HSTS ({hsts!r})"
    assert_alive(server)

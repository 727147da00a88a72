"""Issue 11, class 1: arithmetic on request numbers (offset, limit, page, dates, fee amounts).

Every number from outside is bounded at parsing: out of range or not an integer → 400 (API:
problem+json with a detail; web: an HTML error page), offsets ≤ 10,000,000, pages ≤ 100,000, fees
0…10,000,000,000 VND. Above all the process must not trap on an overflow.
"""
import pytest

from conftest import (COMMUNE_PROCEDURE, PAID_PROCEDURE, Client, admin_api, api, assert_alive, assert_html_error,
                      assert_no_5xx, assert_problem, demo_user, procedure_input, register_citizen, web_login)

INT_MAX = "9223372036854775807"

BAD_PAGING = [
    ("offset", INT_MAX),
    ("offset", "9223372036854775000"),
    ("offset", "99999999999999999999"),
    ("offset", "10000001"),
    ("offset", "-1"),
    ("offset", "1e3"),
    ("offset", "0x10"),
    ("offset", " 5"),
    ("limit", "-1"),
    ("limit", INT_MAX),
    ("limit", "-9223372036854775808"),
    ("limit", "abc"),
]


@pytest.mark.parametrize("name,value", BAD_PAGING)
def test_public_procedure_list_rejects_bad_paging(srv, name, value):
    """Class 1 (numbers): anonymous GET /api/v1/procedures?offset|limit=… → 400 problem+json, server alive."""
    resp = Client(srv).get("/api/v1/procedures", params={name: value})
    assert_alive(srv)
    assert_problem(resp, 400)


def test_public_procedure_list_offset_plus_limit_overflow(srv):
    """Class 1 (numbers): offset near Int.max with a valid limit (offset + limit overflows) → 400."""
    resp = Client(srv).get(f"/api/v1/procedures?offset=9223372036854775800&limit=200")
    assert_alive(srv)
    assert_problem(resp, 400)


def test_offset_cap_boundary(srv):
    """Class 1 (numbers): offset 10,000,000 is still served (empty page), 10,000,001 is refused."""
    ok = Client(srv).get("/api/v1/procedures?offset=10000000")
    bad = Client(srv).get("/api/v1/procedures?offset=10000001")
    assert_alive(srv)
    assert ok.status_code == 200 and ok.json()["items"] == [], ok.text[:200]
    assert_problem(bad, 400)


@pytest.mark.parametrize("path", ["/api/v1/dossiers", "/api/v1/me/files"])
@pytest.mark.parametrize("value", [INT_MAX, "10000001"])
def test_citizen_lists_reject_huge_offset(srv, path, value):
    """Class 1 (numbers): a signed-in citizen's lists with offset Int.max / above the cap → 400."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    resp = client.get(path, params={"offset": value})
    assert_alive(srv)
    assert_problem(resp, 400)


@pytest.mark.parametrize("path", ["/api/v1/units", "/api/v1/users", "/api/v1/queue", "/api/v1/dossiers"])
def test_officer_lists_reject_int_max_offset(srv, path):
    """Class 1 (numbers): admin/officer lists (units, users, queue, dossiers) with offset Int.max → 400."""
    resp = admin_api(srv).get(path, params={"offset": INT_MAX, "limit": "200"})
    assert_alive(srv)
    assert_problem(resp, 400)


@pytest.mark.parametrize("page", [INT_MAX, "9223372036854775", "100001", "0", "-5", "abc", "99999999999999999999"])
def test_catalogue_page_rejects_bad_page(srv, page):
    """Class 1 (numbers): anonymous web catalogue /thu-tuc?page=… → 400 HTML error page, server alive."""
    resp = Client(srv).get("/thu-tuc", params={"page": page}, headers={"Accept": "text/html"})
    assert_alive(srv)
    assert_html_error(resp, 400)


def test_catalogue_page_cap_boundary(srv):
    """Class 1 (numbers): /thu-tuc?page=100000 is a (empty) page, not an error."""
    resp = Client(srv).get("/thu-tuc?page=100000")
    assert_alive(srv)
    assert resp.status_code == 200, resp.status_code


@pytest.mark.parametrize("page", [INT_MAX, "0", "-5", "100001"])
def test_admin_users_page_rejects_bad_page(srv, page):
    """Class 1 (numbers): /admin/users?page=… (signed-in admin) → 400 HTML error page, server alive."""
    browser = web_login(srv, "admin", srv.admin_password)
    resp = browser.get("/admin/users", params={"page": page})
    assert_alive(srv)
    assert_html_error(resp, 400)


@pytest.mark.parametrize("path", ["/ho-so", "/xu-ly", "/don-vi/ho-so"])
def test_web_dossier_lists_reject_int_max_page(srv, path):
    """Class 1 (numbers): web dossier lists (/ho-so as a citizen, /xu-ly and /don-vi/ho-so as the province
    leader) with page=Int.max → 400."""
    if path == "/ho-so":
        citizen = register_citizen(srv)
        browser = web_login(srv, citizen["idNumber"], citizen["password"])
    else:
        leader = demo_user(srv, "leader", r"000\.00\.00\.H99")
        browser = web_login(srv, leader["username"], leader["password"])
    resp = browser.get(path, params={"page": INT_MAX})
    assert_alive(srv)
    assert_html_error(resp, 400)


@pytest.mark.parametrize("query", [
    {"from": "0000-00-00"},
    {"from": "2025-02-30"},
    {"from": "+025-01-01"},
    {"to": "99999-01-01"},
    {"from": "2025-1-1"},
    {"from": "2026-01-01", "to": "2025-01-01"},
])
def test_statistics_reject_bad_dates(srv, query):
    """Class 1 (numbers): statistics from/to that are not dates (or from > to) → 400 (API and web)."""
    leader = demo_user(srv, "leader", r"000\.00\.00\.H99")
    resp = api(srv, leader["username"], leader["password"]).get("/api/v1/stats/dossiers", params=query)
    assert_alive(srv)
    assert_problem(resp, 400)
    browser = web_login(srv, leader["username"], leader["password"])
    page = browser.get("/thong-ke", params=query)
    assert_alive(srv)
    assert_html_error(page, 400)


def test_statistics_extreme_period_does_not_crash(srv):
    """Class 1 (numbers): the widest parseable period (0001-01-01 … 9999-12-31) → 200 or 400, never 5xx."""
    leader = demo_user(srv, "leader", r"000\.00\.00\.H99")
    client = api(srv, leader["username"], leader["password"])
    for query in ({"from": "0001-01-01", "to": "9999-12-31"}, {"from": "0000-01-01"}, {"to": "9999-12-31"}):
        resp = client.get("/api/v1/stats/dossiers", params=query)
        assert_alive(srv)
        assert_no_5xx(resp)
        assert resp.status_code in (200, 400), resp.status_code


@pytest.mark.parametrize("fees", [
    [{"name": "Lệ phí", "amount": 10_000_000_001}],
    [{"name": "Lệ phí", "amount": -1}],
    [{"name": "Lệ phí", "amount": 9223372036854775807}],
    [{"name": "Phí A", "amount": 4_611_686_018_427_387_904}, {"name": "Phí B", "amount": 4_611_686_018_427_387_904}],
    [{"name": "Phí A", "amount": 6_000_000_000}, {"name": "Phí B", "amount": 6_000_000_000}],
], ids=["above-cap", "negative", "int-max", "sum-overflows", "sum-above-cap"])
def test_procedure_fee_out_of_range_refused(srv, fees):
    """Class 1 (numbers): PUT /api/v1/procedures/{code} (admin) with a fee above 10 bn VND, negative,
    or summing past Int.max → 400, nothing stored, the procedure still readable."""
    code = PAID_PROCEDURE[0]
    admin = admin_api(srv)
    body = procedure_input(srv, code)
    before = Client(srv).get(f"/api/v1/procedures/{code}").json()["fees"]
    body["fees"] = fees
    resp = admin.put(f"/api/v1/procedures/{code}", json=body)
    assert_alive(srv)
    after = Client(srv).get(f"/api/v1/procedures/{code}")
    assert_alive(srv)
    if resp.status_code < 300:  # undo, so that other tests see the demo fee
        restore = procedure_input(srv, code)
        restore["fees"] = before
        admin.put(f"/api/v1/procedures/{code}", json=restore)
    assert_problem(resp, 400)
    assert after.status_code == 200 and after.json()["fees"] == before


def test_fee_at_cap_accepted_and_payable_without_overflow(srv):
    """Class 1 (numbers): a fee of exactly 10,000,000,000 VND is accepted, and starting its online
    payment (amount × 100 for VNPay) does not trap."""
    code, unit = COMMUNE_PROCEDURE
    admin = admin_api(srv)
    original = procedure_input(srv, code)
    body = dict(original)
    body["fees"] = [{"name": "Lệ phí thử", "amount": 10_000_000_000}]
    try:
        resp = admin.put(f"/api/v1/procedures/{code}", json=body)
        assert_alive(srv)
        assert resp.status_code == 200, resp.text[:300]
        citizen = register_citizen(srv)
        client = api(srv, citizen["idNumber"], citizen["password"])
        from conftest import submit
        dossier = submit(client, srv, code, unit)
        assert dossier.status_code == 201, dossier.text[:300]
        pay = client.post(f"/api/v1/dossiers/{dossier.json()['code']}/payments", json={"method": "online"})
        assert_alive(srv)
        assert_no_5xx(pay)
    finally:
        admin.put(f"/api/v1/procedures/{code}", json=original)
        assert_alive(srv)

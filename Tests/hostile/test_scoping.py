"""Issue 11, class 4: scoping holes. A permission counts only at the scope the change affects.

A commune admin may not edit province-level procedures (nor their fees), and a unit admin may not
turn their own unit into a `counter` (which would widen their reach to the parent's subtree).
Real routes: `PUT /api/v1/procedures/{code}`, web `POST /thu-tuc/{code}/sua`, web `POST /admin/units/{code}`
(there is no unit-edit API).
"""
import pytest

from conftest import (COMMUNE_UNIT, PROVINCE_PROCEDURE, Client, admin_api, api, assert_alive, assert_no_5xx,
                      commune_admin, csrf_token, demo_user, procedure_input, web_login)


def test_commune_admin_cannot_change_province_procedure(srv):
    """Class 4 (scoping): a commune admin PUT /api/v1/procedures/{province procedure} → 403, nothing changed."""
    user = commune_admin(srv)
    code = PROVINCE_PROCEDURE
    body = procedure_input(srv, code)
    before = Client(srv).get(f"/api/v1/procedures/{code}").json()
    body["fees"] = [{"name": "Lệ phí do xã sửa", "amount": 1}]
    body["name"] = before["name"] + " (xã sửa)"
    resp = api(srv, user["username"], user["password"]).put(f"/api/v1/procedures/{code}", json=body)
    assert_alive(srv)
    after = Client(srv).get(f"/api/v1/procedures/{code}").json()
    if resp.status_code < 300:
        admin_api(srv).put(f"/api/v1/procedures/{code}", json=procedure_input(srv, code) | {"fees": before["fees"],
                                                                                             "name": before["name"]})
    assert resp.status_code == 403, f"{resp.status_code}: {resp.text[:300]}"
    assert after["fees"] == before["fees"] and after["name"] == before["name"]


def test_commune_admin_cannot_create_province_procedure(srv):
    """Class 4 (scoping): a commune admin may not create a procedure decided by a department → 403."""
    user = commune_admin(srv)
    body = procedure_input(srv, PROVINCE_PROCEDURE)
    body["name"] = "Thủ tục tỉnh do xã tạo"
    resp = api(srv, user["username"], user["password"]).put("/api/v1/procedures/9.999901", json=body)
    assert_alive(srv)
    if resp.status_code < 300:
        admin_api(srv).request("DELETE", "/api/v1/procedures/9.999901")
    assert resp.status_code == 403, f"{resp.status_code}: {resp.text[:300]}"


def test_commune_admin_cannot_delete_province_procedure(srv):
    """Class 4 (scoping): a commune admin DELETE of a province procedure → 403 (never 204)."""
    admin = admin_api(srv)
    body = procedure_input(srv, PROVINCE_PROCEDURE)
    body["name"] = "Thủ tục tỉnh tạm để xóa"
    created = admin.put("/api/v1/procedures/9.999902", json=body)
    assert created.status_code in (200, 201), created.text[:300]
    user = commune_admin(srv)
    resp = api(srv, user["username"], user["password"]).request("DELETE", "/api/v1/procedures/9.999902")
    assert_alive(srv)
    admin.request("DELETE", "/api/v1/procedures/9.999902")
    assert resp.status_code == 403, f"{resp.status_code}: {resp.text[:300]}"


def test_commune_admin_web_edit_of_province_procedure_refused(srv):
    """Class 4 (scoping): the web edit page /thu-tuc/{province procedure}/sua refuses a commune admin (403)."""
    user = commune_admin(srv)
    browser = web_login(srv, user["username"], user["password"])
    resp = browser.get(f"/thu-tuc/{PROVINCE_PROCEDURE}/sua")
    assert_alive(srv)
    assert_no_5xx(resp)
    assert resp.status_code == 403, resp.status_code


def _restore_type(srv, code, before, after):
    """Puts a unit's type back (as the administrator) if an attack changed it, for the tests after."""
    if after["type"] != before["type"]:
        admin = web_login(srv, "admin", srv.admin_password)
        page = admin.get(f"/admin/units/{code}")
        admin.post(f"/admin/units/{code}", data={"_csrf": csrf_token(page.text), "name": before["name"],
                                                 "shortName": before["shortName"], "type": before["type"]})


def _unit_type(srv, code):
    resp = admin_api(srv).get(f"/api/v1/units/{code}")
    assert resp.status_code == 200, resp.text[:200]
    return resp.json()


@pytest.mark.parametrize("new_type", ["counter", "province", "serviceCentre"])
def test_unit_admin_cannot_retype_own_unit(srv, new_type):
    """Class 4 (scoping): a commune admin POST /admin/units/{own commune} with type=counter (or a wider
    type) → 403, the type unchanged."""
    user = commune_admin(srv)
    code = user["unit"]
    before = _unit_type(srv, code)
    browser = web_login(srv, user["username"], user["password"])
    page = browser.get(f"/admin/units/{code}")
    assert page.status_code == 200, page.status_code
    resp = browser.post(f"/admin/units/{code}", data={"_csrf": csrf_token(page.text), "name": before["name"],
                                                      "shortName": before["shortName"], "type": new_type})
    assert_alive(srv)
    after = _unit_type(srv, code)
    _restore_type(srv, code, before, after)
    assert resp.status_code == 403, resp.status_code
    assert after["type"] == before["type"], f"type changed to {after['type']}"


def test_retyped_unit_does_not_widen_reach(srv):
    """Class 4 (scoping): whatever the edit answers, a commune admin never gains the province's users list."""
    user = commune_admin(srv)
    code = user["unit"]
    before = _unit_type(srv, code)
    browser = web_login(srv, user["username"], user["password"])
    page = browser.get(f"/admin/units/{code}")
    browser.post(f"/admin/units/{code}", data={"_csrf": csrf_token(page.text), "name": before["name"],
                                               "shortName": before["shortName"], "type": "counter"})
    client = api(srv, user["username"], user["password"], cache=False)
    resp = client.get("/api/v1/users", params={"unit": "000.00.00.H99"})
    stats = client.get("/api/v1/stats/dossiers", params={"unit": "000.00.00.H99"})
    assert_alive(srv)
    after = _unit_type(srv, code)
    _restore_type(srv, code, before, after)
    assert resp.status_code in (403, 404), resp.status_code
    assert stats.status_code in (403, 404), stats.status_code
    assert after["type"] == before["type"]


def test_commune_officer_cannot_read_other_commune_dossiers(srv):
    """Class 4 (scoping, control): a commune leader listing another commune's dossiers → 403."""
    leader = demo_user(srv, "leader", COMMUNE_UNIT)
    other = "000.00.64.H99" if leader["unit"] != "000.00.64.H99" else "000.00.31.H99"
    resp = api(srv, leader["username"], leader["password"]).get("/api/v1/dossiers", params={"unit": other})
    assert_alive(srv)
    assert resp.status_code == 403, resp.status_code

"""Issue 11, class 5: identity. Registering someone's ID number online gives no access to the
dossiers a counter officer files for that number (until the account's identity is verified), and an
online applicant may not file under another person's ID number.
"""
import pytest

from conftest import (COMMUNE_PROCEDURE, Client, api, assert_alive, assert_no_5xx, demo_user, new_id_number,
                      new_phone, register_citizen, submit)


def counter_dossier(srv, id_number: str) -> str:
    officer = demo_user(srv, "oneStopOfficer")
    client = api(srv, officer["username"], officer["password"])
    code, unit = COMMUNE_PROCEDURE
    resp = submit(client, srv, code, unit, applicant={"fullName": "Trần Văn Quầy", "idNumber": id_number,
                                                      "phone": new_phone(), "address": "Thôn Thử, xã Thử"})
    assert resp.status_code == 201, f"counter submission → {resp.status_code}: {resp.text[:300]}"
    return resp.json()["code"]


def test_squatter_registered_before_counter_dossier_sees_nothing(srv):
    """Class 5 (identity): an account registered online with ID N is NOT linked to a dossier a one-stop
    officer later files at the counter for N: 404 on the dossier, not in GET /api/v1/dossiers."""
    victim_id = new_id_number()
    squatter = register_citizen(srv, id_number=victim_id)
    code = counter_dossier(srv, victim_id)
    client = api(srv, victim_id, squatter["password"])
    show = client.get(f"/api/v1/dossiers/{code}")
    listing = client.get("/api/v1/dossiers")
    files = client.get("/api/v1/me/files")
    payments = client.get(f"/api/v1/dossiers/{code}/payments")
    assert_alive(srv)
    assert show.status_code == 404, f"unverified account reads the counter dossier: {show.status_code}"
    assert code not in [d["code"] for d in listing.json().get("items", [])]
    assert payments.status_code == 404, payments.status_code
    assert files.status_code == 200 and files.json()["total"] == 0, files.text[:200]


def test_squatter_cannot_read_counter_dossier_on_the_web(srv):
    """Class 5 (identity): the unverified account's web pages (/ho-so, /ho-so/{code}) do not show the counter dossier."""
    from conftest import web_login
    victim_id = new_id_number()
    squatter = register_citizen(srv, id_number=victim_id)
    code = counter_dossier(srv, victim_id)
    browser = web_login(srv, victim_id, squatter["password"])
    mine = browser.get("/ho-so")
    page = browser.get(f"/ho-so/{code}")
    slip = browser.get(f"/ho-so/{code}/mau/01")
    assert_alive(srv)
    assert code not in mine.text
    assert page.status_code == 404, page.status_code
    assert slip.status_code == 404, slip.status_code


def test_squatter_cannot_act_on_counter_dossier(srv):
    """Class 5 (identity): the unverified account cannot rate, pay or act on the counter dossier (404)."""
    victim_id = new_id_number()
    squatter = register_citizen(srv, id_number=victim_id)
    code = counter_dossier(srv, victim_id)
    client = api(srv, victim_id, squatter["password"])
    for resp in (client.post(f"/api/v1/dossiers/{code}/rating", json={"score": 1, "comment": "x"}),
                 client.post(f"/api/v1/dossiers/{code}/payments", json={"method": "online"}),
                 client.post(f"/api/v1/dossiers/{code}/actions/withdraw", json={"note": "rút"})):
        assert_no_5xx(resp)
        assert resp.status_code in (400, 404), f"{resp.request.url} → {resp.status_code}"
    assert_alive(srv)


@pytest.mark.parametrize("field", ["idNumber"])
def test_online_applicant_cannot_file_under_another_id(srv, field):
    """Class 5 (identity): POST /api/v1/dossiers by a citizen with applicant.idNumber = someone else's
    valid number → 400/403 and nothing stored."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    other = new_id_number()
    code, unit = COMMUNE_PROCEDURE
    resp = submit(client, srv, code, unit, applicant={"fullName": "Người Khác", field: other})
    listing = client.get("/api/v1/dossiers")
    assert_alive(srv)
    assert resp.status_code in (400, 403), f"{resp.status_code}: {resp.text[:300]}"
    assert listing.json()["total"] == 0


def test_online_applicant_cannot_file_under_registered_id(srv):
    """Class 5 (identity): filing online under the ID number of another *registered* citizen → 400/403,
    and that citizen sees nothing new."""
    victim = register_citizen(srv)
    attacker = register_citizen(srv)
    client = api(srv, attacker["idNumber"], attacker["password"])
    code, unit = COMMUNE_PROCEDURE
    resp = submit(client, srv, code, unit, applicant={"fullName": victim["fullName"], "idNumber": victim["idNumber"]})
    victims_list = api(srv, victim["idNumber"], victim["password"]).get("/api/v1/dossiers")
    assert_alive(srv)
    assert resp.status_code in (400, 403), f"{resp.status_code}: {resp.text[:300]}"
    assert victims_list.json()["total"] == 0


def test_online_applicant_own_id_still_accepted(srv):
    """Class 5 (identity, control): the applicant's own ID number (spaces around) is accepted → 201."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    code, unit = COMMUNE_PROCEDURE
    resp = submit(client, srv, code, unit, applicant={"idNumber": " " + citizen["idNumber"] + " "})
    assert_alive(srv)
    assert resp.status_code == 201, f"{resp.status_code}: {resp.text[:300]}"

"""Issue 11, class 6: races. Lockout counts every parallel failure, sign-in endpoints are limited per
address (X-Forwarded-For is not trusted by default), refresh tokens rotate exactly once and a reuse
revokes the family, one dossier never has two pending online orders, unique-constraint races answer 409.
"""
import concurrent.futures as cf
import threading

import pytest

from conftest import (PAID_PROCEDURE, Client, api, assert_alive, assert_no_5xx, citizen_payload, csrf_token,
                      get_token, new_email, new_id_number, random_address, register_citizen, submit)


def parallel(n, fn):
    """Runs fn(i) for i < n at (nearly) the same moment; returns the results in order."""
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait(timeout=10)
        except threading.BrokenBarrierError:
            pass
        return fn(i)

    with cf.ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_parallel_wrong_passwords_all_count(srv):
    """Class 6 (races): 10 parallel wrong-password POST /api/v1/auth/token, then the right one → 429 (locked)."""
    citizen = register_citizen(srv)
    answers = parallel(10, lambda i: Client(srv).post("/api/v1/auth/token", json={
        "username": citizen["idNumber"], "password": f"sai-{i}-matkhau9"}).status_code)
    resp = Client(srv).post("/api/v1/auth/token", json={"username": citizen["idNumber"], "password": citizen["password"]})
    assert_alive(srv)
    assert all(code in (401, 429) for code in answers), answers
    assert resp.status_code == 429, f"correct password after 10 parallel failures → {resp.status_code}"
    assert resp.headers.get("Retry-After"), "no Retry-After"


def test_parallel_wrong_web_logins_all_count(srv):
    """Class 6 (races): 8 parallel wrong-password POST /login then the right one → refused (429)."""
    citizen = register_citizen(srv)

    def attempt(i, password):
        client = Client(srv)
        page = client.get("/login")
        return client.post("/login", data={"_csrf": csrf_token(page.text), "username": citizen["idNumber"],
                                           "password": password})

    answers = parallel(8, lambda i: attempt(i, f"sai-{i}-matkhau9").status_code)
    final = attempt(99, citizen["password"])
    assert_alive(srv)
    assert all(code in (401, 429) for code in answers), answers
    assert final.status_code == 429, f"right password after 8 parallel failures → {final.status_code}"


def _limited(server, responses):
    """The server is up, answered no 5xx, and limited the burst with 429 + Retry-After."""
    assert_alive(server)
    for r in responses:
        assert_no_5xx(r)
    limited = [r for r in responses if r.status_code == 429]
    assert limited, "no 429 after 25 attempts in a minute: " + str(sorted({r.status_code for r in responses}))
    assert all(r.headers.get("Retry-After") for r in limited), "429 without Retry-After"


def test_token_endpoint_rate_limited_per_address(spawn_server):
    """Class 6 (races): 25 POST /api/v1/auth/token in a minute from one address (each with its own
    X-Forwarded-For, untrusted by default) → 429 with Retry-After."""
    server = spawn_server({"EGOV_PAYMENT_SANDBOX": "1"})
    responses = []
    for i in range(25):
        responses.append(Client(server, xff=random_address()).post("/api/v1/auth/token", json={
            "username": f"khongco{i}", "password": "sai-matkhau-1"}))
    _limited(server, responses)


def test_web_login_rate_limited_per_address(spawn_server):
    """Class 6 (races): 25 POST /login in a minute from one address (varying X-Forwarded-For) → 429 with Retry-After."""
    server = spawn_server({"EGOV_PAYMENT_SANDBOX": "1"})
    client = Client(server, xff=None)
    page = client.get("/login")
    token = csrf_token(page.text)
    responses = []
    for i in range(25):
        responses.append(client.post("/login", data={"_csrf": token, "username": f"khongco{i}", "password": "sai-matkhau-1"},
                                     headers={"X-Forwarded-For": random_address()}))
    _limited(server, responses)


def test_citizen_registration_rate_limited_per_address(spawn_server):
    """Class 6 (races): 25 POST /api/v1/citizens in a minute from one address (varying X-Forwarded-For) → 429."""
    server = spawn_server({"EGOV_PAYMENT_SANDBOX": "1"})
    responses = []
    for i in range(25):
        responses.append(Client(server, xff=random_address()).post("/api/v1/citizens", json=citizen_payload()))
    _limited(server, responses)


def test_concurrent_refresh_only_one_wins(srv):
    """Class 6 (races): one refresh token used by 8 concurrent POST /api/v1/auth/refresh → exactly one 200."""
    citizen = register_citizen(srv)
    pair = get_token(srv, citizen["idNumber"], citizen["password"])
    answers = parallel(8, lambda i: Client(srv).post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}))
    assert_alive(srv)
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 1, f"concurrent refreshes: {codes}"
    assert all(c in (200, 401) for c in codes), codes


def test_refresh_reuse_revokes_family(srv):
    """Class 6 (races): reusing a rotated refresh token → 401, and the token it was rotated into stops working too."""
    citizen = register_citizen(srv)
    first = get_token(srv, citizen["idNumber"], citizen["password"])
    second = Client(srv).post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text[:200]
    reuse = Client(srv).post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    successor = Client(srv).post("/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert_alive(srv)
    assert reuse.status_code == 401, reuse.status_code
    assert successor.status_code == 401, f"the rotated-into token still works after a reuse: {successor.status_code}"


def test_concurrent_online_payments_one_pending_order(srv):
    """Class 6 (races): 5 concurrent POST /api/v1/dossiers/{code}/payments {"method":"online"} → never two
    different pending orders (one txnRef for every success, the rest 409)."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    code, unit = PAID_PROCEDURE
    dossier = submit(client, srv, code, unit)
    assert dossier.status_code == 201, dossier.text[:300]
    dcode = dossier.json()["code"]
    assert dossier.json()["fee"]["amount"] > 0
    answers = parallel(5, lambda i: client.post(f"/api/v1/dossiers/{dcode}/payments", json={"method": "online"}))
    listing = client.get(f"/api/v1/dossiers/{dcode}/payments")
    assert_alive(srv)
    for r in answers:
        assert_no_5xx(r)
    ok = [r for r in answers if r.status_code in (200, 201)]
    assert ok, [r.status_code for r in answers]
    assert all(r.status_code in (200, 201, 409) for r in answers), [r.status_code for r in answers]
    refs = {r.json()["txnRef"] for r in ok}
    assert len(refs) == 1, f"{len(refs)} different orders: {refs}"
    pending = [p for p in listing.json()["items"] if p["status"] == "pending"]
    assert len(pending) <= 1, f"{len(pending)} pending orders for one dossier"


def test_sequential_online_payment_restart_reuses_pending_order(srv):
    """Class 6 (races): starting the online payment twice in a row leaves one pending order at a time."""
    citizen = register_citizen(srv)
    client = api(srv, citizen["idNumber"], citizen["password"])
    code, unit = PAID_PROCEDURE
    dossier = submit(client, srv, code, unit)
    assert dossier.status_code == 201, dossier.text[:300]
    dcode = dossier.json()["code"]
    for _ in range(2):
        assert_no_5xx(client.post(f"/api/v1/dossiers/{dcode}/payments", json={"method": "online"}))
    listing = client.get(f"/api/v1/dossiers/{dcode}/payments")
    assert_alive(srv)
    pending = [p for p in listing.json()["items"] if p["status"] == "pending"]
    assert len(pending) <= 1, f"{len(pending)} pending orders"


@pytest.mark.parametrize("same", ["idNumber", "email"])
def test_concurrent_registration_same_identity(srv, same):
    """Class 6 (races): 6 concurrent POST /api/v1/citizens with the same ID number (or e-mail) → one 201, the rest 409, never 500."""
    id_number, email = new_id_number(), new_email()

    def register(i):
        body = citizen_payload(id_number=id_number if same == "idNumber" else None,
                               email=email if same == "email" else None)
        return Client(srv).post("/api/v1/citizens", json=body).status_code

    codes = parallel(6, register)
    assert_alive(srv)
    assert codes.count(201) == 1 and codes.count(409) == 5, f"answers {codes}"

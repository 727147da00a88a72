"""Issue 11, class 9 (production defaults): the payment sandbox is an explicit opt-in
(EGOV_PAYMENT_SANDBOX=1), X-Forwarded-For is trusted only from EGOV_TRUSTED_PROXIES, /metrics is for
loopback (or a token) only.
"""
import pytest

from conftest import (PAID_PROCEDURE, Client, api, assert_alive, assert_no_5xx, register_citizen, submit)

SANDBOX_PAGE = "/payment-sandbox/paymentv2/vpcpay.html"


def test_sandbox_absent_without_opt_in(spawn_server):
    """Class 9 (production defaults): without EGOV_PAYMENT_SANDBOX=1 (and no EGOV_VNPAY_URL) the sandbox pages are 404."""
    server = spawn_server({}, unset=("EGOV_PAYMENT_SANDBOX",))
    page = Client(server).get(SANDBOX_PAGE + "?vnp_TxnRef=1&vnp_Amount=100")
    pay = Client(server).post("/payment-sandbox/paymentv2/pay", data={"decision": "paid"})
    assert_alive(server)
    assert page.status_code == 404, page.status_code
    assert pay.status_code in (403, 404), pay.status_code


def test_online_payment_unavailable_without_gateway(spawn_server):
    """Class 9 (production defaults): without a gateway or the sandbox opt-in, starting an online payment → 503 problem+json."""
    server = spawn_server({}, unset=("EGOV_PAYMENT_SANDBOX",))
    citizen = register_citizen(server)
    client = api(server, citizen["idNumber"], citizen["password"])
    code, unit = PAID_PROCEDURE
    dossier = submit(client, server, code, unit)
    assert dossier.status_code == 201, dossier.text[:300]
    resp = client.post(f"/api/v1/dossiers/{dossier.json()['code']}/payments", json={"method": "online"})
    assert_alive(server)
    assert resp.status_code == 503, f"{resp.status_code}: {resp.text[:300]}"
    assert resp.headers.get("Content-Type", "").startswith("application/problem+json")
    assert "payment-sandbox" not in resp.text


def test_sandbox_present_with_opt_in(srv):
    """Class 9 (production defaults, control): with EGOV_PAYMENT_SANDBOX=1 the sandbox page answers (not 404, not 5xx)."""
    resp = Client(srv).get(SANDBOX_PAGE)
    assert_alive(srv)
    assert_no_5xx(resp)
    assert resp.status_code != 404


def test_metrics_refused_through_proxy(spawn_server):
    """Class 9 (production defaults): EGOV_TRUSTED_PROXIES=127.0.0.1, GET /metrics with X-Forwarded-For:
    203.0.113.7 → 403/404; from plain loopback → 200."""
    server = spawn_server({"EGOV_TRUSTED_PROXIES": "127.0.0.1", "EGOV_PAYMENT_SANDBOX": "1"})
    remote = Client(server, xff="203.0.113.7").get("/metrics")
    forwarded = Client(server, xff=None).get("/metrics", headers={"Forwarded": "for=203.0.113.7"})
    local = Client(server, xff=None).get("/metrics")
    assert_alive(server)
    assert remote.status_code in (403, 404), remote.status_code
    assert forwarded.status_code in (403, 404), forwarded.status_code
    assert local.status_code == 200, local.status_code


def test_untrusted_forwarded_for_is_not_the_client_address(spawn_server):
    """Class 9 (production defaults): without trusted proxies, X-Forwarded-For: 127.0.0.1 from … loopback is
    still loopback, but a spoofed X-Forwarded-For does not lift the per-address sign-in limit (see races);
    here: /metrics with X-Forwarded-For from a server without trusted proxies is judged by the socket (200)."""
    server = spawn_server({"EGOV_PAYMENT_SANDBOX": "1"})
    resp = Client(server, xff="203.0.113.7").get("/metrics")
    assert_alive(server)
    assert resp.status_code == 200, resp.status_code


def test_metrics_from_main_loopback(srv):
    """Class 9 (production defaults, control): /metrics from loopback without forwarding headers → 200."""
    resp = Client(srv, xff=None).get("/metrics")
    assert_alive(srv)
    assert resp.status_code == 200

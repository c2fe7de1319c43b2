"""The PMS simulator as a real process: connection push, signed and forged webhooks,
folios and their documents, faults, the page, a restart."""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from loggro_app.core.clock import BOGOTA
from loggro_app.local_stack import LocalStack
from tests.integration.pms_simulator.conftest import Pms, event, sign, start

pytestmark = pytest.mark.integration


def _estado(pms: Pms, pms_document_id: str) -> str:
    doc = next(d for d in pms.state()["documents"] if d["pms_document_id"] == pms_document_id)
    return str(doc["estado"])


def test_the_connection_is_kept_and_a_retry_applies_once(pms: Pms) -> None:
    assert pms.connect("p-conn", "whs_a", event_id="conn-1").json()["duplicate"] is False
    again = pms.connect("p-conn", "whs_a", event_id="conn-1", token="lgp_not_this_one_0001")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    connection = next(c for c in pms.state()["connections"] if c["property_id"] == "p-conn")
    assert connection["token"] == "lgp_integration_token_0001"
    assert connection["organization"]["nit"] == "901234567"
    assert connection["webhook_secret_set"] is True and "webhook_secret" not in connection


def test_an_incomplete_connection_is_refused(pms: Pms) -> None:
    answer = pms.post("/api/pymes/v1/connection", {"event_id": "x", "property_id": "p",
                                                   "status": "active", "organization": {}})
    assert answer.status_code == 422


def test_a_connection_outage_answers_503_until_it_ends(pms: Pms) -> None:
    pms.post("/admin/faults", {"connection": "down", "count": 2}).raise_for_status()
    codes = [pms.connect("p-fault", "whs_f", event_id="fault-1").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert any(c["property_id"] == "p-fault" for c in pms.state()["connections"])


def test_a_signed_webhook_updates_the_folio_and_a_forged_one_is_refused(pms: Pms) -> None:
    secret = "whs_hook_secret"
    pms.connect("p-hook", secret, event_id="hook-conn")
    # The product is not running here: the push is recorded as unanswered, the folio kept.
    doc = pms.post("/admin/folios", {"guest": {"kind": "co", "name": "Ana", "id_number":
                                               "52123456"}, "nights": 2, "rate": "200000",
                                     "tip": "10000"}).json()
    assert doc["http_status"] == 0 and doc["estado"] == "No recibida"
    assert doc["payload"]["customer"]["id_type"] == "13" and doc["payload"]["tip"] == "10000.00"
    data = {"pms_document_id": doc["pms_document_id"], "kind": "invoice", "state": "accepted",
            "dian_state": "accepted", "prefix": doc["prefix"], "number": doc["number"],
            "cufe": "c" * 96, "rules": []}
    now = int(time.time())

    forged_body = event("hook-1", "p-hook", "document.accepted", data)
    forged = pms.webhook("hook-1", forged_body, sign("whs_guess", "hook-1", now, forged_body), now)
    assert forged.status_code == 401
    stale = pms.webhook("hook-1", forged_body, sign(secret, "hook-1", now - 600, forged_body),
                        now - 600)
    assert stale.status_code == 401
    assert _estado(pms, doc["pms_document_id"]) == "No recibida"

    body = event("hook-1", "p-hook", "document.accepted", data)
    good = pms.webhook("hook-1", body, sign(secret, "hook-1", now, body), now)
    assert good.status_code == 200 and good.json()["duplicate"] is False
    again = pms.webhook("hook-1", body, sign(secret, "hook-1", now, body), now)
    assert again.status_code == 200 and again.json()["duplicate"] is True

    state = pms.state()
    stored = next(d for d in state["documents"] if d["pms_document_id"] == doc["pms_document_id"])
    assert (stored["estado"], stored["cufe"]) == ("Aceptada", "c" * 96)
    log = [(w["webhook_id"], w["verdict"], w["http_status"]) for w in state["webhooks"]
           if w["webhook_id"] == "hook-1"]
    assert sorted(log) == sorted([("hook-1", "refused", 401), ("hook-1", "refused", 401),
                                  ("hook-1", "accepted", 200), ("hook-1", "duplicate", 200)])

    # An accepted folio may be voided: a credit note with its own numbering and reference.
    note = pms.post(f"/admin/folios/{doc['folio_id']}/cancel", {}).json()
    assert note["kind"] == "credit_note" and note["prefix"] == "NCH"
    assert note["payload"]["reference"] == {"pms_document_id": doc["pms_document_id"],
                                            "concept": "2",
                                            "description": f"Anulación del folio "
                                                           f"{doc['folio_id']}"}


def test_a_rejection_carries_its_rules(pms: Pms) -> None:
    secret = "whs_reject"
    pms.connect("p-rej", secret, event_id="rej-conn")
    doc = pms.post("/admin/folios", {"nights": 1, "rate": "90000"}).json()
    data = {"pms_document_id": doc["pms_document_id"], "kind": "invoice", "state": "rejected",
            "rules": [{"code": "FAD06", "message": "CUFE inválido"}]}
    now = int(time.time())
    body = event("rej-1", "p-rej", "document.rejected", data)
    assert pms.webhook("rej-1", body, sign(secret, "rej-1", now, body), now).status_code == 200
    stored = next(d for d in pms.state()["documents"]
                  if d["pms_document_id"] == doc["pms_document_id"])
    assert stored["estado"] == "Rechazada" and stored["rules"][0]["code"] == "FAD06"


def test_a_webhook_whose_body_names_another_id_is_not_applied(pms: Pms) -> None:
    pms.connect("p-mix", "whs_mix", event_id="mix-conn")
    now = int(time.time())
    body = event("mix-2", "p-mix", "consecutive.expiring", {})
    answer = pms.webhook("mix-1", body, sign("whs_mix", "mix-1", now, body), now)
    assert answer.status_code == 400


def test_consecutive_expiring_is_shown_as_a_warning(pms: Pms) -> None:
    pms.connect("p-exp", "whs_exp", event_id="exp-conn")
    data = {"kind": "invoice", "prefix": "HOT", "range_to": 5000, "valid_to": "2027-01-15",
            "numbers_left": 37, "days_left": 12}
    now = int(time.time())
    body = event("exp-1", "p-exp", "consecutive.expiring", data)
    assert pms.webhook("exp-1", body, sign("whs_exp", "exp-1", now, body), now).status_code == 200
    assert any(w["numbers_left"] == 37 for w in pms.state()["warnings"])
    page = httpx.get(pms.url + "/", timeout=10).text
    assert "quedan 37 números" in page and "vence el 2027-01-15" in page


def test_a_webhook_outage_answers_503(pms: Pms) -> None:
    pms.post("/admin/faults", {"webhooks": "down"}).raise_for_status()
    try:
        body = event("out-1", "p-hook", "consecutive.expiring", {})
        assert pms.webhook("out-1", body, "v1=" + "0" * 64).status_code == 503
    finally:
        httpx.delete(pms.url + "/admin/faults", timeout=10).raise_for_status()


def test_the_page_shows_the_connection_the_form_and_the_documents(pms: Pms) -> None:
    pms.connect("p-page", "whs_page", event_id="page-conn", token="lgp_page_token_shown_42")
    created = httpx.post(pms.url + "/folios", data={
        "kind": "foreign", "name": "John Smith", "id_number": "X1234567", "country_code": "US",
        "entry_date": "2026-11-28", "migration_document": "TMF-1", "nights": "2",
        "rate": "300000", "breakfasts": "0",
        "breakfast_price": "0", "minibar": "0", "tip": "0"}, timeout=10)
    assert created.status_code == 303 and created.headers["location"] == "/"
    page = httpx.get(pms.url + "/", timeout=10)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert 'name="viewport" content="width=device-width' in html
    assert '<form id="folio-form" method="post" action="/folios">' in html
    assert "Facturar y enviar" in html and "Resolución de facturación" in html
    assert '<code id="pms-token">lgp_page_token_shown_42</code>' in html
    assert "whs_page" not in html  # the webhook secret is never shown
    assert "Estado Pymes" in html and "No recibida" in html
    assert "http://" not in html.split("<dt>API</dt>")[0]  # no external assets
    refused = httpx.post(pms.url + "/folios", data={"kind": "co", "name": "Ana",
                                                     "id_number": "1a", "rate": "1"},
                         timeout=10)
    assert "C%C3%A9dula" in refused.headers["location"]


def test_the_state_survives_a_restart(tmp_path: Path) -> None:
    first = start(tmp_path / "data", tmp_path)
    try:
        first.connect("p-restart", "whs_r", event_id="restart-1")
        answer = httpx.put(first.url + "/admin/resolution/invoice", json={
            "prefix": "HOTX", "range_from": 10, "range_to": 20, "valid_from": "2026-01-01",
            "valid_to": "2027-12-31"}, timeout=10)
        assert answer.status_code == 200
        first.post("/admin/folios", {"nights": 1, "rate": "100000"}).raise_for_status()
    finally:
        first.stack.stop()
    second = start(tmp_path / "data", tmp_path)
    try:
        state = second.state()
        assert [c["property_id"] for c in state["connections"]] == ["p-restart"]
        assert state["resolutions"]["invoice"]["prefix"] == "HOTX"
        assert [(d["prefix"], d["number"]) for d in state["documents"]] == [("HOTX", 10)]
    finally:
        second.stack.stop()


class _Intake(BaseHTTPRequestHandler):
    """Answers as Pymes's intake does (pms-api.md section 2): the first document 422 with
    the problem's errors, the rest 201 with their status. The product's own endpoint is
    tested with the product; here only what the simulator does with the answers."""

    seen: list[tuple[str, str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append((self.path, self.headers["Authorization"], body))
        if len(self.seen) == 1:
            status, answer = 422, {
                "type": "https://loggro.co/problems/validation", "title": "Datos inválidos",
                "status": 422, "detail": "El documento tiene 1 error.",
                "errors": [{"field": "prefix", "rule": "FAB10b",
                            "message": "El prefijo «HOT» no es el del consecutivo (HOTX)."}]}
            kind = "application/problem+json"
        else:
            status, kind = 201, "application/json"
            answer = {"pms_document_id": body["pms_document_id"], "kind": body["kind"],
                      "state": "received", "prefix": body["prefix"], "number": body["number"]}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def test_the_answers_to_our_pushes_are_kept_and_shown(pms: Pms) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Intake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/api/pms/v1"
        pms.connect("p-push", "whs_push", event_id="push-conn", token="lgp_push_token_0001",
                    api_base_url=base)
        refused = pms.post("/admin/folios", {"nights": 1, "rate": "120000"}).json()
        assert refused["http_status"] == 422 and refused["estado"] == "No recibida"
        assert refused["answer"]["errors"][0]["rule"] == "FAB10b"
        page = httpx.get(pms.url + "/", timeout=10).text
        assert "Datos inválidos" in page and "El documento tiene 1 error." in page
        assert "prefix [FAB10b]: El prefijo «HOT» no es el del consecutivo (HOTX)." in page
        again = pms.post(f"/admin/documents/{refused['pms_document_id']}/send").json()
        assert again["http_status"] == 201 and again["estado"] == "Pendiente"
        path, authorization, body = _Intake.seen[-1]
        assert path == "/api/pms/v1/documents"
        assert authorization == "Bearer lgp_push_token_0001"
        assert body == refused["payload"]  # a resend is the same body
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_default_resolutions_come_from_the_environment(tmp_path: Path) -> None:
    stack = LocalStack(log_dir=tmp_path, app_url="http://127.0.0.1:9",
                       pms_data_dir=str(tmp_path / "data"))
    stack.services.append(stack.start_pms({
        **os.environ, "LOGGRO_PMS_INVOICE_PREFIX": "HOTZ", "LOGGRO_PMS_NOTE_RANGE": "7-9",
        "LOGGRO_PMS_VALID_DAYS_AFTER": "10"}))
    try:
        url = stack.env()["LOGGRO_PMS_SIMULATOR_URL"]
        resolutions = httpx.get(url + "/admin/state", timeout=10).json()["resolutions"]
    finally:
        stack.stop()
    today = datetime.now(BOGOTA).date()
    assert resolutions["invoice"] == {
        "prefix": "HOTZ", "range_from": 1, "range_to": 5000,
        "valid_from": (today - timedelta(days=30)).isoformat(),
        "valid_to": (today + timedelta(days=10)).isoformat()}
    assert (resolutions["credit_note"]["prefix"], resolutions["credit_note"]["range_from"],
            resolutions["credit_note"]["range_to"]) == ("NCH", 7, 9)

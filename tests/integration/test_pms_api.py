"""The hotel PMS integration end to end over real HTTP: the app's API served on a free
127.0.0.1 port, DBOS launched, the real DIAN sandbox, SMTP server and PMS simulator.

The token is pushed to the simulator; the simulator pushes folios; the API refuses what
DIAN would refuse naming the field; the same document sent 20 times at once is one
document; accepted documents reach the simulator as signed webhooks it verifies.
"""

from __future__ import annotations

import itertools
import random
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlmodel import Session, func, select

from loggro_app.core.clock import BOGOTA
from loggro_app.models import (
    Numbering,
    PmsConnection,
    PmsIntake,
    PmsNotice,
    PmsToken,
    SalesDocument,
)
from loggro_app.services import pms_connection
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope

pytestmark = pytest.mark.integration
BODY_LIMIT = 256 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Api:
    """The FastAPI app on its own uvicorn server in a thread, stopped at the end."""

    def __init__(self) -> None:
        from loggro_app.api import api

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Api:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def hotel(session: Session, db_url: str, link: DianLink, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch, stack_env: dict[str, str]) -> Iterator[dict[str, Any]]:
    from loggro_app.api import pms as pms_api
    from loggro_app.durable import pms as pms_work
    from loggro_app.services.secrets import secret_box
    from tests.integration.issuing_env import configure, durable_running, seed_seller

    configure(monkeypatch, tmp_path, db_url, link)
    secret_box.cache_clear()
    monkeypatch.setenv("LOGGRO_PMS_RETRY_BASE_SECONDS", "1")
    pms_api._limits.clear()
    scope = seed_seller(session)
    with Api() as api:
        monkeypatch.setenv("LOGGRO_PUBLIC_URL", api.url)
        from loggro_app.settings import get_settings

        get_settings.cache_clear()
        simulator = stack_env["LOGGRO_PMS_SIMULATOR_URL"]
        with durable_running():
            saved = pms_connection.save_settings(session=session, scope=scope, enabled=True,
                                                 pms_url=simulator)
            assert saved.token and saved.push_round and saved.connection.id
            pms_work.start_push(scope.organization_id, saved.connection.id, saved.push_round)
            yield {"scope": scope, "token": saved.token, "api": api.url, "pms": simulator,
                   "property": saved.connection.property_id}
    secret_box.cache_clear()


def _wait(check: Any, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("timed out")


def _connection_at_pms(hotel: dict[str, Any]) -> dict[str, Any]:
    state = httpx.get(hotel["pms"] + "/admin/state", timeout=10).json()
    return next((c for c in state["connections"] if c["property_id"] == hotel["property"]
                 and c.get("token") == hotel["token"]), {})


def folio(number_: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pms_document_id": f"FOLIO-{number_}", "kind": "invoice", "prefix": "HOT",
        "number": number_, "issue_date": datetime.now(BOGOTA).date().isoformat(),
        "customer": {"id_type": "13", "id_number": "52345678", "name": "Carolina Duarte Ríos",
                     "address": "Carrera 7 # 45-10", "municipality_code": "11001",
                     "email": "carolina.duarte@correo.example"},
        "lines": [{"category": "lodging", "description": "Noche habitación sencilla",
                   "quantity": "2", "unit_price": "210000.00", "tax": "IVA_19"},
                  {"category": "minibar", "description": "Agua y snacks", "quantity": "1",
                   "unit_price": "16000.00", "tax": "IVA_19"}],
        "tip": "10000.00",
    }
    body.update(changes)
    return body


def _post(hotel: dict[str, Any], body: Any, token: str | None = None,
          **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token or hotel['token']}"} if token != "" else {}
    return httpx.post(hotel["api"] + "/api/pms/v1/documents", json=body, timeout=30,
                      headers={**auth, **headers})


# The sandbox outlives each test's database and refuses a number it accepted before
# (rule 90): each test takes its own block of HOT 1-5000, never shared with another.
_BLOCK = 150
_blocks = itertools.count(1, _BLOCK)


def _numbers() -> Iterator[int]:
    start = next(_blocks)
    assert start + _BLOCK - 1 <= 5000, "HOT 1-5000 has no block left"
    return iter(range(start, start + _BLOCK))


def test_a_folio_is_issued_and_the_pms_hears_it_signed(session: Session,
                                                       hotel: dict[str, Any]) -> None:
    assert _wait(lambda: _connection_at_pms(hotel)), "the token never reached the PMS"
    number = next(_numbers())
    answer = _post(hotel, folio(number))
    assert answer.status_code == 201, answer.text
    assert answer.json()["state"] == "issuing" and answer.json()["number"] == number
    status_url = hotel["api"] + f"/api/pms/v1/documents/FOLIO-{number}"
    auth = {"Authorization": f"Bearer {hotel['token']}"}

    def accepted() -> dict[str, Any] | None:
        body = httpx.get(status_url, headers=auth, timeout=10).json()
        return body if body["state"] in ("accepted", "rejected") else None

    status = _wait(accepted, 90)
    assert status["state"] == "accepted", status
    assert len(status["cufe"]) == 96
    # 2 x 210.000 + 16.000 + IVA 19 % + the tip outside the base
    assert status["total"] in ("528840.00", "528840")
    assert httpx.get(status["links"]["xml"], headers=auth, timeout=10).content.startswith(b"<")
    row = session.exec(select(SalesDocument).where(SalesDocument.number == number,
                                                   SalesDocument.prefix == "HOT")).one()
    assert row.origin == "alojamientos"
    # issuing moved the consecutive's next number past the one the PMS used
    consecutive = session.get(Numbering, row.numbering_id)
    assert consecutive is not None
    session.refresh(consecutive)
    assert consecutive.next_number > number

    def heard() -> dict[str, Any] | None:
        state = httpx.get(hotel["pms"] + "/admin/state", timeout=10).json()
        return next((w for w in state["webhooks"]
                     if w["webhook_id"].endswith(f"-{row.id}-accepted-r0")), None)

    webhook = _wait(heard, 60)
    # the simulator checked our signature with its own implementation
    assert (webhook["verdict"], webhook["http_status"]) == ("accepted", 200), webhook
    session.expire_all()
    notice = session.exec(select(PmsNotice).where(PmsNotice.document_id == row.id)).one()
    assert notice.state == "delivered" and notice.attempts >= 1
    # the same body again: the same document, 200
    again = _post(hotel, folio(number))
    assert again.status_code == 200 and again.json()["state"] == "accepted"


def test_refusals_name_the_field_and_store_nothing(session: Session,
                                                   hotel: dict[str, Any]) -> None:
    number = next(_numbers())
    cases = [
        (folio(number, prefix="HOTX"), 422, "prefix", "FAB10b"),
        (folio(number, number=5001), 422, "number", "FAD05c"),
        (folio(number, issue_date="2036-01-02"), 422, "issue_date", "FAB07b"),
        (folio(number, lines=[{"category": "lodging", "description": "Noche",
                               "quantity": "1", "unit_price": "1.234", "tax": "IVA_19"}]),
         422, "lines.0.unit_price", None),
        (folio(number, lines=[{"category": "lodging", "description": "Noche", "quantity": 1,
                               "unit_price": "100000", "tax": "IVA_0"}]),
         422, "lines.0.tax", None),
    ]
    for body, status, field, rule in cases:
        answer = _post(hotel, body)
        assert answer.status_code == status, (field, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        errors = {(e["field"], e.get("rule")) for e in answer.json()["errors"]}
        assert any(f == field and (rule is None or r == rule) for f, r in errors), errors
    malformed = httpx.post(hotel["api"] + "/api/pms/v1/documents", content=b"{nope",
                           headers={"Authorization": f"Bearer {hotel['token']}",
                                    "Content-Type": "application/json"}, timeout=10)
    assert malformed.status_code == 400
    huge = httpx.post(hotel["api"] + "/api/pms/v1/documents", content=b" " * (BODY_LIMIT + 1),
                      headers={"Authorization": f"Bearer {hotel['token']}",
                               "Content-Type": "application/json"}, timeout=10)
    assert huge.status_code == 413
    for token in ("", "lgp_wrong", hotel["token"][:-2] + "xx"):
        assert _post(hotel, folio(number), token=token).status_code == 401
    assert session.exec(select(func.count()).select_from(PmsIntake)).one() == 0


def test_twenty_at_once_are_one_document(session: Session, hotel: dict[str, Any]) -> None:
    number = next(_numbers())
    body = folio(number)
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: _post(hotel, body), range(20)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * 19 + [201], [a.text for a in answers if a.status_code >= 300]
    assert len({a.json()["number"] for a in answers}) == 1
    session.expire_all()
    assert session.exec(select(func.count()).select_from(SalesDocument).where(
        SalesDocument.origin == "alojamientos")).one() == 1
    # another body under the same id, and another id under a taken number: 409
    assert _post(hotel, folio(number, notes="otra")).status_code == 409
    taken = _post(hotel, folio(number, pms_document_id="OTRO-1"))
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "number"
    # the same Idempotency-Key with another document: 409
    second = next(_numbers())
    assert _post(hotel, folio(second), **{"Idempotency-Key": "k-1"}).status_code == 201
    clash = _post(hotel, folio(second + 1), **{"Idempotency-Key": "k-1"})
    assert clash.status_code == 409


def test_tokens_rotated_revoked_and_other_properties(session: Session,
                                                     hotel: dict[str, Any]) -> None:
    scope: Scope = hotel["scope"]
    old = hotel["token"]
    number = next(_numbers())
    assert _post(hotel, folio(number)).status_code == 201
    rotated = pms_connection.rotate(session=session, scope=scope)
    assert rotated.token
    status_path = f"/api/pms/v1/documents/FOLIO-{number}"

    def get(token: str) -> httpx.Response:
        return httpx.get(hotel["api"] + status_path, timeout=10,
                         headers={"Authorization": f"Bearer {token}"})

    assert get(old).status_code == 200  # inside the 48 hours
    assert get(rotated.token).status_code == 200
    row = session.exec(select(PmsToken).where(
        PmsToken.token_hash == pms_connection.hash_token(old))).one()
    row.valid_until = datetime.now(BOGOTA) - timedelta(seconds=1)  # the 48 hours went by
    session.add(row)
    session.commit()
    assert get(old).status_code == 401
    # another property's token does not see this property's documents
    other = _other_property(session)
    assert get(other).status_code == 404
    # No: every token stops working at once
    pms_connection.save_settings(session=session, scope=scope, enabled=False, pms_url="")
    assert get(rotated.token).status_code == 401


def _other_property(session: Session) -> str:
    from loggro_app.seed import load_demo

    load_demo(session, password="Demo2026*")
    from loggro_app.models import Organization

    org = session.exec(select(Organization).where(Organization.trade_name == "Tienda Demo")).one()
    assert org.id is not None
    now = datetime.now(BOGOTA)
    connection = PmsConnection(organization_id=org.id, property_id="p-otra", enabled=True,
                               pms_url="http://127.0.0.1:9", updated_at=now)
    session.add(connection)
    session.flush()
    token = "lgp_" + "o" * 43
    session.add(PmsToken(connection_id=connection.id or 0,
                         token_hash=pms_connection.hash_token(token), created_at=now))
    session.commit()
    return token


def test_a_flood_is_told_to_wait(hotel: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from loggro_app.api import pms as pms_api

    monkeypatch.setenv("LOGGRO_PMS_RATE_PER_SECOND", "1")
    monkeypatch.setenv("LOGGRO_PMS_RATE_BURST", "3")
    pms_api._limits.clear()
    answers = [httpx.get(hotel["api"] + "/api/pms/v1/documents/NADA", timeout=10,
                         headers={"Authorization": f"Bearer {hotel['token']}"})
               for _ in range(5)]
    assert [a.status_code for a in answers[:3]] == [404, 404, 404]
    assert answers[3].status_code == 429 and int(answers[3].headers["retry-after"]) >= 1
    pms_api._limits.clear()


def _final(hotel: dict[str, Any], pms_id: str, kind: str = "invoice",
           seconds: float = 90) -> dict[str, Any]:
    url = hotel["api"] + f"/api/pms/v1/documents/{pms_id}?kind={kind}"
    auth = {"Authorization": f"Bearer {hotel['token']}"}

    def ended() -> dict[str, Any] | None:
        body: dict[str, Any] = httpx.get(url, headers=auth, timeout=10).json()
        return body if body["state"] in ("accepted", "rejected", "failed") else None

    return dict(_wait(ended, seconds))


def test_a_cancellation_is_a_credit_note_and_a_down_pms_is_retried(
        session: Session, hotel: dict[str, Any]) -> None:
    numbers = _numbers()
    number = next(numbers)
    # the PMS answers 503 to the first two webhooks: the third attempt delivers
    httpx.post(hotel["pms"] + "/admin/faults", json={"webhooks": "down", "count": 2},
               timeout=10)
    try:
        assert _post(hotel, folio(number)).status_code == 201
        assert _final(hotel, f"FOLIO-{number}")["state"] == "accepted"
        row = session.exec(select(SalesDocument).where(SalesDocument.prefix == "HOT",
                                                       SalesDocument.number == number)).one()

        def delivered() -> PmsNotice | None:
            session.expire_all()
            notice = session.exec(select(PmsNotice).where(
                PmsNotice.document_id == row.id)).one_or_none()
            return notice if notice is not None and notice.state == "delivered" else None

        notice = _wait(delivered, 60)
        assert notice.attempts == 3 and notice.last_status == 200
    finally:
        httpx.delete(hotel["pms"] + "/admin/faults", timeout=10)
    note_number = next(numbers)
    note = {
        "pms_document_id": f"NC-{note_number}", "kind": "credit_note", "prefix": "NCH",
        "number": note_number, "issue_date": datetime.now(BOGOTA).date().isoformat(),
        "customer": folio(number)["customer"],
        "lines": folio(number)["lines"],
        "reference": {"pms_document_id": f"FOLIO-{number}", "concept": "2",
                      "description": "Anulación del folio"},
    }
    answer = _post(hotel, note)
    assert answer.status_code == 201, answer.text
    status = _final(hotel, f"NC-{note_number}", "credit_note")
    assert status["state"] == "accepted", status
    # a second cancellation of the same invoice would credit more than is left
    again = _post(hotel, {**note, "pms_document_id": f"NC-{note_number}-b",
                          "number": note_number + 1})
    assert again.status_code == 422 and "acreditar" in again.text


def test_dian_rejects_a_number_our_consecutive_allowed_and_the_pms_hears_why(
        session: Session, hotel: dict[str, Any]) -> None:
    from loggro_app.models import Numbering

    # the consecutive here says 1-9000; DIAN authorised 1-5000 (FAD05c)
    consecutive = session.exec(select(Numbering).where(Numbering.prefix == "HOT")).one()
    consecutive.range_to = 9000
    session.add(consecutive)
    session.commit()
    number = random.randrange(5001, 9000)
    assert _post(hotel, folio(number)).status_code == 201
    status = _final(hotel, f"FOLIO-{number}")
    assert status["state"] == "rejected"
    assert "FAD05c" in {rule["code"] for rule in status["rules"]}

    def heard() -> dict[str, Any] | None:
        state = httpx.get(hotel["pms"] + "/admin/state", timeout=10).json()
        return next((w for w in state["webhooks"] if w["type"] == "document.rejected"
                     and w["verdict"] == "accepted"), None)

    try:
        _wait(heard, 120)
    except AssertionError:
        session.expire_all()
        notices = [(n.event_id, n.state, n.attempts, n.last_status, n.last_error)
                   for n in session.exec(select(PmsNotice)).all()]
        hooks = httpx.get(hotel["pms"] + "/admin/state", timeout=10).json()["webhooks"][:5]
        raise AssertionError(f"the PMS did not hear the rejection: {notices} {hooks}") from None

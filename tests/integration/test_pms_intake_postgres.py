"""The PMS intake on PostgreSQL, where requests really run side by side: one new guest in
ten folios received at once is one customer, and every folio is a document.

There DBOS keeps its tables in the app's own database: a document's issuing is queued in the
transaction that stores it, so the two are committed together or not at all, and a worker
cannot take the work before the document exists (the stack of test_pms_api.py: API over
HTTP, DBOS launched, DIAN sandbox, simulator).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from loggro_app.core.clock import BOGOTA
from loggro_app.db import get_engine
from loggro_app.durable import issuing
from loggro_app.durable import pms as pms_work
from loggro_app.models import Customer, PmsConnection, PmsIntake, SalesDocument
from loggro_app.pms.schema import PmsDocumentIn
from loggro_app.services import pms_connection, pms_intake
from loggro_app.services.dian_link import DianLink
from tests.integration import test_pms_api
from tests.integration.issuing_env import configure, seed_seller
from tests.integration.test_pms_api import _connection_at_pms, _numbers, _post, _wait

pytestmark = pytest.mark.integration
hotel = test_pms_api.hotel  # the same stack, here on PostgreSQL (db_url below)
GUEST = {"id_type": "13", "id_number": "80111222", "name": "Julián Pardo Mesa",
         "address": "Calle 10 # 4-20", "municipality_code": "11001",
         "email": "julian.pardo@correo.example"}


def folio(number: int) -> PmsDocumentIn:
    return PmsDocumentIn.model_validate({
        "pms_document_id": f"GRUPO-{number}", "kind": "invoice", "prefix": "HOT",
        "number": number, "issue_date": datetime.now(BOGOTA).date().isoformat(),
        "customer": GUEST,
        "lines": [{"category": "lodging", "description": "Noche habitación doble",
                   "quantity": "1", "unit_price": "250000.00", "tax": "IVA_19"}]})


def test_one_new_guest_in_ten_folios_at_once(postgres_url: str, link: DianLink,
                                             tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, tmp_path, postgres_url, link)
    engine = get_engine(postgres_url)
    with Session(engine, expire_on_commit=False) as session:
        scope = seed_seller(session)
        saved = pms_connection.save_settings(session=session, scope=scope, enabled=True,
                                             pms_url="http://127.0.0.1:9")
        connection_id = saved.connection.id

    def receive(number: int) -> bool:
        with Session(engine, expire_on_commit=False) as own:
            connection = own.get(PmsConnection, connection_id)
            assert connection is not None
            return pms_intake.receive(session=own, connection=connection,
                                      document=folio(number), idempotency_key=None,
                                      base_url="http://127.0.0.1:9/api/pms/v1").created

    # Every request finds no such guest and creates it: one wins, the others find it when
    # they try again. None is refused as a taken number.
    with ThreadPoolExecutor(10) as pool:
        created = list(pool.map(receive, range(4001, 4011)))
    assert created == [True] * 10
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Customer).where(
            Customer.identification_number == GUEST["id_number"])).one() == 1
        assert session.exec(select(func.count()).select_from(SalesDocument).where(
            SalesDocument.origin == "alojamientos")).one() == 10


@pytest.fixture
def db_url(postgres_url: str) -> str:
    return postgres_url


def _workflow(url: str, organization_id: int, document_id: int) -> tuple[str, str] | None:
    """(status, queue) of the document's issuing workflow, read on a connection of its own."""
    with get_engine(url).connect() as conn:
        row = conn.execute(text(
            "SELECT status, queue_name FROM dbos.workflow_status WHERE workflow_uuid = :id"),
            {"id": issuing.workflow_id(organization_id, document_id)}).first()
    return None if row is None else (row[0], row[1])


def test_a_folio_and_its_issuing_are_committed_together(
        session: Session, db_url: str, hotel: dict[str, Any]) -> None:
    assert _wait(lambda: _connection_at_pms(hotel)), "the token never reached the PMS"
    numbers = _numbers()
    connection = session.exec(select(PmsConnection).where(
        PmsConnection.property_id == hotel["property"])).one()
    organization_id = connection.organization_id
    seen: dict[str, Any] = {}

    class Interrupted(Exception):
        pass

    def queue_then_fail(inner: Session, org_id: int, document_id: int) -> bool:
        assert pms_work.enqueue_issue_in(inner, org_id, document_id)
        # inside the transaction: another connection sees neither the work nor the document
        seen["workflow"] = _workflow(db_url, org_id, document_id)
        seen["document"] = document_id
        raise Interrupted  # the process dies before the commit

    number = next(numbers)
    body = test_pms_api.folio(number, pms_document_id=f"PG-{number}")
    document = PmsDocumentIn.model_validate(body)
    with Session(get_engine(db_url), expire_on_commit=False) as inner, \
            pytest.raises(Interrupted):
        pms_intake.receive(session=inner, connection=connection, document=document,
                           idempotency_key=None, base_url="http://127.0.0.1",
                           queue_issue=queue_then_fail)
    assert seen["workflow"] is None
    # rolled back: no document, no intake, no workflow left behind
    assert session.get(SalesDocument, seen["document"]) is None
    assert session.exec(select(func.count()).select_from(PmsIntake).where(
        PmsIntake.pms_document_id == f"PG-{number}")).one() == 0
    assert _workflow(db_url, organization_id, seen["document"]) is None

    # over HTTP: the answer comes after the commit of both, and the worker issues it
    answer = _post(hotel, body)
    assert answer.status_code == 201, answer.text
    row = session.exec(select(SalesDocument).where(SalesDocument.number == number,
                                                   SalesDocument.prefix == "HOT")).one()
    assert row.id is not None and row.id != seen["document"]
    found = _workflow(db_url, organization_id, row.id)
    assert found is not None and found[1] == issuing.QUEUE, found
    auth = {"Authorization": f"Bearer {hotel['token']}"}

    def settled() -> dict[str, Any] | None:
        body = httpx.get(hotel["api"] + f"/api/pms/v1/documents/PG-{number}", headers=auth,
                         timeout=10).json()
        return body if body["state"] in ("accepted", "rejected") else None

    assert _wait(settled, 90)["state"] == "accepted"
    assert _workflow(db_url, organization_id, row.id) == ("SUCCESS", issuing.QUEUE)

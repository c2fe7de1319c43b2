"""The PMS intake on PostgreSQL, where requests really run side by side: one new guest in
ten folios received at once is one customer, and every folio is a document."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from loggro_app.core.clock import BOGOTA
from loggro_app.db import get_engine
from loggro_app.models import Customer, PmsConnection, SalesDocument
from loggro_app.pms.schema import PmsDocumentIn
from loggro_app.services import pms_connection, pms_intake
from loggro_app.services.dian_link import DianLink
from tests.integration.issuing_env import configure, seed_seller

pytestmark = pytest.mark.integration
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

"""Receiving a supplier's invoice into La Ceiba's books: registered once, counted once,
quarantined with its reasons when it is not genuine or not addressed to La Ceiba, and
registered even with no documents left in the plan (reception is mandatory)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlmodel import Session, func, select

from loggro_app.core import plans, quota
from loggro_app.core.clock import BOGOTA, to_utc
from loggro_app.core.errors import ConflictError, NotFoundError
from loggro_app.dian import demo_enabled
from loggro_app.models import (
    Customer,
    LedgerMovement,
    ReceivedInvoice,
    ReceivedMessage,
    User,
)
from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
from loggro_app.services import customers, ledger, reception
from loggro_app.services.plan_summary import plan_summary
from loggro_app.services.scope import Scope
from tests.unit.reception.package import BUYER_NIT, addressed_to, tampered

PASSWORD = "Demo2026*"


@pytest.fixture
def ceiba(session: Session) -> Scope:
    assert load_enabled_demo(session, password=PASSWORD)
    user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
    assert user.id is not None
    return Scope(user.organization_id, user.id, user.role, user.is_principal)


def genuine() -> bytes:
    return addressed_to(demo_enabled.NIT, demo_enabled.DV, demo_enabled.LEGAL_NAME)


def receive(session: Session, scope: Scope, data: bytes,
            source: str = "carga") -> reception.Reception:
    return reception.receive_package(session=session, organization_id=scope.organization_id,
                                     data=data, source=source, sender="camila@laceiba.co",
                                     subject="factura.zip")


def consumptions(session: Session, scope: Scope) -> list[LedgerMovement]:
    return list(session.exec(select(LedgerMovement).where(
        LedgerMovement.organization_id == scope.organization_id,
        LedgerMovement.document_kind == plans.PURCHASE_RECEPTION,
        LedgerMovement.kind.in_([quota.PLAN_CONSUME, quota.PACK_CONSUME]))).all())  # type: ignore[attr-defined]


def count(session: Session, model: type) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def test_a_genuine_invoice_is_registered_and_counted_once(session: Session,
                                                           ceiba: Scope) -> None:
    before = ledger.balance(session=session, organization_id=ceiba.organization_id)
    done = receive(session, ceiba, genuine())
    assert done.outcome == reception.REGISTERED, done.reasons
    assert done.invoice_id is not None and done.number == "SETP990000001"
    row = reception.get_received(session=session, scope=ceiba, invoice_id=done.invoice_id)
    assert (row.supplier_nit, row.supplier_dv, row.type_code) == ("900123456", "8", "01")
    assert row.payable == Decimal("362851.05") and row.currency == "COP"
    assert json.loads(row.taxes) == {"01": "35250.05", "04": "4800.00"}
    assert row.tax_total == Decimal("40050.05")
    assert len(json.loads(row.lines)) == 5 and row.pdf and row.response_xml
    assert row.status == "validada" and len(row.cufe) == 96
    message = session.get(ReceivedMessage, done.message_id)
    assert message is not None and message.raw == genuine()
    assert (message.outcome, message.source) == ("registered", "carga")
    # the supplier became a contact: NIT with its DV, the name on the invoice
    supplier = session.get(Customer, row.supplier_customer_id)
    assert supplier is not None
    assert (supplier.identification_type, supplier.identification_number, supplier.dv) == (
        "31", "900123456", 8)
    assert supplier.name == row.supplier_name
    # one document of the plan, keyed by the CUFE
    moves = consumptions(session, ceiba)
    assert [m.document_key for m in moves] == [row.cufe]
    after = ledger.balance(session=session, organization_id=ceiba.organization_id)
    assert after.plan_used == before.plan_used + 1
    # a supplier with invoices cannot be deleted from under them
    with pytest.raises(ConflictError, match="facturas recibidas"):
        customers.delete_customer(session=session, scope=ceiba, customer_id=supplier.id or 0)


def test_the_same_package_twice_is_one_invoice_and_one_document(session: Session,
                                                                ceiba: Scope) -> None:
    first = receive(session, ceiba, genuine())
    second = receive(session, ceiba, genuine(), source="correo")
    assert first.outcome == reception.REGISTERED
    assert second.outcome == reception.DUPLICATED
    assert second.invoice_id == first.invoice_id
    assert "ya se había recibido" in second.reasons[0]
    assert count(session, ReceivedInvoice) == 1
    assert count(session, ReceivedMessage) == 2  # both kept as evidence
    assert len(consumptions(session, ceiba)) == 1
    suppliers = session.exec(select(Customer).where(
        Customer.identification_number == "900123456")).all()
    assert len(suppliers) == 1


def test_the_database_decides_a_duplicate_the_lookup_missed(session: Session, ceiba: Scope,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Two deliveries racing: both pass the lookup; the UNIQUE constraint stops the second.
    receive(session, ceiba, genuine())
    monkeypatch.setattr(reception._KnownCufes, "__contains__", lambda self, cufe: False)
    again = receive(session, ceiba, genuine())
    assert again.outcome == reception.DUPLICATED
    assert count(session, ReceivedInvoice) == 1
    assert len(consumptions(session, ceiba)) == 1


def test_a_tampered_invoice_is_quarantined_with_its_reasons(session: Session,
                                                            ceiba: Scope) -> None:
    before = ledger.balance(session=session, organization_id=ceiba.organization_id)
    done = receive(session, ceiba, tampered(genuine()))
    assert done.outcome == reception.QUARANTINED and done.invoice_id is None
    assert any(r.startswith("Firma del proveedor") for r in done.reasons), done.reasons
    assert count(session, ReceivedInvoice) == 0 and consumptions(session, ceiba) == []
    assert ledger.balance(session=session, organization_id=ceiba.organization_id) == before
    listed = reception.list_quarantined(session=session, scope=ceiba)
    assert listed.total == 1
    assert reception.reasons_of(listed.rows[0]) == done.reasons
    assert listed.rows[0].raw == tampered(genuine())


def test_an_invoice_to_another_buyer_is_quarantined(session: Session, ceiba: Scope) -> None:
    other = addressed_to(BUYER_NIT, 4, "Comercializadora Andina")
    done = receive(session, ceiba, other)
    assert done.outcome == reception.QUARANTINED
    assert any(f"no a {demo_enabled.NIT}" in r for r in done.reasons), done.reasons
    assert count(session, ReceivedInvoice) == 0 and consumptions(session, ceiba) == []


def test_with_no_documents_left_it_is_still_registered_and_overdrawn(session: Session,
                                                                      ceiba: Scope) -> None:
    now = to_utc(datetime.now(BOGOTA))
    start = ledger.balance(session=session, organization_id=ceiba.organization_id)
    session.add_all([LedgerMovement(organization_id=ceiba.organization_id,
                                    kind=quota.PLAN_CONSUME, at=now, quantity=1,
                                    document_key=f"FE-used-{n}", document_kind=plans.INVOICE)
                     for n in range(start.plan_available)])
    session.commit()
    spent = ledger.balance(session=session, organization_id=ceiba.organization_id)
    assert spent.available_total == 0 and spent.overdrawn == 0
    done = receive(session, ceiba, genuine())
    assert done.outcome == reception.REGISTERED
    after = ledger.balance(session=session, organization_id=ceiba.organization_id)
    assert after.overdrawn == 1 and after.plan_used == after.plan_allotment + 1
    assert len(consumptions(session, ceiba)) == 1
    assert "sin documentos disponibles" in consumptions(session, ceiba)[0].reason
    shown = plan_summary(session=session, organization_id=ceiba.organization_id)
    assert shown.overdrawn == 1 and shown.available_total == 0


def test_the_grid_filters_sorts_and_stays_in_the_organization(session: Session,
                                                              ceiba: Scope) -> None:
    done = receive(session, ceiba, genuine())
    assert done.invoice_id is not None
    page = reception.list_received(session=session, scope=ceiba)
    assert [r.id for r in page.rows] == [done.invoice_id] and page.total == 1

    def found(**filters: object) -> int:
        return reception.list_received(session=session, scope=ceiba,
                                       filters=reception.ReceivedFilter(**filters)).total  # type: ignore[arg-type]

    assert found(supplier="900123") == 1 and found(supplier="nadie") == 0
    row = reception.get_received(session=session, scope=ceiba, invoice_id=done.invoice_id)
    assert found(date_from=row.issued_on, date_to=row.issued_on) == 1
    assert found(date_to=row.issued_on.replace(year=row.issued_on.year - 1)) == 0
    assert found(status="validada") == 1
    stranger = Scope(ceiba.organization_id + 100, ceiba.user_id, ceiba.role)
    assert reception.list_received(session=session, scope=stranger).total == 0
    with pytest.raises(NotFoundError):
        reception.get_received(session=session, scope=stranger, invoice_id=done.invoice_id)
    content, media, name = reception.received_file(session=session, scope=ceiba,
                                                   invoice_id=done.invoice_id, file="pdf")
    assert content.startswith(b"%PDF") and media == "application/pdf"
    assert name == "900123456-SETP990000001.pdf"


def test_inicio_counts_the_invoices_received_this_bogota_month(session: Session,
                                                               ceiba: Scope) -> None:
    from loggro_app.core.clock import FixedClock
    from loggro_app.services.dashboard import month_received

    def arrives(number: int, moment: datetime) -> None:
        data = addressed_to(demo_enabled.NIT, demo_enabled.DV, demo_enabled.LEGAL_NAME,
                            number=number)
        done = reception.receive_package(session=session, organization_id=ceiba.organization_id,
                                         data=data, source="correo",
                                         clock=FixedClock(moment))
        assert done.outcome == reception.REGISTERED

    arrives(990000011, datetime(2027, 1, 31, 23, 30, tzinfo=BOGOTA))  # February in UTC
    arrives(990000012, datetime(2027, 2, 1, 0, 30, tzinfo=BOGOTA))
    arrives(990000013, datetime(2027, 2, 14, 18, 0, tzinfo=BOGOTA))

    assert month_received(session=session, scope=ceiba, today=date(2027, 2, 15)) == 2
    assert month_received(session=session, scope=ceiba, today=date(2027, 1, 31)) == 1

"""Every check DIAN would make, run before anything is numbered: each blocks with its own
Spanish message and a link to the place that fixes it, and nothing is numbered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from loggro_app.core.clock import system_clock
from loggro_app.core.sales import DocumentForm, LineInput
from loggro_app.models import (
    CustomerEmail,
    Numbering,
    Organization,
    OrgCertificate,
    SalesDocument,
)
from loggro_app.services import issuing, ledger, sales
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from tests.integration.issuing_env import configure, customer_named, invoice_draft, seed_seller

pytestmark = pytest.mark.integration
Setup = Callable[[Session, Scope], int]


def _numbering(session: Session, scope: Scope, kind: str = "FE") -> Numbering:
    return session.exec(select(Numbering).where(
        Numbering.organization_id == scope.organization_id,
        Numbering.document_kind == kind, Numbering.channel == "NO_POS")).one()


def _save(session: Session, *rows: object) -> None:
    session.add_all(rows)
    session.commit()


def _invoice(session: Session, scope: Scope, name: str = "Fogón") -> int:
    return invoice_draft(session, scope, customer_named(session, scope, name))


def no_documents_left(session: Session, scope: Scope) -> int:
    left = ledger.balance(session=session, organization_id=scope.organization_id).available_total
    for n in range(left):
        ledger.reserve(session=session, organization_id=scope.organization_id,
                       document_key=f"otro-{n}", document_kind="invoice")
    return _invoice(session, scope)


def consecutive_expired(session: Session, scope: Scope) -> int:
    row = _numbering(session, scope)
    row.valid_to = system_clock().date() - timedelta(days=1)
    _save(session, row)
    return _invoice(session, scope)


def consecutive_exhausted(session: Session, scope: Scope) -> int:
    row = _numbering(session, scope)
    row.next_number = row.range_to + 1
    _save(session, row)
    return _invoice(session, scope)


def consecutive_not_associated(session: Session, scope: Scope) -> int:
    row = _numbering(session, scope)
    row.dian_checked_at = None
    _save(session, row)
    return _invoice(session, scope)


def certificate_missing(session: Session, scope: Scope) -> int:
    session.delete(session.exec(select(OrgCertificate).where(
        OrgCertificate.organization_id == scope.organization_id)).one())
    session.commit()
    return _invoice(session, scope)


def certificate_expired(session: Session, scope: Scope) -> int:
    cert = session.exec(select(OrgCertificate).where(
        OrgCertificate.organization_id == scope.organization_id)).one()
    cert.not_after = system_clock() - timedelta(days=1)
    _save(session, cert)
    return _invoice(session, scope)


def wrong_check_digit(session: Session, scope: Scope) -> int:
    customer = customer_named(session, scope, "Fogón")
    customer.dv = (customer.dv or 0) + 1 if (customer.dv or 0) < 9 else 0
    _save(session, customer)
    return _invoice(session, scope)


def no_address(session: Session, scope: Scope) -> int:
    customer = customer_named(session, scope, "Fogón")
    customer.address = " "
    _save(session, customer)
    return _invoice(session, scope)


def bad_municipality(session: Session, scope: Scope) -> int:
    customer = customer_named(session, scope, "Fogón")
    customer.municipality_code = "99999"
    _save(session, customer)
    return _invoice(session, scope)


def bad_postal_code(session: Session, scope: Scope) -> int:
    customer = customer_named(session, scope, "Fogón")
    customer.postal_code = "1100"
    _save(session, customer)
    return _invoice(session, scope)


def no_email(session: Session, scope: Scope) -> int:
    customer = customer_named(session, scope, "Fogón")
    for email in session.exec(select(CustomerEmail).where(
            CustomerEmail.customer_id == customer.id)).all():
        session.delete(email)
    session.commit()
    return _invoice(session, scope)


def not_enabled(session: Session, scope: Scope) -> int:
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    org.e_invoicing_enabled = False
    _save(session, org)
    return _invoice(session, scope)


def note_for_a_rejected_invoice(session: Session, scope: Scope) -> int:
    invoice = session.get(SalesDocument, _invoice(session, scope))
    assert invoice is not None
    invoice.status, invoice.number, invoice.prefix = "rejected", 7, "LCFE"
    _save(session, invoice)
    customer = customer_named(session, scope, "Fogón")
    note = sales.save_draft(session=session, scope=scope, form=DocumentForm(
        "NC", customer.id, (LineInput("Devolución", "1", "1000", "IVA_19"),),
        reference_id=invoice.id, concept="2", concept_description="Anulación"))
    assert note.id is not None
    return note.id


def support_to_a_seller_without_nit_data(session: Session, scope: Scope) -> int:
    seller = customer_named(session, scope, "Fogón")
    seller.dv = None
    _save(session, seller)
    support = sales.save_draft(session=session, scope=scope, form=DocumentForm(
        "DS", seller.id, (LineInput("Compra de insumos", "1", "80000", "IVA_19"),)))
    assert support.id is not None
    return support.id


CASES: list[tuple[Setup, str, str]] = [
    (no_documents_left, "No te quedan documentos", "/portal"),
    (consecutive_expired, "está vencida", "/configuracion/consecutivos"),
    (consecutive_exhausted, "Se agotó la numeración", "/configuracion/consecutivos"),
    (consecutive_not_associated, "no está asociado en la DIAN", "/configuracion/consecutivos"),
    (certificate_missing, "Falta el certificado", "/configuracion/organizacion"),
    (certificate_expired, "certificado de firma está vencido", "/configuracion/organizacion"),
    (wrong_check_digit, "dígito de verificación", "/contactos"),
    (no_address, "Falta la dirección", "/contactos"),
    (bad_municipality, "DIVIPOLA", "/contactos"),
    (bad_postal_code, "6 dígitos", "/contactos"),
    (no_email, "no tiene correo", "/contactos"),
    (not_enabled, "aún no está habilitada", "/habilitacion"),
    (note_for_a_rejected_invoice, "no fue aceptado por la DIAN", "/ventas/documento/"),
    (support_to_a_seller_without_nit_data, "dígito de verificación", "/contactos"),
]


@pytest.mark.parametrize(("setup", "message", "where"), CASES,
                         ids=[case[0].__name__ for case in CASES])
def test_each_block_says_what_and_where(setup: Setup, message: str, where: str,
                                        session: Session, db_url: str, link_fixture: None,
                                        tmp_path: Path) -> None:
    scope = seed_seller(session)
    document_id = setup(session, scope)
    with pytest.raises(sales.IssueBlocked) as blocked:
        issuing.request_issue(session=session, scope=scope, document_id=document_id)
    found = [b for b in blocked.value.blocks if message in b.message]
    assert found, [b.message for b in blocked.value.blocks]
    assert found[0].link.startswith(where) and found[0].action
    session.expire_all()
    row = session.get(SalesDocument, document_id)
    assert row is not None and row.number is None and row.status == "draft"


@pytest.fixture
def link_fixture(db_url: str, link: DianLink, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> None:
    configure(monkeypatch, tmp_path, db_url, link)


def test_a_caller_that_just_created_the_customer_says_whether_it_has_an_email(
        session: Session, db_url: str, link_fixture: None) -> None:
    """The PMS intake knows the emails of a guest it has just created: the check takes its
    word (no read) and still blocks a customer who should get the XML and has no email."""
    scope = seed_seller(session)
    row = session.get(SalesDocument, _invoice(session, scope))
    assert row is not None
    reads: list[str] = []

    def count(*args: object) -> None:
        if "customeremail" in str(args[2]):
            reads.append(str(args[2]))

    event.listen(session.get_bind(), "before_cursor_execute", count)
    sales.check_document(session=session, scope=scope, row=row, customer_has_email=True)
    assert reads == []
    with pytest.raises(sales.IssueBlocked) as blocked:
        sales.check_document(session=session, scope=scope, row=row, customer_has_email=False)
    assert any("no tiene correo" in b.message for b in blocked.value.blocks)
    assert reads == []
    sales.check_document(session=session, scope=scope, row=row)  # not said: read
    event.remove(session.get_bind(), "before_cursor_execute", count)
    assert len(reads) == 1

"""The second demo organization, seeded into a fresh database, is habilitada and its first
invoice is accepted by the real local DIAN sandbox (started by the `link` fixture)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from loggro_app.core import numbering as rules
from loggro_app.core.clock import FixedClock, system_clock
from loggro_app.dian import Document, Kind, build_document, demo_enabled
from loggro_app.models import Customer, CustomerEmail, Item, Organization, PaymentMethod, User
from loggro_app.seed import ENABLED_EMAIL, load_demo, load_enabled_demo
from loggro_app.services import auth, enablement, ledger, numbering
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink, dian_ranges, organization_party
from loggro_app.services.dian_mapping import (
    customer_party,
    item_line,
    numbering_resolution,
    payment,
)
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings

PASSWORD = "Demo2026*"


@pytest.fixture
def seeded(session: Session) -> Scope:
    """A fresh database seeded as `make seed` does; the scope of La Ceiba's principal user."""
    assert load_demo(session, password=PASSWORD) and load_enabled_demo(session,
                                                                       password=PASSWORD)
    user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
    assert user.id is not None and user.is_principal and user.role == "admin"
    return Scope(user.organization_id, user.id, user.role, user.is_principal)


def test_the_demo_login_opens_the_enabled_organization(session: Session, seeded: Scope) -> None:
    token = auth.login(session=session, email=ENABLED_EMAIL, password=PASSWORD,
                       address="127.0.0.1", settings=get_settings())
    user = auth.current_user(session=session, token_hash=auth.hash_token(token))
    assert user.scope == seeded and user.organization_name == demo_enabled.LEGAL_NAME
    org = session.get(Organization, seeded.organization_id)
    assert org is not None and (org.nit, org.dv) == (demo_enabled.NIT, demo_enabled.DV)


def test_enabled_organization_is_habilitada(session: Session, seeded: Scope,
                                            link: DianLink) -> None:
    rows = numbering.list_numberings(session=session, scope=seeded)
    assert {r.document_kind: numbering.state_of(r)[0] for r in rows} == {
        kind: rules.ACTIVE for kind in ("FE", "NC", "ND", "DS", "NA")}
    steps = enablement.checklist(session=session, scope=seeded, link=link)
    assert [(s.key, s.detail) for s in steps if s.state != enablement.DONE] == []
    assert enablement.readiness(steps)[0] is True
    balance = ledger.balance(session=session, organization_id=seeded.organization_id)
    assert balance.available_total > 0


def test_stored_ranges_are_what_the_sandbox_reports(session: Session, seeded: Scope,
                                                   link: DianLink) -> None:
    reported = dian_ranges(link, session=session, organization_id=seeded.organization_id)
    for row in numbering.list_numberings(session=session, scope=seeded):
        key = numbering.technical_key(row)
        assert row.id is not None
        checked = numbering.verify_with_dian(
            session=session, scope=seeded, numbering_id=row.id, fetch_ranges=lambda: reported)
        assert numbering.technical_key(checked) == key  # the sandbox's key, stored at seed


def _first(session: Session, model, *where):  # type: ignore[no-untyped-def]
    return session.exec(select(model).where(*where).order_by(col(model.id))).first()


def test_first_invoice_is_accepted_by_the_sandbox(session: Session, seeded: Scope,
                                                   link: DianLink) -> None:
    org_id = seeded.organization_id
    row = next(r for r in numbering.list_numberings(session=session, scope=seeded)
               if r.document_kind == "FE")
    assert row.id is not None
    company = _first(session, Customer, Customer.organization_id == org_id,
                     Customer.identification_type == "31")
    emails = [e.email for e in session.exec(select(CustomerEmail).where(
        CustomerEmail.customer_id == company.id)).all()]
    items = session.exec(select(Item).where(Item.organization_id == org_id)
                         .order_by(col(Item.id))).all()
    assert {i.tax_code for i in items} == {"IVA_19", "IVA_5", "IVA_0", "INC_8"}
    method = _first(session, PaymentMethod, PaymentMethod.organization_id == org_id)
    now = system_clock()
    number = numbering.allocate_number(session=session, scope=seeded, numbering_id=row.id)
    document = Document(
        kind=Kind.INVOICE, prefix=row.prefix, number=number, issued_at=now,
        issuer=organization_party(session.get(Organization, org_id)),  # type: ignore[arg-type]
        counterparty=customer_party(company, emails),
        lines=tuple(item_line(i, Decimal("2")) for i in items),
        software=link.software, environment=int(link.dian_environment_code),
        resolution=numbering_resolution(row), payment=payment(method),
    )
    built = build_document(document, signer=load_signer(session=session, organization_id=org_id),
                           clock=FixedClock(now))
    assert ledger.reserve(session=session, organization_id=org_id,
                          document_key=built.unique_code, document_kind="invoice")
    with link.client(session=session, organization_id=org_id) as client:
        answer = client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert (answer.status_code, answer.rejections) == ("00", []), answer.messages
    assert answer.accepted and answer.document_key == built.unique_code
    assert answer.status_message == f"La Factura electrónica {row.prefix}{number}, ha sido " \
                                     "autorizada."
    ledger.commit(session=session, organization_id=org_id, document_key=built.unique_code,
                  document_kind="invoice")
    assert ledger.balance(session=session, organization_id=org_id).plan_used == 1

"""Issuing from Ventas end to end: the durable workflow numbers, reserves, signs, sends to
the real DIAN sandbox, settles the quota and builds the AttachedDocument."""

from __future__ import annotations

import json
from io import BytesIO

import httpx
import pytest
from dbos import DBOS
from pypdf import PdfReader
from sqlmodel import Session, select

from loggro_app.core.errors import ConflictError
from loggro_app.core.sales import DocumentForm, LineInput
from loggro_app.dian import verify_xml
from loggro_app.durable import issuing as work
from loggro_app.models import IssueAttempt, Numbering, SalesDocument
from loggro_app.services import history, issuing, ledger, sales
from loggro_app.services.dian_link import DianLink
from loggro_app.services.numbering import technical_key
from tests.integration.issuing_env import (
    customer_named,
    invoice_draft,
    issue,
)

pytestmark = pytest.mark.integration


def test_an_invoice_and_its_credit_note_are_accepted(session: Session, seller,  # type: ignore[no-untyped-def]
                                                     link: DianLink) -> None:
    customer = customer_named(session, seller, "Fogón")
    before = ledger.balance(session=session, organization_id=seller.organization_id)
    invoice_id = invoice_draft(session, seller, customer)
    row = issue(session, seller, invoice_id)
    assert row.status == "accepted", row.dian_messages
    assert row.step == issuing.STEP_ACCEPTED and row.number is not None
    assert row.signed_xml and row.dian_response and row.attached_document
    assert row.pdf is not None and row.pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(row.pdf)).pages)
    assert row.document_key in text.replace("\n", "")
    numbering_row = session.get(Numbering, row.numbering_id)
    assert numbering_row is not None
    assert verify_xml(row.signed_xml, secret=technical_key(numbering_row)).ok
    # 2 x 18.000 + INC 8 % = 38.880; 3 x 32.500 - 2.500 + IVA 5 % = 99.750;
    # 1,5 x 120.000 + IVA 19 % = 214.200
    assert str(row.total) == "352830.00"
    told = [m.kind for m in history.movements(session=session, scope=seller,
                                              document_id=invoice_id)]
    assert told[:4] == ["created", "numbered", "sent", "accepted"]
    after = ledger.balance(session=session, organization_id=seller.organization_id)
    assert after.available_total == before.available_total - 1
    # Emitir again is refused; the same workflow started again is the same finished work
    with pytest.raises(ConflictError):
        issuing.request_issue(session=session, scope=seller, document_id=invoice_id)
    wid = work.start_sync(seller.organization_id, invoice_id)
    assert DBOS.retrieve_workflow(wid).get_result() == "accepted"
    session.expire_all()
    again = session.get(SalesDocument, invoice_id)
    assert again is not None and again.number == row.number and again.attempts == 1

    lines = sales.lines_of(session=session, scope=seller, document_id=invoice_id)
    note = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "NC", customer.id, lines[:1], reference_id=invoice_id, concept="1",
        concept_description="Devolución de un almuerzo"))
    assert note.id is not None
    accepted_note = issue(session, seller, note.id)
    assert accepted_note.status == "accepted", accepted_note.dian_messages
    assert accepted_note.document_key != row.document_key
    # the rest of the invoice can be credited, not more
    too_much = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "NC", customer.id, lines, reference_id=invoice_id, concept="2",
        concept_description="Anulación"))
    assert too_much.id is not None
    with pytest.raises(sales.IssueBlocked) as blocked:
        issuing.request_issue(session=session, scope=seller, document_id=too_much.id)
    assert "supera lo que queda por acreditar" in blocked.value.message
    assert "313.950,00" in blocked.value.message  # 352.830 - 38.880 already credited


def test_dian_down_leaves_it_pending_then_it_is_accepted_alone(  # type: ignore[no-untyped-def]
        session: Session, seller, sandbox_base: str) -> None:
    base = sandbox_base
    httpx.post(f"{base}/admin/faults", json={"kind": "http503", "count": 4,
                                             "operation": "SendBillSync"}).raise_for_status()
    try:
        customer = customer_named(session, seller, "Carolina")
        row = issue(session, seller, invoice_draft(session, seller, customer))
    finally:
        httpx.delete(f"{base}/admin/faults")
    assert row.status == "accepted", row.dian_messages
    outcomes = [a.outcome for a in session.exec(select(IssueAttempt).where(
        IssueAttempt.document_id == row.id)).all()]
    assert outcomes[0] == "unavailable" and outcomes[-1] == "accepted"
    assert row.id is not None
    with pytest.raises(ConflictError):  # only a pending document is tried again by hand
        issuing.retry_now(session=session, scope=seller, document_id=row.id)
    html = issuing.preview_html(session=session, scope=seller, document_id=row.id,
                                link=DianLink.from_env())
    assert row.document_key in html and f"{row.prefix}{row.number}" in html


def test_concurrent_issuers_get_distinct_consecutive_numbers(  # type: ignore[no-untyped-def]
        session: Session, seller) -> None:
    customer = customer_named(session, seller, "Carolina")
    ids = [invoice_draft(session, seller, customer) for _ in range(8)]
    wids = []
    for document_id in ids:
        _, round_ = issuing.request_issue(session=session, scope=seller, document_id=document_id)
        wids.append(work.start_sync(seller.organization_id, document_id, round_))
    assert [DBOS.retrieve_workflow(w).get_result() for w in wids] == ["accepted"] * 8
    session.expire_all()
    numbers = sorted(session.get(SalesDocument, i).number for i in ids)  # type: ignore[union-attr]
    assert numbers == list(range(numbers[0], numbers[0] + 8))


def test_blocks_name_what_to_fix_before_numbering(session: Session, seller) -> None:  # type: ignore[no-untyped-def]
    customer = customer_named(session, seller, "Fogón")
    customer.postal_code, customer.address = "12", ""
    session.add(customer)
    session.commit()
    document_id = invoice_draft(session, seller, customer)
    with pytest.raises(sales.IssueBlocked) as blocked:
        issuing.request_issue(session=session, scope=seller, document_id=document_id)
    messages = [b.message for b in blocked.value.blocks]
    assert any("dirección" in m for m in messages)
    assert any("código postal" in m for m in messages)
    assert all(b.link.startswith("/contactos") for b in blocked.value.blocks)
    row = session.get(SalesDocument, document_id)
    assert row is not None and row.number is None and row.status == "draft"
    assert json.loads(row.dian_messages) == []


def test_a_note_needs_an_accepted_invoice(session: Session, seller) -> None:  # type: ignore[no-untyped-def]
    customer = customer_named(session, seller, "Fogón")
    draft_id = invoice_draft(session, seller, customer)
    note = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "NC", customer.id, (LineInput("Devolución", "1", "1000", "IVA_19"),),
        reference_id=draft_id, concept="2", concept_description="Anulación"))
    assert note.id is not None
    with pytest.raises(sales.IssueBlocked) as blocked:
        issuing.request_issue(session=session, scope=seller, document_id=note.id)
    assert "no fue aceptado" in blocked.value.message


def test_failed_work_is_listed_and_retried_by_the_principal_user(  # type: ignore[no-untyped-def]
        session: Session, seller, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    from loggro_app.core.errors import PermissionDenied
    from loggro_app.services import background_work
    from loggro_app.services.scope import Scope

    customer = customer_named(session, seller, "Fogón")
    document_id = invoice_draft(session, seller, customer)
    _, round_ = issuing.request_issue(session=session, scope=seller, document_id=document_id)
    invoices = session.exec(select(Numbering).where(
        Numbering.organization_id == seller.organization_id,
        Numbering.document_kind == "FE", Numbering.channel == "NO_POS")).one()
    saved_key = invoices.dian_checked_at
    invoices.dian_checked_at = None  # the consecutive lost its DIAN confirmation meanwhile
    session.add(invoices)
    session.commit()
    # an expected refusal is the document's outcome, with the reason, not a failed workflow
    refused = work.start_sync(seller.organization_id, document_id, round_)
    assert DBOS.retrieve_workflow(refused).get_result() == "rejected"
    session.expire_all()
    row = session.get(SalesDocument, document_id)
    assert row is not None and row.status == "rejected" and row.number is None
    assert "no está asociado" in row.dian_messages

    invoices.dian_checked_at = saved_key
    session.add(invoices)
    session.commit()
    # issued again, and the database fails under the numbering: a workflow that failed
    _, round_ = issuing.request_issue(session=session, scope=seller, document_id=document_id)
    real = issuing.take_number
    failures = iter([True])

    def database_gone(**kwargs: object) -> int:
        if next(failures, False):
            raise OperationalError("UPDATE numbering", {}, Exception("database is locked"))
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(issuing, "take_number", database_gone)
    wid = work.start_sync(seller.organization_id, document_id, round_)
    with pytest.raises(OperationalError):
        DBOS.retrieve_workflow(wid).get_result()
    listed = background_work.list_work(scope=seller)
    mine = next(w for w in listed if w.workflow_id == wid)
    assert mine.status == "Falló" and mine.can_retry and "database is locked" in mine.error
    assert mine.name == "Emisión de documento"
    assert mine.subject == f"Documento {document_id}, reenvío 1"  # its second round
    seller_user = Scope(seller.organization_id, seller.user_id, "vendedor", False)
    with pytest.raises(PermissionDenied):
        background_work.list_work(scope=seller_user)
    other = Scope(seller.organization_id + 1, seller.user_id, "admin", True)
    assert all(w.workflow_id != wid for w in background_work.list_work(scope=other))

    new_id = background_work.retry(scope=seller, workflow_id=wid)  # from the failed step
    assert DBOS.retrieve_workflow(new_id).get_result() == "accepted"
    DBOS.retrieve_workflow(f"{new_id}-files").get_result()
    retried = next(w for w in background_work.list_work(scope=seller)
                   if w.workflow_id == new_id)
    assert retried.status == "Terminado" and "Enviar a la DIAN" in retried.steps
    assert "reintento 1" in retried.subject
    session.expire_all()  # the document read above, before it had its number
    named = background_work.list_work(scope=seller, numbers=lambda ids: (
        background_work.document_numbers(session=session, scope=seller, ids=ids)))
    accepted = session.get(SalesDocument, document_id)
    assert accepted is not None
    assert any(w.subject.startswith(f"FE {accepted.prefix}{accepted.number}") for w in named), \
        [w.subject for w in named]


def test_contingency_invoice_is_delivered_then_transmitted_when_dian_is_back(  # type: ignore[no-untyped-def]
        session: Session, seller, link: DianLink, sandbox_base: str) -> None:
    import time

    faults = f"{sandbox_base}/admin/faults"
    httpx.post(faults, json={"kind": "http503", "count": 10000,
                             "operation": "SendBillSync"}).raise_for_status()
    try:
        customer = customer_named(session, seller, "Fogón")
        document_id = invoice_draft(session, seller, customer)
        _, round_ = issuing.request_issue(session=session, scope=seller, document_id=document_id)
        with pytest.raises(ConflictError):  # not offered before DIAN has failed
            issuing.switch_to_contingency(session=session, scope=seller,
                                          document_id=document_id, link=link)
        wid = work.start_sync(seller.organization_id, document_id, round_)
        for _ in range(100):
            session.expire_all()
            pending = session.get(SalesDocument, document_id)
            if pending is not None and pending.status == "pending":
                break
            time.sleep(0.1)
        first_key = pending.document_key if pending else ""
        for _ in range(50):  # a send may be on its way: the switch waits for it to end
            try:
                row = issuing.switch_to_contingency(session=session, scope=seller,
                                                    document_id=document_id, link=link)
                break
            except ConflictError:
                time.sleep(0.1)
        assert row.status == "contingency" and row.invoice_type == "04"
        assert row.document_key != first_key  # signed anew as type 04, same number
        assert row.pdf is not None and row.attached_document is not None
        text = "".join(p.extract_text() for p in PdfReader(BytesIO(row.pdf)).pages)
        assert "contingencia" in text.lower()
        assert issuing.transmit_before(row) is not None
    finally:
        httpx.delete(faults)
    assert DBOS.retrieve_workflow(wid).get_result() == "accepted"
    DBOS.retrieve_workflow(f"{wid}-files").get_result()
    session.expire_all()
    done = session.get(SalesDocument, document_id)
    assert done is not None and done.status == "accepted" and done.invoice_type == "04"
    assert done.number == row.number and done.dian_response is not None
    assert done.pdf is not None and done.attached_document is not None


def test_debit_note_support_document_and_its_adjustment_are_accepted(  # type: ignore[no-untyped-def]
        session: Session, seller) -> None:
    customer = customer_named(session, seller, "Fogón")
    invoice = issue(session, seller, invoice_draft(session, seller, customer))
    assert invoice.status == "accepted"
    debit = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "ND", customer.id, (LineInput("Intereses de mora", "1", "15.000", "IVA_19"),),
        reference_id=invoice.id, concept="1", concept_description="Pago tardío"))
    assert debit.id is not None
    assert issue(session, seller, debit.id).status == "accepted"

    provider = customer_named(session, seller, "Carolina")  # a person who does not invoice
    support = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "DS", provider.id, (LineInput("Arreglo de la vitrina", "1", "250.000", "EXCLUIDO"),),
        payment_means="42"))
    assert support.id is not None
    accepted = issue(session, seller, support.id)
    assert accepted.status == "accepted", accepted.dian_messages
    assert accepted.prefix == "LCDS" and accepted.pdf is not None
    adjustment = sales.save_draft(session=session, scope=seller, form=DocumentForm(
        "NA", provider.id, (LineInput("Descuento acordado", "1", "50.000", "EXCLUIDO"),),
        reference_id=support.id, concept="3", concept_description="Rebaja"))
    assert adjustment.id is not None
    note = issue(session, seller, adjustment.id)
    assert note.status == "accepted", note.dian_messages
    assert note.prefix == "LCNA"


def test_a_rejection_is_explained_then_corrected_and_resent_under_its_number(  # type: ignore[no-untyped-def]
        session: Session, seller, link: DianLink) -> None:
    from functools import partial

    from loggro_app.models import LedgerMovement
    from loggro_app.services import numbering
    from loggro_app.services.dian_link import dian_ranges
    from loggro_app.services.secrets import secret_box

    invoices = session.exec(select(Numbering).where(
        Numbering.organization_id == seller.organization_id,
        Numbering.document_kind == "FE", Numbering.channel == "NO_POS")).one()
    invoices.technical_key_sealed = secret_box().seal_text("f" * 64)  # an outdated key
    session.add(invoices)
    session.commit()
    document_id = invoice_draft(session, seller, customer_named(session, seller, "Fogón"))
    rejected = issue(session, seller, document_id)
    assert rejected.status == "rejected" and rejected.step == issuing.STEP_REJECTED
    fad06 = next(r for r in sales.rejection_rules(rejected) if r.code == "FAD06")
    assert fad06.field == "numbering" and fad06.text != fad06.dian_text
    assert rejected.pdf is None and rejected.attached_document is None
    number, first_key = rejected.number, rejected.document_key

    # fixed in Consecutivos: «Consultar DIAN» stores the current key
    numbering.verify_with_dian(session=session, scope=seller, numbering_id=invoices.id,
                               fetch_ranges=partial(dian_ranges, link, session=session,
                                                    organization_id=seller.organization_id))
    resent = issue(session, seller, document_id)  # Corregir y reenviar
    assert resent.status == "accepted", resent.dian_messages
    assert resent.number == number and resent.document_key != first_key
    assert resent.issue_round == 1
    kinds = [m.kind for m in session.exec(select(LedgerMovement).where(
        LedgerMovement.document_key == issuing.ledger_key(resent))).all()]
    assert kinds == ["reserve", "release", "reserve", "plan_consume"]

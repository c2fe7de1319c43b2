"""Mailing accepted documents: every customer address and the buyer's DIAN mailbox get one
message with the ZIP; refusals and deferrals are recorded with the server's words, deferred
ones retried, nobody mailed twice; resends add a round and a history movement."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest
from dbos import DBOS
from sqlmodel import Session, select

from loggro_app.core.errors import ValidationError
from loggro_app.durable import delivery as mail_work
from loggro_app.models import Customer, CustomerEmail, MailDelivery, Organization
from loggro_app.services import delivery, history
from loggro_app.services.scope import Scope
from tests.integration.issuing_env import customer_named, invoice_draft, issue

pytestmark = pytest.mark.integration


@pytest.fixture
def smtp(stack_env: dict[str, str]) -> str:
    admin = stack_env["LOGGRO_SMTP_ADMIN_URL"]
    httpx.delete(f"{admin}/admin/faults")
    yield admin
    httpx.delete(f"{admin}/admin/faults")


def mailed(smtp: str, nit: str, number: str) -> list[dict]:  # type: ignore[type-arg]
    found = httpx.get(f"{smtp}/admin/messages",
                      params={"subject_prefix": nit, "limit": 500}).json()
    messages = found["messages"] if isinstance(found, dict) else found
    return [m for m in messages if f";{number};" in m["subject"]]


def customer_with_three_mailboxes(session: Session, scope: Scope, sandbox_base: str,
                                  dian_email: str) -> Customer:
    customer = customer_named(session, scope, "Fogón")
    session.add(CustomerEmail(organization_id=scope.organization_id, customer_id=customer.id,
                              email="pagos@elfogon.example", position=1))
    session.commit()
    httpx.post(f"{sandbox_base}/admin/acquirers", json={
        "id_type": customer.identification_type, "id_number": customer.identification_number,
        "name": customer.name, "email": dian_email}).raise_for_status()
    return customer


def wait_mail(scope: Scope, document_id: int, round_name: str = "entrega") -> dict[str, str]:
    wid = mail_work.workflow_id(scope.organization_id, document_id, round_name)
    for _ in range(200):
        if DBOS.get_workflow_status(wid) is not None:
            break
        import time
        time.sleep(0.05)
    return DBOS.retrieve_workflow(wid).get_result()  # type: ignore[no-any-return]


def test_three_recipients_one_zip_each_and_history(session: Session, seller, smtp: str,  # type: ignore[no-untyped-def]
                                                   sandbox_base: str) -> None:
    customer = customer_with_three_mailboxes(session, seller, sandbox_base,
                                             "recepcion.fe@elfogon.example")
    row = issue(session, seller, invoice_draft(session, seller, customer))
    assert row.status == "accepted" and row.id is not None
    outcome = wait_mail(seller, row.id)
    assert outcome == {"compras@elfogon.example": "accepted",
                       "pagos@elfogon.example": "accepted",
                       "recepcion.fe@elfogon.example": "accepted"}
    org = session.get(Organization, seller.organization_id)
    assert org is not None
    messages = mailed(smtp, org.nit, f"{row.prefix}{row.number}")
    assert sorted(m["to"][0] if isinstance(m["to"], list) else m["to"] for m in messages) == \
        sorted(outcome)
    first = messages[0]
    assert first["subject"].startswith(f"{org.nit};{org.legal_name};{row.prefix}{row.number};01;")
    zip_name = next(a for a in first["attachments"] if a.endswith(".zip"))
    data = httpx.get(f"{smtp}/admin/messages/{first['id']}/attachments/{zip_name}").content
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
    assert [n[-4:] for n in names] == [".pdf", ".xml"]
    session.expire_all()
    assert session.get(Customer, customer.id).dian_email == "recepcion.fe@elfogon.example"  # type: ignore[union-attr]
    kinds = [m.kind for m in history.movements(session=session, scope=seller,
                                               document_id=row.id)]
    assert kinds.count("mail_sent") == 3


def test_refused_and_deferred_recipients(session: Session, seller, smtp: str,  # type: ignore[no-untyped-def]
                                         sandbox_base: str) -> None:
    customer = customer_with_three_mailboxes(session, seller, sandbox_base,
                                             "buzon.dian@elfogon.example")
    httpx.post(f"{smtp}/admin/faults", json={
        "address": "compras@elfogon.example", "kind": "refuse", "code": 550,
        "text": "5.1.1 Buzon inexistente", "count": 100}).raise_for_status()
    httpx.post(f"{smtp}/admin/faults", json={
        "address": "pagos@elfogon.example", "kind": "defer", "code": 451,
        "text": "4.7.1 Intente mas tarde", "count": 2}).raise_for_status()
    row = issue(session, seller, invoice_draft(session, seller, customer))
    assert row.id is not None
    outcome = wait_mail(seller, row.id)
    assert outcome == {"compras@elfogon.example": "refused",
                       "pagos@elfogon.example": "accepted",
                       "buzon.dian@elfogon.example": "accepted"}
    rows = {d.email: d for d in session.exec(select(MailDelivery).where(
        MailDelivery.document_id == row.id)).all()}
    assert rows["compras@elfogon.example"].code == 550
    assert "Buzon inexistente" in rows["compras@elfogon.example"].reply
    assert rows["pagos@elfogon.example"].attempts == 3
    assert rows["buzon.dian@elfogon.example"].attempts == 1  # mailed exactly once
    org = session.get(Organization, seller.organization_id)
    assert org is not None
    number = f"{row.prefix}{row.number}"
    tos = [m["to"][0] if isinstance(m["to"], list) else m["to"]
           for m in mailed(smtp, org.nit, number)]
    assert sorted(tos) == ["buzon.dian@elfogon.example", "pagos@elfogon.example"]
    kinds = [m.kind for m in history.movements(session=session, scope=seller,
                                               document_id=row.id)]
    assert kinds.count("mail_refused") == 1 and kinds.count("mail_deferred") == 2


def test_resend_to_a_new_address_and_bad_addresses(session: Session, seller,  # type: ignore[no-untyped-def]
                                                   smtp: str) -> None:
    customer = customer_named(session, seller, "Carolina")
    row = issue(session, seller, invoice_draft(session, seller, customer))
    assert row.id is not None
    wait_mail(seller, row.id)
    with pytest.raises(ValidationError) as err:
        delivery.request_resend(session=session, scope=seller, document_id=row.id,
                                emails=["no-es-un-correo"])
    assert "emails" in err.value.errors
    with pytest.raises(ValidationError):
        delivery.request_resend(session=session, scope=seller, document_id=row.id, emails=[])
    round_name, addresses = delivery.request_resend(
        session=session, scope=seller, document_id=row.id,
        emails=["contadora@carolina.example"])
    assert round_name == "reenvio-1" and addresses == ["contadora@carolina.example"]
    mail_work.start_sync(seller.organization_id, row.id, round_name)
    assert wait_mail(seller, row.id, round_name) == {"contadora@carolina.example": "accepted"}
    moves = history.movements(session=session, scope=seller, document_id=row.id)
    assert [m.email for m in moves if m.kind == "resent"] == ["contadora@carolina.example"]
    assert "contadora@carolina.example" in [m.email for m in moves if m.kind == "mail_sent"]


def test_the_organization_words_its_mail(session: Session, seller, smtp: str) -> None:  # type: ignore[no-untyped-def]
    from loggro_app.core.errors import PermissionDenied
    from loggro_app.mail import MailTemplate

    saved = delivery.save_mail_wording(session=session, scope=seller,
                                       greeting="Buen día, estimado cliente:",
                                       text="Adjuntamos su factura de La Ceiba.",
                                       closing="Gracias por preferirnos.")
    preview = delivery.preview_text(session=session, scope=seller, wording=saved)
    assert preview.startswith("Buen día, estimado cliente:") and "FE1" in preview
    with pytest.raises(ValidationError) as err:
        delivery.save_mail_wording(session=session, scope=seller, greeting="x" * 201,
                                   text="", closing="")
    assert "greeting" in err.value.errors
    seller_user = Scope(seller.organization_id, seller.user_id, "vendedor", False)
    with pytest.raises(PermissionDenied):
        delivery.save_mail_wording(session=session, scope=seller_user, greeting="Hola",
                                   text="", closing="")
    assert delivery.mail_wording(session=session, scope=seller).text == \
        "Adjuntamos su factura de La Ceiba."
    assert MailTemplate().greeting == delivery.template_of(
        Organization(nit="1", dv=0, legal_name="x", municipality_code="11001")).greeting

    row = issue(session, seller, invoice_draft(session, seller,
                                               customer_named(session, seller, "Carolina")))
    assert row.id is not None
    wait_mail(seller, row.id)
    org = session.get(Organization, seller.organization_id)
    assert org is not None
    message = mailed(smtp, org.nit, f"{row.prefix}{row.number}")[0]
    detail = httpx.get(f"{smtp}/admin/messages/{message['id']}").json()
    body = detail.get("text") or detail.get("body") or str(detail)
    assert "Buen día, estimado cliente:" in body and "Gracias por preferirnos." in body

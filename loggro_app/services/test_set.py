"""Certifying the software with DIAN's test set (*Set de Pruebas*, TestSetId).

A run is a row per document in the database, so the work survives a restart: a worker
(`advance`) claims pending documents one at a time, signs and sends them with
SendTestSetAsync, then polls GetStatusZip for the sent ones, recording DIAN's answer and
every rule it reports. The page only reads the rows.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from loggro_app.core.clock import Clock, FixedClock, system_clock, to_utc
from loggro_app.core.errors import ConflictError, DianUnavailable, LoggroError, ValidationError
from loggro_app.dian import BillingReference, Document, build_document, samples
from loggro_app.dian.client import DianClient
from loggro_app.models import Organization, OrgCertificate, TestSetItem, TestSetRun
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink, organization_party
from loggro_app.services.sandbox_portal import require_admin
from loggro_app.services.scope import Scope

# The current portal asks for 30 invoices, 10 credit notes and 10 debit notes (SPEC §5).
PLAN: tuple[tuple[str, int], ...] = (("FE", 30), ("NC", 10), ("ND", 10))
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
ACCEPTED_CODES = {"00"}
PROCESSING_CODES = {"", "66", "98"}  # answered while DIAN still validates the zip


def start_run(*, session: Session, scope: Scope, test_set_id: str,
              plan: tuple[tuple[str, int], ...] = PLAN, clock: Clock = system_clock,
              rng: random.Random | None = None) -> TestSetRun:
    require_admin(scope)  # certifying signs with the organization's certificate
    test_set_id = test_set_id.strip()
    if not _UUID.fullmatch(test_set_id):
        raise ValidationError({"test_set_id": (
            "El TestSetId es el identificador de 36 caracteres que muestra la DIAN en "
            "«Detalles del set de pruebas» (por ejemplo 1a2b3c4d-....).")})
    if session.exec(select(OrgCertificate).where(
            OrgCertificate.organization_id == scope.organization_id)).first() is None:
        raise ConflictError("Primero sube el certificado de firma de la organización "
                            "(Configuración → Organización → Certificado).")
    running = current_run(session=session, organization_id=scope.organization_id)
    if running is not None and running.status == "running":
        return running
    run = TestSetRun(organization_id=scope.organization_id, test_set_id=test_set_id,
                     total=sum(n for _, n in plan), started_at=to_utc(clock()))
    session.add(run)
    session.flush()
    assert run.id is not None
    # Random starting numbers in the shared test range: avoids rule 90 against earlier runs.
    start = (rng or random.Random()).randrange(samples.resolution().range_from,
                                               samples.resolution().range_to - 1000)
    position = 0
    for kind, count in plan:
        for _ in range(count):
            # notes share the random start too, so a second run never repeats their numbers
            session.add(TestSetItem(organization_id=run.organization_id, run_id=run.id,
                                    position=position, document_kind=kind,
                                    number=str(start + position)))
            position += 1
    session.commit()
    return run


def current_run(*, session: Session, organization_id: int) -> TestSetRun | None:
    return session.exec(select(TestSetRun).where(TestSetRun.organization_id == organization_id)
                        .order_by(col(TestSetRun.id).desc())).first()


def items(*, session: Session, run_id: int) -> list[TestSetItem]:
    return list(session.exec(select(TestSetItem).where(TestSetItem.run_id == run_id)
                             .order_by(col(TestSetItem.position))).all())


STALE_CLAIM_SECONDS = 120  # a claim this old was left by a worker that died mid-send


def _claim(session: Session, run_id: int, now: datetime) -> TestSetItem | None:
    """Take the next pending document for this worker only (a conditional UPDATE)."""
    stale = now.timestamp() - STALE_CLAIM_SECONDS
    for item in items(session=session, run_id=run_id):
        if item.status == "sending" and item.claimed_at is not None \
                and to_utc(item.claimed_at).timestamp() < stale:
            item.status = "pending"
        if item.status != "pending":
            continue
        taken = session.execute(update(TestSetItem).where(
            col(TestSetItem.id) == item.id, col(TestSetItem.status) == "pending",
        ).values(status="sending", claimed_at=now))
        session.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            session.refresh(item)
            return item
    return None


def _document(item: TestSetItem, org: Organization, link: DianLink, issued_at: datetime,
              invoice: TestSetItem | None) -> Document:
    number = int(item.number)
    if item.document_kind == "FE":
        base = samples.invoice(issued_at, number=number)
    else:
        if invoice is None or not invoice.document_key:
            raise ConflictError("Las notas del set necesitan una factura enviada antes.")
        make = samples.credit_note if item.document_kind == "NC" else samples.debit_note
        base = make(issued_at, invoice_code=invoice.document_key, number=number)
        base = replace(base, reference=BillingReference(
            f"{samples.resolution().prefix}{invoice.number}", invoice.document_key,
            issued_at.date()))
    return replace(base, issuer=organization_party(org), software=link.software,
                   environment=int(link.dian_environment_code))


class UnknownTestSet(ConflictError):
    """DIAN does not know the run's TestSetId: every further document would fail too."""


UNKNOWN_TEST_SET = re.compile(r"set de pruebas?\b.*\bno existe", re.I | re.S)
UNKNOWN_TEST_SET_MESSAGE = (
    "La DIAN responde que el set de pruebas no existe. Revisa el TestSetId: cópialo de "
    "«Detalles del set de pruebas» en el portal de habilitación y vuelve a certificar.")


def _signed_zip(session: Session, run: TestSetRun, item: TestSetItem, link: DianLink,
                clock: Clock) -> tuple[str, bytes]:
    """The item's signed zip, built and stored once before its first send."""
    if item.signed_zip is not None:
        return item.zip_name, item.signed_zip
    org = session.get(Organization, run.organization_id)
    assert org is not None and run.id is not None
    invoice = next((i for i in items(session=session, run_id=run.id)
                    if i.document_kind == "FE" and i.document_key), None)
    signer = load_signer(session=session, organization_id=run.organization_id)
    now = clock()
    built = build_document(_document(item, org, link, now, invoice), signer=signer,
                           clock=FixedClock(now), file_sequence=item.position + 1)
    item.zip_name, item.signed_zip = built.file_names.zip, built.zip_bytes
    item.document_key = built.unique_code
    session.add(item)
    session.commit()  # stored before sending: a crash after this re-sends these bytes
    return item.zip_name, built.zip_bytes


def _send(session: Session, run: TestSetRun, item: TestSetItem, client: DianClient,
          link: DianLink, clock: Clock) -> None:
    name, data = _signed_zip(session, run, item, link, clock)
    result = client.send_test_set_async(name, data, run.test_set_id)
    if result.zip_key:
        item.status, item.track_id = "sent", result.zip_key
    else:
        item.status = "rejected"
        item.messages = json.dumps([["", e.message] for e in result.errors], ensure_ascii=False)
    session.add(item)
    session.commit()
    if any(UNKNOWN_TEST_SET.search(e.message) for e in result.errors):
        raise UnknownTestSet(UNKNOWN_TEST_SET_MESSAGE)


def _poll(session: Session, run_id: int, client: DianClient) -> None:
    for item in items(session=session, run_id=run_id):
        if item.status != "sent":
            continue
        answers = client.get_status_zip(item.track_id)
        answer = answers[0] if answers else None
        if answer is None or (answer.status_code in PROCESSING_CODES and not answer.is_valid):
            continue
        # A re-send after a lost answer is a duplicate (rule 90) of what DIAN already holds.
        answer = client.resolve_duplicate(answer, item.document_key)
        item.status = "accepted" if answer.accepted else "rejected"
        item.messages = json.dumps([[m.code, m.text] for m in answer.messages],
                                   ensure_ascii=False)
        session.add(item)
    session.commit()


def _stop(session: Session, run: TestSetRun, message: str, clock: Clock) -> None:
    run.status, run.message, run.finished_at = "failed", message, to_utc(clock())
    session.add(run)
    session.commit()


def finish_if_done(session: Session, run: TestSetRun, clock: Clock) -> None:
    """Close the run once DIAN has answered for every document: accepted or rejected."""
    assert run.id is not None
    rows = items(session=session, run_id=run.id)
    if any(i.status in ("pending", "sending", "sent") for i in rows):
        return
    rejected = sum(1 for i in rows if i.status == "rejected")
    run.status = "accepted" if rejected == 0 else "rejected"
    run.message = ("La DIAN aceptó todos los documentos del set de pruebas." if not rejected
                   else f"La DIAN rechazó {rejected} documento(s) del set de pruebas.")
    run.finished_at = to_utc(clock())
    session.add(run)
    session.commit()


def advance(*, session: Session, run_id: int, client_factory: Callable[[], DianClient],
            link: DianLink, clock: Clock = system_clock, batch: int = 10) -> TestSetRun:
    """One unit of work: send up to `batch` documents, poll the sent ones, close when done.

    DIAN being unreachable leaves everything as it was, to be retried on the next call.
    """
    run = session.get(TestSetRun, run_id)
    if run is None or run.status != "running":
        raise ConflictError("La ejecución del set de pruebas no está en curso.")
    with client_factory() as client:
        try:
            for _ in range(batch):
                item = _claim(session, run_id, to_utc(clock()))
                if item is None:
                    break
                try:
                    _send(session, run, item, client, link, clock)
                except DianUnavailable:
                    item.status = "pending"
                    session.add(item)
                    session.commit()
                    raise
                except UnknownTestSet as exc:
                    _stop(session, run, exc.message, clock)
                    return run
                except LoggroError as exc:
                    item.status = "rejected"  # never sent: a local rule caught it first
                    item.messages = json.dumps(_rules_of(exc), ensure_ascii=False)
                    session.add(item)
                    session.commit()
            _poll(session, run_id, client)
        except DianUnavailable:
            return run
    finish_if_done(session, run, clock)
    return run


_RULE_PREFIX = re.compile(r"^\[(?P<code>[A-Za-z0-9]+)\]\s*(?P<text>.*)$", re.S)


def _rules_of(error: LoggroError) -> list[list[str]]:
    """[[code, text], ...] from an error; the core writes its rules as '[FAD05b] text'."""
    messages = list(error.errors.values()) if isinstance(error, ValidationError) \
        else [error.message]
    found = []
    for message in messages:
        match = _RULE_PREFIX.match(message.strip())
        found.append([match["code"], match["text"]] if match else ["", message])
    return found


def running_runs(*, session: Session) -> list[int]:
    return [r.id for r in session.exec(select(TestSetRun).where(
        TestSetRun.status == "running")).all() if r.id is not None]

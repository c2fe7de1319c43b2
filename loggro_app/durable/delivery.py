"""Mailing a document to its recipients as a durable workflow: one step per recipient, so a
step run again after a crash finds the recipient already answered and mails nobody twice.
Deferred recipients (4xx, server unreachable) are tried again, minutes then an hour apart."""

from __future__ import annotations

import os

from dbos import DBOS, SetWorkflowID

from loggro_app.db import session_scope
from loggro_app.mail import MailSettings
from loggro_app.services import delivery, sales
from loggro_app.services.dian_link import DianLink

MAX_ROUNDS = 8  # about four hours of retries for a server that keeps deferring


def retry_base_seconds() -> float:
    return float(os.environ.get("LOGGRO_MAIL_RETRY_BASE_SECONDS") or 60)


def workflow_id(organization_id: int, document_id: int, round_name: str) -> str:
    return f"org{organization_id}-mail-{document_id}-{round_name}"


def _open(document_id: int, round_name: str, organization_id: int | None = None) -> list[str]:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        document = sales.document_of(session, org_id, document_id)
        assert document is not None
        if document.kind not in delivery.MAILED_KINDS or document.status != "accepted":
            return []
        addresses = (delivery.recipients(session, document, DianLink.from_env())
                     if round_name == delivery.FIRST_ROUND else [])
        return delivery.open_round(session, document, round_name, addresses)


def _deliver(document_id: int, round_name: str, email: str,
             organization_id: int | None = None) -> str:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        return delivery.deliver_one(session=session, organization_id=org_id,
                                    document_id=document_id, round_name=round_name,
                                    email=email, settings=MailSettings.from_env())


# `organization_id` is None only in workflows started before it was passed (recovered after
# an upgrade): each step then reads it from the document.
@DBOS.workflow()
def deliver_document(document_id: int, round_name: str,
                     organization_id: int | None = None) -> dict[str, str]:
    waiting = DBOS.run_step({"name": "recipients"}, _open, document_id, round_name,
                            organization_id)
    outcome: dict[str, str] = {}
    for attempt in range(MAX_ROUNDS):
        for email in waiting:
            outcome[email] = DBOS.run_step({"name": "mail"}, _deliver, document_id,
                                           round_name, email, organization_id)
        waiting = [e for e in waiting if outcome[e] == "deferred"]
        if not waiting:
            break
        DBOS.sleep(min(retry_base_seconds() * 2 ** attempt, 3600.0))
    return outcome


def start_in_workflow(organization_id: int, document_id: int, round_name: str) -> None:
    """From inside another workflow (recorded as its step: started once)."""
    with SetWorkflowID(workflow_id(organization_id, document_id, round_name)):
        DBOS.start_workflow(deliver_document, document_id, round_name, organization_id)


def start_sync(organization_id: int, document_id: int, round_name: str) -> str:
    wid = workflow_id(organization_id, document_id, round_name)
    with SetWorkflowID(wid):
        DBOS.start_workflow(deliver_document, document_id, round_name, organization_id)
    return wid

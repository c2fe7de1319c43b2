"""The issuing workflow: one per document, keyed by the document, so a double click, a
retry or a restart never issues it twice. Steps are the services in `services/issuing.py`.

While DIAN is unreachable the document stays *Pendiente de envío* and the workflow sleeps
durably between tries (minutes, then hours) until the 48-hour window closes.
"""

from __future__ import annotations

import asyncio
import logging
import os

from dbos import DBOS, SetWorkflowID

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.durable import delivery, pms_notices
from loggro_app.services import issuing
from loggro_app.services.delivery import FIRST_ROUND
from loggro_app.services.dian_link import DianLink

log = logging.getLogger(__name__)


FILES_QUEUE = "document-files"
FILES_AT_ONCE = 2  # per process: about one per core


def retry_base_seconds() -> float:
    """The first wait after DIAN fails; it doubles up to two hours (tests shorten it)."""
    return float(os.environ.get("LOGGRO_RETRY_BASE_SECONDS") or 60)


def workflow_id(organization_id: int, document_id: int, round_: int = 0) -> str:
    # A corrected document is issued again under the same number: a new round, a new id.
    suffix = f"-r{round_}" if round_ else ""
    return f"org{organization_id}-issue-{document_id}{suffix}"


def _number(document_id: int) -> int:
    with session_scope() as session:
        return issuing.take_number(session=session, document_id=document_id)


def _reserve(document_id: int) -> None:
    with session_scope() as session:
        issuing.reserve(session=session, document_id=document_id)


def _sign(document_id: int) -> str:
    with session_scope() as session:
        try:
            return issuing.build_and_sign(session=session, document_id=document_id,
                                          link=DianLink.from_env())
        except LoggroError as exc:
            session.rollback()
            issuing.reject_locally(session=session, document_id=document_id, error=exc)
            return ""


def _send(document_id: int) -> str:
    with session_scope() as session:
        return issuing.send(session=session, document_id=document_id,
                            link=DianLink.from_env()).status


def _settle(document_id: int) -> None:
    with session_scope() as session:
        issuing.settle(session=session, document_id=document_id)


def _container(document_id: int) -> None:
    with session_scope() as session:
        issuing.make_container(session=session, document_id=document_id,
                               link=DianLink.from_env())


def _pdf(document_id: int) -> None:
    with session_scope() as session:
        issuing.make_pdf(session=session, document_id=document_id, link=DianLink.from_env())


def _organization_of(document_id: int) -> int:
    with session_scope() as session:
        return issuing._row(session, document_id).organization_id


def _deadline_passed(document_id: int) -> bool:
    with session_scope() as session:
        row = issuing._row(session, document_id)
        assert row.issued_at is not None
        return system_clock() >= issuing.give_up_at(row.issued_at)


@DBOS.workflow()
def issue_document(document_id: int) -> str:
    DBOS.run_step({"name": "number"}, _number, document_id)
    DBOS.run_step({"name": "reserve"}, _reserve, document_id)
    if not DBOS.run_step({"name": "sign"}, _sign, document_id):
        DBOS.run_step({"name": "settle"}, _settle, document_id)
        pms_notices.notify_document(document_id)
        return "rejected"
    attempt = 0
    while True:
        attempt += 1
        status = DBOS.run_step({"name": "send"}, _send, document_id)
        if status != "unavailable":
            break
        if DBOS.run_step({"name": "deadline"}, _deadline_passed, document_id):
            pms_notices.notify_document(document_id)  # the PMS hears it failed
            return "pending"  # left Pendiente de envío: Reintentar starts a new round
        DBOS.sleep(issuing.retry_delay(attempt, retry_base_seconds()).total_seconds())
    DBOS.run_step({"name": "settle"}, _settle, document_id)
    pms_notices.notify_document(document_id)
    if status == "accepted":
        # The files go on a queue of their own: rendering is CPU work that, done inline by
        # every issuer at once, would slow down the next acceptances.
        with SetWorkflowID(f"{DBOS.workflow_id}-files"):
            DBOS.enqueue_workflow(FILES_QUEUE, make_files, document_id)
    return status


@DBOS.workflow()
def make_files(document_id: int) -> None:
    """The PDF and the AttachedDocument of an accepted document."""
    DBOS.run_step({"name": "pdf"}, _pdf, document_id)
    DBOS.run_step({"name": "container"}, _container, document_id)
    organization_id = DBOS.run_step({"name": "organization"}, _organization_of, document_id)
    delivery.start_in_workflow(organization_id, document_id, FIRST_ROUND)


def register_queues() -> None:
    DBOS.register_queue(FILES_QUEUE, worker_concurrency=FILES_AT_ONCE,
                        polling_interval_sec=0.2)


async def start(organization_id: int, document_id: int, round_: int = 0) -> str:
    """Start the document's workflow from a page handler (a no-op when it already runs).

    The workflow is synchronous: started with start_workflow_async it would run its steps
    on the event loop, where DBOS refuses run_step. A thread starts it as DBOS expects.
    """
    return await asyncio.to_thread(start_sync, organization_id, document_id, round_)


def start_sync(organization_id: int, document_id: int, round_: int = 0) -> str:
    wid = workflow_id(organization_id, document_id, round_)
    with SetWorkflowID(wid):
        DBOS.start_workflow(issue_document, document_id)
    return wid

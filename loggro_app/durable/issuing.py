"""The issuing workflow: one per document, keyed by the document, so a double click, a
retry or a restart never issues it twice. Steps are the services in `services/issuing.py`.

While DIAN is unreachable the document stays *Pendiente de envío* and the workflow sleeps
durably between tries (minutes, then hours) until the 48-hour window closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime
from typing import Any

from dbos import DBOS, DBOSClient, SetWorkflowID
from sqlmodel import Session

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import LoggroError
from loggro_app.db import get_engine, session_scope
from loggro_app.durable import delivery, pms_notices
from loggro_app.services import issuing, issuing_sweep, sales
from loggro_app.services.delivery import FIRST_ROUND
from loggro_app.services.dian_link import DianLink
from loggro_app.settings import get_settings

log = logging.getLogger(__name__)


FILES_QUEUE = "document-files"
FILES_AT_ONCE = 2  # per process: about one per core
# A PMS can send hundreds of documents a second, far more than a process signs and sends:
# started at once, every one of them would hold a database connection and the CPU while
# the intake waits for both. They, and the documents the sweep starts again, wait their
# turn on this queue instead, durably. (Its name predates the sweep's use of it.)
QUEUE = "pms-issuing"
AT_ONCE = 4  # per process: about two per core, DIAN's round trip overlapping


def retry_base_seconds() -> float:
    """The first wait after DIAN fails; it doubles up to two hours (tests shorten it)."""
    return float(os.environ.get("LOGGRO_RETRY_BASE_SECONDS") or 60)


def workflow_id(organization_id: int, document_id: int, round_: int = 0) -> str:
    # A corrected document is issued again under the same number: a new round, a new id.
    suffix = f"-r{round_}" if round_ else ""
    return f"org{organization_id}-issue-{document_id}{suffix}"


def _refused(session: Session, organization_id: int, document_id: int,
             exc: LoggroError) -> bool:
    session.rollback()
    issuing.reject_locally(session=session, organization_id=organization_id,
                           document_id=document_id, error=exc)
    return False


def _number(document_id: int, organization_id: int | None = None) -> bool:
    """False when the consecutive ran out or expired since the checks: rejected, with why."""
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        try:
            issuing.take_number(session=session, organization_id=org_id,
                                document_id=document_id)
        except LoggroError as exc:
            return _refused(session, org_id, document_id, exc)
        return True


def _reserve(document_id: int, organization_id: int | None = None) -> bool:
    """False when the plan has no document left (many issued at once since the checks)."""
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        try:
            issuing.reserve(session=session, organization_id=org_id, document_id=document_id)
        except LoggroError as exc:
            return _refused(session, org_id, document_id, exc)
        return True


def _sign(document_id: int, organization_id: int | None = None) -> str:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        try:
            return issuing.build_and_sign(session=session, organization_id=org_id,
                                          document_id=document_id, link=DianLink.from_env())
        except LoggroError as exc:
            _refused(session, org_id, document_id, exc)
            return ""


def _send(document_id: int, organization_id: int | None = None) -> str:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        return issuing.send(session=session, organization_id=org_id, document_id=document_id,
                            link=DianLink.from_env()).status


def _settle(document_id: int, organization_id: int | None = None) -> None:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        issuing.settle(session=session, organization_id=org_id, document_id=document_id)


def _container(document_id: int, organization_id: int | None = None) -> None:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        issuing.make_container(session=session, organization_id=org_id,
                               document_id=document_id, link=DianLink.from_env())


def _pdf(document_id: int, organization_id: int | None = None) -> None:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        issuing.make_pdf(session=session, organization_id=org_id, document_id=document_id,
                         link=DianLink.from_env())


def _organization_of(document_id: int, organization_id: int | None = None) -> int:
    with session_scope() as session:
        return sales.organization_of(session, document_id, organization_id)


def _deadline_passed(document_id: int, organization_id: int | None = None) -> bool:
    with session_scope() as session:
        org_id = sales.organization_of(session, document_id, organization_id)
        row = issuing._row(session, org_id, document_id)
        assert row.issued_at is not None
        return system_clock() >= issuing.give_up_at(row.issued_at)


# `organization_id` is None only in workflows started before it was passed (recovered after
# an upgrade): each step then reads it from the document.
@DBOS.workflow()
def issue_document(document_id: int, organization_id: int | None = None) -> str:
    if not (DBOS.run_step({"name": "number"}, _number, document_id, organization_id)
            and DBOS.run_step({"name": "reserve"}, _reserve, document_id, organization_id)
            and DBOS.run_step({"name": "sign"}, _sign, document_id, organization_id)):
        DBOS.run_step({"name": "settle"}, _settle, document_id, organization_id)
        pms_notices.notify_document(document_id, organization_id)
        return "rejected"
    attempt = 0
    while True:
        attempt += 1
        status = DBOS.run_step({"name": "send"}, _send, document_id, organization_id)
        if status != "unavailable":
            break
        if DBOS.run_step({"name": "deadline"}, _deadline_passed, document_id, organization_id):
            pms_notices.notify_document(document_id, organization_id)  # the PMS hears it failed
            return "pending"  # left Pendiente de envío: Reintentar starts a new round
        DBOS.sleep(issuing.retry_delay(attempt, retry_base_seconds()).total_seconds())
    DBOS.run_step({"name": "settle"}, _settle, document_id, organization_id)
    pms_notices.notify_document(document_id, organization_id)
    if status == "accepted":
        # The files go on a queue of their own: rendering is CPU work that, done inline by
        # every issuer at once, would slow down the next acceptances.
        with SetWorkflowID(f"{DBOS.workflow_id}-files"):
            DBOS.enqueue_workflow(FILES_QUEUE, make_files, document_id, organization_id)
    return status


@DBOS.workflow()
def make_files(document_id: int, organization_id: int | None = None) -> None:
    """The PDF and the AttachedDocument of an accepted document."""
    DBOS.run_step({"name": "pdf"}, _pdf, document_id, organization_id)
    DBOS.run_step({"name": "container"}, _container, document_id, organization_id)
    org_id = DBOS.run_step({"name": "organization"}, _organization_of, document_id,
                           organization_id)
    delivery.start_in_workflow(org_id, document_id, FIRST_ROUND)


def register_queues() -> None:
    DBOS.register_queue(FILES_QUEUE, worker_concurrency=FILES_AT_ONCE,
                        polling_interval_sec=0.2)
    DBOS.register_queue(QUEUE, worker_concurrency=AT_ONCE, polling_interval_sec=0.2)


def enqueue(organization_id: int, document_id: int, round_: int = 0) -> str:
    """Queue the document's workflow (its usual id: a second call is a no-op)."""
    wid = workflow_id(organization_id, document_id, round_)
    with SetWorkflowID(wid):
        DBOS.enqueue_workflow(QUEUE, issue_document, document_id, organization_id)
    return wid


_clients: dict[str, DBOSClient] = {}


def _client() -> DBOSClient:
    """A client on the app's own engine: it writes DBOS's rows on the caller's connection."""
    from loggro_app.durable import engine

    url = get_settings().db_url
    if url not in _clients:
        _clients[url] = DBOSClient(system_database_engine=get_engine(url), lazy=True,
                                   application_name=engine.APPLICATION_NAME)
    return _clients[url]


def enqueue_in(session: Session, organization_id: int, document_id: int,
               round_: int = 0) -> bool:
    """Queue the document's workflow in the session's transaction, so it is committed with
    the document or not at all: no moment in which a stored document has no workflow, and
    no connection, BEGIN or COMMIT of its own. False, with nothing done, where DBOS keeps
    its tables in another database (SQLite: a file of its own); then `enqueue` after the
    commit."""
    from loggro_app.durable import engine

    if not engine.shares_app_database(get_settings()):
        return False
    _client().enqueue_in_transaction(session, {
        "queue_name": QUEUE, "workflow_name": issue_document.__qualname__,
        "workflow_id": workflow_id(organization_id, document_id, round_),
        "app_version": engine.APPLICATION_VERSION,
        "application_name": engine.APPLICATION_NAME}, document_id, organization_id)
    return True


# Workflows that ended in an unexpected error: DBOS will not run them again by itself
_FAILED = ("ERROR", "MAX_RECOVERY_ATTEMPTS_EXCEEDED")


def _stalled() -> tuple[list[tuple[int, int, int]], list[int]]:
    """(organization, document, round) of the stalled documents to start, and the
    documents given back to their users."""
    with session_scope() as session:
        found = issuing_sweep.stalled(session=session)
    starts, given_back = [], []
    for doc in found:
        status = DBOS.get_workflow_status(
            workflow_id(doc.organization_id, doc.document_id, doc.issue_round))
        if status is None:  # its process died between the commit and the start
            starts.append((doc.organization_id, doc.document_id, doc.issue_round))
        elif status.status in _FAILED:
            log.error("issuing workflow of document %s ended in %s: %s", doc.document_id,
                      status.status, status.error)
            with session_scope() as session:
                round_ = issuing_sweep.restart(session=session, document_id=doc.document_id,
                                               failed_round=doc.issue_round)
            if round_ is not None:
                starts.append((doc.organization_id, doc.document_id, round_))
            else:
                given_back.append(doc.document_id)
    return starts, given_back


@DBOS.workflow()
def sweep_job(scheduled_at: datetime, context: Any) -> None:
    """Every minute: stalled documents get their workflow, on the queue, never at once."""
    starts, given_back = DBOS.run_step({"name": "stalled"}, _stalled)
    for organization_id, document_id, round_ in starts:
        enqueue(organization_id, document_id, round_)
    for document_id in given_back:
        # a PMS document: the PMS hears why (its organization read from the document)
        pms_notices.notify_document(document_id)


def schedules() -> list[dict[str, Any]]:
    return [{"schedule_name": "issuing-sweep", "workflow_fn": sweep_job,
             "schedule": "30 * * * * *"}]


async def start(organization_id: int, document_id: int, round_: int = 0) -> str:
    """Start the document's workflow from a page handler (a no-op when it already runs).

    The workflow is synchronous: started with start_workflow_async it would run its steps
    on the event loop, where DBOS refuses run_step. A thread starts it as DBOS expects.
    """
    return await asyncio.to_thread(start_sync, organization_id, document_id, round_)


def start_sync(organization_id: int, document_id: int, round_: int = 0) -> str:
    from loggro_app.durable import engine

    if engine.role() == "web":  # a backend of the scaled topology: a worker issues it
        return enqueue(organization_id, document_id, round_)
    wid = workflow_id(organization_id, document_id, round_)
    with SetWorkflowID(wid):
        DBOS.start_workflow(issue_document, document_id, organization_id)
    return wid

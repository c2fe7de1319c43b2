"""Buyer events, durably: a frequent check of DIAN for the events of invoices still
waiting for their buyer, and one delayed workflow per invoice for the aceptación tácita.

The tacit-acceptance workflow is enqueued, DELAYED, for the moment the 3 business days
after the 032 end (a queue delay holds no thread and survives restarts; a sleeping
workflow would hold both). When it runs it asks the services again: the buyer may have
answered meanwhile (nothing to do), or the legal clock may not have reached the term yet
(it re-enqueues itself for the rest). The legal clock is the real one in production; in
the sandbox it is the sandbox's business clock, which a demo or a test moves by days
without real time passing, so the periodic check also starts the workflow at once for
every invoice whose term has passed on that clock. Both paths are keyed by workflow id
and `send_tacit_acceptance` is idempotent: the 034 is registered and recorded once.

    LOGGRO_BUYER_EVENTS_SCHEDULE   cron with seconds for the check (default every 10 s)
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from dbos import DBOS, SetEnqueueOptions, SetWorkflowID

from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.services import buyer_events
from loggro_app.services.dian_link import DianLink

log = logging.getLogger(__name__)

TACIT_QUEUE = "tacit-acceptance"
DEFAULT_SCHEDULE = "*/10 * * * * *"


def schedule() -> str:
    return os.environ.get("LOGGRO_BUYER_EVENTS_SCHEDULE") or DEFAULT_SCHEDULE


def tacit_workflow_id(organization_id: int, document_id: int, suffix: str = "") -> str:
    return f"org{organization_id}-tacit-{document_id}{suffix}"


def _organization_of(document_id: int) -> int:
    from loggro_app.models import SalesDocument

    with session_scope() as session:
        row = session.get(SalesDocument, document_id)
        return row.organization_id if row is not None else 0


def check_all() -> list[tuple[int, int, float, int]]:
    """Poll every waiting invoice; (organization, document, seconds to the 034, a 5-minute
    stamp) for each invoice whose tacit acceptance is pending, so the job can schedule it
    (the stamp is read here: workflow code itself must not read the clock)."""
    link = DianLink.from_env()
    with session_scope() as session:
        waiting = buyer_events.waiting_documents(session=session)
    pending = []
    for document_id in waiting:
        with session_scope() as session:
            try:
                buyer_events.poll_document(session=session, document_id=document_id,
                                           link=link)
                wait = buyer_events.tacit_wait(session=session, document_id=document_id,
                                               link=link)
            except LoggroError as exc:  # DIAN down for now: the next check asks again
                log.warning("eventos del documento %s: %s", document_id, exc.message)
                continue
        if wait is not None:
            pending.append((_organization_of(document_id), document_id, wait,
                            int(time.time()) // 300))
    return pending


def enqueue_tacit(organization_id: int, document_id: int, wait_seconds: float,
                  suffix: str = "") -> str:
    """The document's 034 workflow, delayed until its term (a no-op when it exists)."""
    wid = tacit_workflow_id(organization_id, document_id, suffix)
    with SetWorkflowID(wid), SetEnqueueOptions(delay_seconds=max(wait_seconds, 0.0)):
        DBOS.enqueue_workflow(TACIT_QUEUE, tacit_acceptance, document_id)
    return wid


@DBOS.workflow()
def buyer_events_job(scheduled_at: Any, context: Any) -> None:
    pending = DBOS.run_step({"name": "check_buyer_events"}, check_all)
    for organization_id, document_id, wait, stamp in pending:
        # The delayed run for the term; and, once the legal clock says the term is over
        # (moved in the sandbox), a run now that does not wait for real time.
        enqueue_tacit(organization_id, document_id, wait)
        if wait <= 0:  # one such run per document every 5 minutes at most
            enqueue_tacit(organization_id, document_id, 0, f"-due{stamp}")


def _wait(document_id: int) -> tuple[int, float | None, int]:
    """(organization, seconds to the term or None, a stamp for a re-enqueued id)."""
    with session_scope() as session:
        wait = buyer_events.tacit_wait(session=session, document_id=document_id,
                                       link=DianLink.from_env())
    return _organization_of(document_id), wait, int(time.time())


def _send(document_id: int) -> str:
    with session_scope() as session:
        return buyer_events.send_tacit_acceptance(session=session, document_id=document_id,
                                                  link=DianLink.from_env())


@DBOS.workflow()
def tacit_acceptance(document_id: int) -> str:
    organization_id, wait, stamp = DBOS.run_step({"name": "tacit_wait"}, _wait, document_id)
    if wait is None:
        return "not_needed"  # the buyer accepted or claimed, or the 034 is done
    if wait > 0:  # early on the legal clock: come back for the rest
        enqueue_tacit(organization_id, document_id, wait, f"-at{stamp}")
        return "rescheduled"
    return DBOS.run_step({"name": "send_034", "retries_allowed": True, "max_attempts": 3,
                          "interval_seconds": 5}, _send, document_id)


def register_queues() -> None:
    DBOS.register_queue(TACIT_QUEUE, worker_concurrency=2, polling_interval_sec=1.0)


def schedules() -> list[dict[str, Any]]:
    return [{"schedule_name": "buyer-events", "workflow_fn": buyer_events_job,
             "schedule": schedule()}]

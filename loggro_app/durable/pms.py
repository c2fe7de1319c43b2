"""The hotel PMS's durable work: the push of the connection token, retried with backoff
while the PMS is down and recorded attempt by attempt, and the start of any PMS document
whose workflow never started.

Workflow inputs are ids only: the token and the secret are read, decrypted, inside the step
and never stored by DBOS.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dbos import DBOS, SetWorkflowID

from loggro_app.db import session_scope
from loggro_app.durable import issuing
from loggro_app.durable import pms_notices as pms_notices_work
from loggro_app.pms import notify
from loggro_app.services import pms_connection, pms_intake
from loggro_app.settings import get_settings

PUSH_ATTEMPTS = 80  # about three days at the longest wait
# A PMS can send hundreds of documents a second, far more than a process signs and sends:
# started at once, every one of them would hold a database connection and the CPU while
# the intake waits for both. They wait their turn on this queue instead, durably.
ISSUING_QUEUE = "pms-issuing"
ISSUING_AT_ONCE = 4  # per process: about two per core, DIAN's round trip overlapping


def register_queues() -> None:
    DBOS.register_queue(ISSUING_QUEUE, worker_concurrency=ISSUING_AT_ONCE,
                        polling_interval_sec=0.2)


def enqueue_issue(organization_id: int, document_id: int) -> str:
    """Queue the document's issuing workflow (its usual id: a second call is a no-op)."""
    wid = issuing.workflow_id(organization_id, document_id)
    with SetWorkflowID(wid):
        DBOS.enqueue_workflow(ISSUING_QUEUE, issuing.issue_document, document_id)
    return wid


def push_workflow_id(organization_id: int, push_round: int) -> str:
    return f"org{organization_id}-pmstoken-{push_round}"


def _push(connection_id: int, push_round: int, final: bool) -> str:
    """One push: 'delivered', 'retry' or 'stale' (a newer round replaced this one)."""
    with session_scope() as session:
        target = pms_connection.push_message(session=session, connection_id=connection_id,
                                             push_round=push_round,
                                             public_url=get_settings().public_backend_url)
    if target is None:
        return "stale"
    status, error = notify.push_connection(*target)
    delivered = status is not None and 200 <= status < 300
    with session_scope() as session:
        pms_connection.record_push(session=session, connection_id=connection_id,
                                   push_round=push_round, delivered=delivered, error=error,
                                   final=final and not delivered)
    return "delivered" if delivered else "retry"


@DBOS.workflow()
def push_connection(connection_id: int, push_round: int) -> str:
    for attempt in range(PUSH_ATTEMPTS):
        outcome = DBOS.run_step({"name": "push"}, _push, connection_id, push_round,
                                attempt == PUSH_ATTEMPTS - 1)
        if outcome != "retry":
            return outcome
        DBOS.sleep(pms_notices_work.wait_seconds(attempt))
    return "failed"


def start_push(organization_id: int, connection_id: int, push_round: int) -> str:
    wid = push_workflow_id(organization_id, push_round)
    with SetWorkflowID(wid):
        DBOS.start_workflow(push_connection, connection_id, push_round)
    return wid


def _resume_queued() -> list[tuple[int, int]]:
    with session_scope() as session:
        return pms_intake.queued_without_work(session=session)


@DBOS.workflow()
def resume_job(scheduled_at: datetime, context: Any) -> None:
    """A document stored just before its process died never got its workflow started: start
    it now (its workflow id makes a second start a no-op)."""
    for organization_id, document_id in DBOS.run_step({"name": "queued"}, _resume_queued):
        enqueue_issue(organization_id, document_id)


def schedules(timezone: str) -> list[dict[str, Any]]:
    return [*pms_notices_work.schedules(timezone),
            {"schedule_name": "pms-resume-queued", "workflow_fn": resume_job,
             "schedule": "30 * * * * *"}]

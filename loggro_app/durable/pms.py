"""The hotel PMS's durable work: the push of the connection token, retried with backoff
while the PMS is down and recorded attempt by attempt. Its documents are issued on the
issuing queue (`durable/issuing.py`), whose sweep also starts any that never started.

Workflow inputs are ids only: the token and the secret are read, decrypted, inside the step
and never stored by DBOS.
"""

from __future__ import annotations

from typing import Any

from dbos import DBOS, SetWorkflowID
from sqlmodel import Session

from loggro_app.db import session_scope
from loggro_app.durable import issuing
from loggro_app.durable import pms_notices as pms_notices_work
from loggro_app.pms import notify
from loggro_app.services import pms_connection
from loggro_app.settings import get_settings

PUSH_ATTEMPTS = 80  # about three days at the longest wait


def enqueue_issue(organization_id: int, document_id: int) -> str:
    """A PMS document waits its turn on the issuing queue (see `issuing.QUEUE`)."""
    return issuing.enqueue(organization_id, document_id)


def enqueue_issue_in(session: Session, organization_id: int, document_id: int) -> bool:
    """The same, in the transaction that stores the document (see `issuing.enqueue_in`)."""
    return issuing.enqueue_in(session, organization_id, document_id)


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


def schedules(timezone: str) -> list[dict[str, Any]]:
    return pms_notices_work.schedules(timezone)

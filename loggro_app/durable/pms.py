"""Talking back to the hotel PMS as durable work: the push of the connection token and the
signed webhooks. Each keeps trying with backoff (the PMS may be down for a while) and
records every attempt; a webhook gives up after 3 days.

Workflow inputs are ids only: the token and the secret are read, decrypted, inside the step
and never stored by DBOS.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from dbos import DBOS, SetWorkflowID

from loggro_app.db import session_scope
from loggro_app.pms import notify
from loggro_app.services import pms_connection, pms_notices
from loggro_app.settings import get_settings

MAX_WAIT_SECONDS = 3600.0
PUSH_ATTEMPTS = 80  # about three days at the longest wait


def retry_base_seconds() -> float:
    """The first wait after the PMS fails; it doubles up to an hour (tests shorten it)."""
    return float(os.environ.get("LOGGRO_PMS_RETRY_BASE_SECONDS") or 30.0)


def _wait(attempt: int) -> float:
    return min(retry_base_seconds() * 2 ** attempt, MAX_WAIT_SECONDS)


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
        DBOS.sleep(_wait(attempt))
    return "failed"


def start_push(organization_id: int, connection_id: int, push_round: int) -> str:
    wid = push_workflow_id(organization_id, push_round)
    with SetWorkflowID(wid):
        DBOS.start_workflow(push_connection, connection_id, push_round)
    return wid


def _deliver(event_id: str) -> str:
    with session_scope() as session:
        target = pms_notices.delivery_of(session=session, event_id=event_id)
    if target is None:
        return "done"
    url, body, headers = target
    status, error = notify.post_webhook(url, body, headers)
    with session_scope() as session:
        return pms_notices.record_attempt(session=session, event_id=event_id, status=status,
                                          error=error)


@DBOS.workflow()
def deliver_notice(event_id: str) -> str:
    attempt = 0
    while True:
        state = DBOS.run_step({"name": "post"}, _deliver, event_id)
        if state != "pending":
            return state
        DBOS.sleep(_wait(attempt))
        attempt += 1


def start_notice(event_id: str) -> None:
    """Deliver a notice once: its event id is its workflow id."""
    with SetWorkflowID(event_id):
        DBOS.start_workflow(deliver_notice, event_id)


def _document_notice(document_id: int) -> str | None:
    with session_scope() as session:
        return pms_notices.document_notice(session=session, document_id=document_id,
                                           public_url=get_settings().public_backend_url)


def notify_document(document_id: int) -> None:
    """From the issuing workflow once a document ended: a PMS document's notice."""
    event_id = DBOS.run_step({"name": "pms_notice"}, _document_notice, document_id)
    if event_id is not None:
        start_notice(event_id)


def _expiring() -> list[str]:
    with session_scope() as session:
        return pms_notices.expiring_notices(session=session)


@DBOS.workflow()
def expiring_job(scheduled_at: datetime, context: Any) -> None:
    for event_id in DBOS.run_step({"name": "expiring"}, _expiring):
        start_notice(event_id)


def schedules(timezone: str) -> list[dict[str, Any]]:
    return [{"schedule_name": "pms-consecutive-expiring", "workflow_fn": expiring_job,
             "schedule": "0 0 7 * * *", "cron_timezone": timezone}]

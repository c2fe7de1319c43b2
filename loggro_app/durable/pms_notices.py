"""Webhooks to the hotel PMS as durable work: one workflow per notice (its event id), posting
it freshly signed until the PMS answers 2xx, with backoff, for up to 3 days; every attempt
is recorded."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from dbos import DBOS, SetWorkflowID

from loggro_app.db import session_scope
from loggro_app.pms import notify
from loggro_app.services import pms_notices, sales
from loggro_app.settings import get_settings

MAX_WAIT_SECONDS = 3600.0


def retry_base_seconds() -> float:
    """The first wait after the PMS fails; it doubles up to an hour (tests shorten it)."""
    return float(os.environ.get("LOGGRO_PMS_RETRY_BASE_SECONDS") or 30.0)


def wait_seconds(attempt: int) -> float:
    return float(min(retry_base_seconds() * 2 ** attempt, MAX_WAIT_SECONDS))


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
        DBOS.sleep(wait_seconds(attempt))
        attempt += 1


def start_notice(event_id: str) -> None:
    """Deliver a notice once: its event id is its workflow id."""
    with SetWorkflowID(event_id):
        DBOS.start_workflow(deliver_notice, event_id)


def _document_notice(document_id: int, organization_id: int | None = None) -> str | None:
    with session_scope() as session:
        return pms_notices.document_notice(session=session,
                                           organization_id=sales.organization_of(
                                               session, document_id, organization_id),
                                           document_id=document_id,
                                           public_url=get_settings().public_backend_url)


def notify_document(document_id: int, organization_id: int | None = None) -> None:
    """From the issuing workflow once a document ended: a PMS document's notice."""
    event_id = DBOS.run_step({"name": "pms_notice"}, _document_notice, document_id,
                             organization_id)
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

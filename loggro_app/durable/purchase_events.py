"""The organization's own RADIAN events as buyer, durably: one workflow per received
invoice, event code and attempt, so a double click or a restart never sends an event twice,
and a scheduled check that (a) starts the workflow of every event still pending (the
automatic 030 recorded on reception, or a start lost to a crash) and (b) lists the invoices
whose term to claim or accept ends within one business day: the pages show the warning and
the organization's address gets one reminder mail per term.

    LOGGRO_PURCHASE_EVENTS_SCHEDULE   cron with seconds for the check (default every 30 s)
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any

from dbos import DBOS, SetWorkflowID

from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.mail import MailSettings
from loggro_app.services import purchase_events, purchase_reminders
from loggro_app.services.dian_link import DianLink
from loggro_app.settings import get_settings

log = logging.getLogger(__name__)

DEFAULT_SCHEDULE = "*/30 * * * * *"


def schedule() -> str:
    return os.environ.get("LOGGRO_PURCHASE_EVENTS_SCHEDULE") or DEFAULT_SCHEDULE


def workflow_id(organization_id: int, invoice_id: int, code: str, attempt: int = 1) -> str:
    # A refused event asked for again is a new attempt: a new id; the same attempt, never.
    suffix = f"-a{attempt}" if attempt > 1 else ""
    return f"org{organization_id}-purchase-event-{invoice_id}-{code}{suffix}"


def _send(event_id: int) -> str:
    with session_scope() as session:
        return purchase_events.send_event(session=session, event_id=event_id,
                                          link=DianLink.from_env())


@DBOS.workflow()
def send_purchase_event(event_id: int) -> str:
    # DIAN unreachable: the step tries again; after that the scheduled check restarts it.
    return DBOS.run_step({"name": "send_event", "retries_allowed": True, "max_attempts": 4,
                          "interval_seconds": 5, "backoff_rate": 2}, _send, event_id)


def start_sync(organization_id: int, invoice_id: int, code: str, event_id: int,
               attempt: int = 1) -> str:
    wid = workflow_id(organization_id, invoice_id, code, attempt)
    with SetWorkflowID(wid):
        DBOS.start_workflow(send_purchase_event, event_id)
    return wid


async def start(organization_id: int, invoice_id: int, code: str, event_id: int,
                attempt: int = 1) -> str:
    """From a page handler: a thread starts the synchronous workflow, as DBOS expects."""
    return await asyncio.to_thread(start_sync, organization_id, invoice_id, code, event_id,
                                   attempt)


def check() -> tuple[list[tuple[int, int, str, int, int, bool]], list[tuple[int, int, str, str]],
                    int]:
    """Pending events, invoices whose term is ending, and a 5-minute stamp (read here:
    workflow code itself must not read the clock)."""
    link = DianLink.from_env()
    with session_scope() as session:
        pending = purchase_events.pending_events(session=session)
        closing = purchase_reminders.closing_soon(session=session, link=link)
    for organization_id, invoice_id, number, last in closing:
        log.info("factura recibida %s (organización %s, id %s): el plazo para reclamar o "
                 "aceptar vence el %s", number, organization_id, invoice_id, last)
    if closing:
        try:
            with session_scope() as session:
                purchase_reminders.send_claim_reminders(
                    session=session, link=link, settings=MailSettings.from_env(),
                    app_url=get_settings().public_backend_url)
        except (LoggroError, RuntimeError) as exc:  # mail not configured: the page still warns
            log.warning("recordatorios de plazo sin enviar: %s", exc)
    return pending, closing, int(time.time()) // 300


@DBOS.workflow()
def purchase_events_job(scheduled_at: Any, context: Any) -> None:
    pending, _, stamp = DBOS.run_step({"name": "check_purchase_events"}, check)
    for organization_id, invoice_id, code, event_id, attempt, late in pending:
        # The same id as the page's start: a workflow already run or running is not redone.
        wid = workflow_id(organization_id, invoice_id, code, attempt)
        # Still pending long after: its workflow gave up while DIAN was down; one more run
        # every 5 minutes (send_event leaves an answered event alone, and resolves rule 90).
        for run in (wid, f"{wid}-t{stamp}") if late else (wid,):
            with SetWorkflowID(run):
                DBOS.start_workflow(send_purchase_event, event_id)


def schedules() -> list[dict[str, Any]]:
    return [{"schedule_name": "purchase-events", "workflow_fn": purchase_events_job,
             "schedule": schedule()}]

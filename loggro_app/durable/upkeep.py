"""Keeping durable work healthy across processes.

DBOS recovers a process's own workflows when it restarts with the same executor id, but the
workflows of a process that died for good would stay PENDING (and hold their queue slot)
forever. So each process writes a heartbeat, and a scheduled job hands the pending work of
executors gone silent to the live ones. Finished workflow records are deleted after
LOGGRO_WORKFLOW_RETENTION_DAYS (default 30): DBOS keeps them forever otherwise.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timedelta
from typing import Any

from dbos import DBOS
from sqlmodel import col, delete, select

from loggro_app.core.clock import system_clock, to_utc
from loggro_app.db import session_scope
from loggro_app.models import ExecutorHeartbeat
from loggro_app.settings import Settings

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
STALE_AFTER = timedelta(seconds=45)  # nine missed beats: the process is gone
FINISHED = ["SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"]

_stop = threading.Event()
_thread: threading.Thread | None = None


def stale_after() -> timedelta:
    """How long a silent executor is taken for alive; LOGGRO_EXECUTOR_STALE_SECONDS may
    shorten it (the fault drills), never below four missed beats: a live process taken for
    dead would have its running work started a second time."""
    raw = os.environ.get("LOGGRO_EXECUTOR_STALE_SECONDS", "")
    if raw.isdigit():
        return max(timedelta(seconds=int(raw)), timedelta(seconds=4 * HEARTBEAT_SECONDS))
    return STALE_AFTER


def retention_days() -> int:
    raw = os.environ.get("LOGGRO_WORKFLOW_RETENTION_DAYS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 30


def beat(executor: str, started_at: datetime | None = None) -> None:
    now = to_utc(system_clock())
    with session_scope() as session:
        row = session.get(ExecutorHeartbeat, executor)
        if row is None:
            row = ExecutorHeartbeat(executor_id=executor, seen_at=now,
                                    started_at=started_at or now)
        row.seen_at = now
        session.add(row)


def _beat_forever(executor: str) -> None:
    started = to_utc(system_clock())
    while not _stop.is_set():
        try:
            beat(executor, started)
        except Exception:  # noqa: BLE001  (a missed beat is retried; the thread must live)
            log.exception("heartbeat failed")
        _stop.wait(HEARTBEAT_SECONDS)


def stale_executors(now: datetime, me: str) -> list[str]:
    with session_scope() as session:
        rows = session.exec(select(ExecutorHeartbeat).where(
            col(ExecutorHeartbeat.seen_at) < to_utc(now) - stale_after())).all()
        return [r.executor_id for r in rows if r.executor_id != me]


def recover_dead_executors(now: datetime | None = None) -> list[str]:
    """Re-enqueue the pending workflows of every silent executor; returns their ids."""
    dead = stale_executors(now or system_clock(), DBOS.executor_id)
    for executor in dead:
        # Private in 3.4 but the documented recovery path; re-enqueueing is idempotent, so
        # two live processes recovering the same dead one start each workflow once.
        handles = DBOS._recover_pending_workflows([executor])
        log.warning("recovered %d workflows of executor %s", len(handles), executor)
        with session_scope() as session:
            session.exec(delete(ExecutorHeartbeat).where(  # type: ignore[call-overload]
                col(ExecutorHeartbeat.executor_id) == executor))
    return dead


def delete_finished(older_than: timedelta, now: datetime | None = None) -> int:
    cutoff = to_utc(now or system_clock()) - older_than
    old = DBOS.list_workflows(status=FINISHED, end_time=cutoff.isoformat(),
                              load_input=False, load_output=False)
    ids = [w.workflow_id for w in old]
    for start in range(0, len(ids), 500):
        DBOS.delete_workflows(ids[start:start + 500])
    return len(ids)


@DBOS.workflow()
def recovery_job(scheduled_at: datetime, context: Any) -> None:
    DBOS.run_step({"name": "recover_dead_executors"}, recover_dead_executors)


@DBOS.workflow()
def cleanup_job(scheduled_at: datetime, context: Any) -> None:
    DBOS.run_step({"name": "delete_finished"}, delete_finished,
                  timedelta(days=retention_days()))


@DBOS.workflow()
def reconcile_job(scheduled_at: datetime, context: Any) -> None:
    from loggro_app.services import purchases
    from loggro_app.services.payment_gateways import gateway_named

    def reconcile() -> int:
        with session_scope() as session:
            return purchases.reconcile_pending(session=session, gateways=gateway_named)

    DBOS.run_step({"name": "reconcile_pending"}, reconcile)


def start(settings: Settings) -> None:
    from loggro_app.durable import buyer_events, issuing, pms, purchase_events, reception

    global _thread
    DBOS.apply_schedules([
        *buyer_events.schedules(),
        *pms.schedules(settings.timezone),
        *issuing.schedules(),
        *reception.schedules(),
        *purchase_events.schedules(),
        {"schedule_name": "recover-dead-executors", "workflow_fn": recovery_job,
         "schedule": "*/30 * * * * *"},
        {"schedule_name": "delete-finished-work", "workflow_fn": cleanup_job,
         "schedule": "0 0 3 * * *", "cron_timezone": settings.timezone},
        {"schedule_name": "reconcile-purchases", "workflow_fn": reconcile_job,
         "schedule": "0 * * * * *"},
    ])
    _stop.clear()
    beat(DBOS.executor_id)
    _thread = threading.Thread(target=_beat_forever, args=(DBOS.executor_id,),
                               name="loggro-heartbeat", daemon=True)
    _thread.start()


def stop() -> None:
    _stop.set()
    if _thread is not None:
        _thread.join(timeout=HEARTBEAT_SECONDS + 1)

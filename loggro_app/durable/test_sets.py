"""The DIAN test-set runner as a durable workflow: one per run, keyed by the run.

Each round is a step (`services.test_set.advance`: send a batch, poll the sent ones); the
rows in the database keep the progress the page shows, and DBOS resumes the loop after a
restart. While DIAN is unreachable the rounds back off up to ten minutes apart.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from dbos import DBOS, SetWorkflowID

from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.services import test_set
from loggro_app.services.dian_link import DianLink

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
MAX_WAIT_SECONDS = 600.0
MAX_ROUNDS = 5000


def workflow_id(organization_id: int, run_id: int) -> str:
    return f"org{organization_id}-testset-{run_id}"


def advance_once(run_id: int) -> tuple[str, int]:
    """One round; returns the run's status and how many documents are still unanswered."""
    link = DianLink.from_env()
    with session_scope() as session:
        run = session.get(test_set.TestSetRun, run_id)
        if run is None or run.status != "running":
            return (run.status if run else "missing"), 0
        org_id = run.organization_id
        try:
            run = test_set.advance(session=session, run_id=run_id, link=link,
                                   client_factory=partial(link.client, session=session,
                                                          organization_id=org_id))
        except LoggroError as exc:
            log.warning("test set %s: %s", run_id, exc.message)
        waiting = sum(1 for i in test_set.items(session=session, run_id=run_id)
                      if i.status in ("pending", "sending", "sent"))
        return run.status, waiting


@DBOS.workflow()
def run_test_set(run_id: int) -> str:
    wait, last_waiting = POLL_SECONDS, -1
    for _ in range(MAX_ROUNDS):
        status, waiting = DBOS.run_step({"name": "advance"}, advance_once, run_id)
        if status != "running":
            return status
        # No progress (DIAN unreachable or still validating): wait longer, up to a limit.
        wait = POLL_SECONDS if waiting != last_waiting else min(wait * 1.5, MAX_WAIT_SECONDS)
        last_waiting = waiting
        DBOS.sleep(wait)
    return "running"


def start_sync(organization_id: int, run_id: int) -> str:
    wid = workflow_id(organization_id, run_id)
    with SetWorkflowID(wid):
        DBOS.start_workflow(run_test_set, run_id)
    return wid


async def start(organization_id: int, run_id: int) -> str:
    """Start (or find, when already started) the run's workflow from a page handler; from a
    thread, because the workflow is synchronous (see `durable.issuing.start`)."""
    return await asyncio.to_thread(start_sync, organization_id, run_id)


def resume_running() -> int:
    """Start the workflow of every run still marked running (runs begun before DBOS ran
    them, or whose start was lost); workflow ids make this a no-op for the others."""
    with session_scope() as session:
        runs = [session.get(test_set.TestSetRun, i)
                for i in test_set.running_runs(session=session)]
        running = [(r.organization_id, r.id) for r in runs if r is not None]
    for org_id, run_id in running:
        assert run_id is not None
        with SetWorkflowID(workflow_id(org_id, run_id)):
            DBOS.start_workflow(run_test_set, run_id)
    return len(running)

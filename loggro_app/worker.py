"""Background work of the backend process: test-set runs advance here, so they go on when
the user closes the page and resume after a restart (their state is in the database); pending
purchases whose webhook is late are reconciled with their gateway."""

from __future__ import annotations

import asyncio
import logging
from functools import partial

from loggro_app.core.errors import LoggroError
from loggro_app.db import session_scope
from loggro_app.services import purchases, test_set
from loggro_app.services.dian_link import DianLink
from loggro_app.services.payment_gateways import gateway_named

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0
RECONCILE_EVERY = 60  # ticks: gateways are asked about late webhooks once a minute


def tick() -> int:
    """Advance every running test set once; returns how many were touched."""
    link = DianLink.from_env()
    with session_scope() as session:
        run_ids = test_set.running_runs(session=session)
    for run_id in run_ids:
        try:
            with session_scope() as session:
                run = session.get(test_set.TestSetRun, run_id)
                assert run is not None
                org_id = run.organization_id
                test_set.advance(session=session, run_id=run_id, link=link,
                                 client_factory=partial(link.client, session=session,
                                                        organization_id=org_id))
        except LoggroError as exc:
            log.warning("test set %s: %s", run_id, exc.message)
    return len(run_ids)


def reconcile() -> int:
    with session_scope() as session:
        return purchases.reconcile_pending(session=session, gateways=gateway_named)


async def run_forever() -> None:
    ticks = 0
    while True:
        try:
            await asyncio.to_thread(tick)
            if ticks % RECONCILE_EVERY == 0:
                await asyncio.to_thread(reconcile)
        except Exception:  # noqa: BLE001  (the loop must outlive one bad tick)
            log.exception("background tick failed")
        ticks += 1
        await asyncio.sleep(TICK_SECONDS)

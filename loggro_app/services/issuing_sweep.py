"""Documents left *En cola* with no live workflow behind them.

A document is handed to its workflow after the commit that queues it, so a process that
dies in between leaves it queued with no workflow at all; and a workflow that ends in an
unexpected error (the database unreachable, a bug) leaves it queued with a workflow DBOS
will not run again. The sweep finds both: the first gets its workflow started, the second
a new round of it, a few times; then the document is given back to the user, rejected
with a message that says to issue it again, so nothing stays *En cola* for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.core.errors import ConflictError
from loggro_app.models import DocumentMovement, SalesDocument
from loggro_app.services import history, issuing

STALLED_AFTER = timedelta(minutes=1)
RESTARTS = 3  # new rounds the sweep starts on its own before it gives the document back
GIVEN_BACK = ("La emisión falló por un error interno de la aplicación y se detuvo. "
              "Revisa el documento y vuelve a emitirlo.")
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Stalled:
    organization_id: int
    document_id: int
    issue_round: int
    origin: str


def stalled(*, session: Session, clock: Clock = system_clock) -> list[Stalled]:
    """Documents queued for more than a minute; whether their workflow lives is DBOS's to say."""
    rows = session.exec(select(SalesDocument).where(
        SalesDocument.status == "queued",
        col(SalesDocument.updated_at) < to_utc(clock() - STALLED_AFTER),
    ).order_by(col(SalesDocument.updated_at)).limit(SWEEP_BATCH)).all()
    return [Stalled(row.organization_id, row.id or 0, row.issue_round, row.origin)
            for row in rows]


def restart(*, session: Session, document_id: int, failed_round: int,
            clock: Clock = system_clock) -> int | None:
    """The next round for a document whose workflow failed, or None: the document moved on
    meanwhile, or it was restarted RESTARTS times already and is now rejected instead."""
    row = session.get(SalesDocument, document_id)
    if row is None or row.status != "queued" or row.issue_round != failed_round:
        return None
    restarts = session.exec(select(func.count()).select_from(DocumentMovement).where(
        DocumentMovement.document_id == document_id,
        DocumentMovement.kind == "restarted")).one()
    if restarts >= RESTARTS:
        issuing.reject_locally(session=session, organization_id=row.organization_id,
                               document_id=document_id,
                               error=ConflictError(GIVEN_BACK), clock=clock)
        return None
    # conditional: two sweeps (two processes) never start the same round twice
    moved = session.execute(update(SalesDocument).where(
        col(SalesDocument.id) == document_id, col(SalesDocument.status) == "queued",
        col(SalesDocument.issue_round) == failed_round,
    ).values(issue_round=failed_round + 1, updated_at=to_utc(clock())))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    session.refresh(row)
    history.record(session, row, "restarted", clock=clock,
                   detail=f"Ronda {failed_round} terminó con error; ronda {failed_round + 1}")
    session.commit()
    return failed_round + 1

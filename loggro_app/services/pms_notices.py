"""What the PMS is told back: a notice per outcome of each of its documents and per
consecutive about to run out, each kept with every delivery attempt.

A notice's id is the event id the PMS deduplicates with, and it names the document and its
issue round, so a step run again after a crash creates nothing twice.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session, col, select

from loggro_app.core.clock import BOGOTA, Clock, aware, system_clock, to_utc
from loggro_app.models import (
    Numbering,
    PmsConnection,
    PmsIntake,
    PmsNotice,
    PmsNoticeAttempt,
)
from loggro_app.pms import signature
from loggro_app.services.numbering import state_of
from loggro_app.services.pms_connection import api_base_url, webhook_secret
from loggro_app.services.pms_intake import CHANNEL, state_of_document, status_of
from loggro_app.services.sales import document_of

GIVE_UP_AFTER = timedelta(days=3)
DOCUMENT_EVENTS = ("accepted", "rejected", "failed")


def _add(session: Session, connection: PmsConnection, event_id: str, event_type: str,
         data: dict[str, object], document_id: int | None, clock: Clock) -> str:
    if session.exec(select(PmsNotice).where(PmsNotice.event_id == event_id)).first():
        return event_id
    now = clock()
    body = {"id": event_id, "type": event_type, "created_at": now.isoformat(),
            "property_id": connection.property_id, "data": data}
    session.add(PmsNotice(organization_id=connection.organization_id, event_id=event_id,
                          event_type=event_type, document_id=document_id,
                          body=json.dumps(body, ensure_ascii=False, default=str),
                          created_at=to_utc(now)))
    session.commit()
    return event_id


def document_notice(*, session: Session, organization_id: int, document_id: int,
                    public_url: str, clock: Clock = system_clock) -> str | None:
    """The notice of how a PMS document ended (None: not from the PMS, or not ended)."""
    intake = session.exec(select(PmsIntake).where(
        PmsIntake.organization_id == organization_id,
        PmsIntake.document_id == document_id)).first()
    row = document_of(session, organization_id, document_id)
    if intake is None or row is None:
        return None
    connection = session.exec(select(PmsConnection).where(
        PmsConnection.id == intake.connection_id,
        PmsConnection.organization_id == organization_id)).first()
    state = state_of_document(row, clock())
    if connection is None or not connection.enabled or state not in DOCUMENT_EVENTS:
        return None
    status = status_of(session, intake, api_base_url(public_url), clock)
    # the property in the id: the PMS deduplicates by it, whatever database we run on
    event_id = (f"org{row.organization_id}-pmshook-{connection.property_id}-{document_id}-"
                f"{state}-r{row.issue_round}")
    return _add(session, connection, event_id, f"document.{state}",
                status.model_dump(mode="json"), document_id, clock)


def expiring_notices(*, session: Session, clock: Clock = system_clock) -> list[str]:
    """A notice per PMS consecutive close to its end (numbers or validity), once a day."""
    today = clock().astimezone(BOGOTA).date()
    found = []
    for connection in session.exec(select(PmsConnection).where(
            col(PmsConnection.enabled).is_(True))).all():
        for row in session.exec(select(Numbering).where(
                Numbering.organization_id == connection.organization_id,
                Numbering.channel == CHANNEL)).all():
            _, warnings = state_of(row, clock)
            if not warnings or row.valid_to is None:
                continue
            data: dict[str, object] = {
                "kind": row.document_kind, "prefix": row.prefix, "range_to": row.range_to,
                "valid_to": row.valid_to.isoformat(),
                "numbers_left": max(row.range_to - max(row.next_number, row.range_from) + 1, 0),
                "days_left": (row.valid_to - today).days, "warnings": warnings}
            event_id = (f"org{connection.organization_id}-pmshook-{connection.property_id}-"
                        f"expiring-{row.id}-{today.isoformat()}")
            found.append(_add(session, connection, event_id, "consecutive.expiring", data,
                              None, clock))
    return found


def delivery_of(*, session: Session, event_id: str,
                clock: Clock = system_clock) -> tuple[str, bytes, dict[str, str]] | None:
    """Where and what to post now, freshly signed (None: delivered, given up, or the
    integration is off)."""
    notice = session.exec(select(PmsNotice).where(PmsNotice.event_id == event_id)).first()
    if notice is None or notice.state != "pending":
        return None
    connection = session.exec(select(PmsConnection).where(
        PmsConnection.organization_id == notice.organization_id)).first()
    if connection is None or not connection.enabled:
        return None
    body = notice.body.encode("utf-8")
    timestamp = int(clock().timestamp())
    return connection.pms_url, body, signature.headers(webhook_secret(connection), event_id,
                                                         timestamp, body)


def record_attempt(*, session: Session, event_id: str, status: int | None, error: str,
                   clock: Clock = system_clock) -> str:
    """Record one delivery; the notice's state after it (pending, delivered, gave_up)."""
    notice = session.exec(select(PmsNotice).where(PmsNotice.event_id == event_id)).first()
    if notice is None:
        return "gave_up"
    now = clock()
    assert notice.id is not None
    session.add(PmsNoticeAttempt(organization_id=notice.organization_id, notice_id=notice.id,
                                 at=to_utc(now), status=status,
                                 error=error[:300]))
    notice.attempts += 1
    notice.last_status, notice.last_error = status, error[:300]
    if status is not None and 200 <= status < 300:
        notice.state, notice.delivered_at = "delivered", to_utc(now)
    elif now - aware(notice.created_at) >= GIVE_UP_AFTER:
        notice.state = "gave_up"
    session.add(notice)
    session.commit()
    return notice.state


def notices_of(*, session: Session, organization_id: int, limit: int = 20) -> list[PmsNotice]:
    return list(session.exec(select(PmsNotice).where(
        PmsNotice.organization_id == organization_id).order_by(
        col(PmsNotice.id).desc()).limit(limit)).all())

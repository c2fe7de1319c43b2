"""The history of a sales document (*Ver Detalle Historial*): every movement with its date,
state and email, kept for ever. Movements are only ever added, in the same transaction as
the change they tell of, so the history can never disagree with the document."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.models import DocumentMovement, SalesDocument
from loggro_app.services.owned import get_owned
from loggro_app.services.scope import Scope

KINDS = {
    "created": "Creado",
    "numbered": "Numerado",
    "sent": "Enviado a la DIAN",
    "unavailable": "La DIAN no respondió",
    "accepted": "Aceptado por la DIAN",
    "rejected": "Rechazado",
    "restarted": "Emisión reanudada tras un error interno",
    "contingency": "Emitido en contingencia (tipo 04)",
    "mail_sent": "Correo entregado",
    "mail_refused": "Correo rechazado",
    "mail_deferred": "Correo diferido, se reintenta",
    "resent": "Notificación reenviada",
    "history_sent": "Historial enviado por correo",
    "event_030": "Acuse de recibo del cliente",
    "event_031": "Reclamo del cliente",
    "event_032": "Recibo del bien o servicio",
    "event_033": "Aceptación expresa del cliente",
    "event_034": "Aceptación tácita",
}


def movement(document: SalesDocument, kind: str, *, email: str = "", detail: str = "",
             at: datetime | None = None, clock: Clock = system_clock) -> DocumentMovement:
    """A new movement of the document, not yet added to any session."""
    if kind not in KINDS:
        raise ValueError(f"unknown movement {kind!r}")
    assert document.id is not None
    return DocumentMovement(
        organization_id=document.organization_id, document_id=document.id,
        at=to_utc(at or clock()), kind=kind, email=email[:254], detail=detail[:1000])


def record(session: Session, document: SalesDocument, kind: str, *, email: str = "",
           detail: str = "", at: datetime | None = None, clock: Clock = system_clock) -> None:
    """Add a movement to the caller's transaction (committed with the change it tells of)."""
    session.add(movement(document, kind, email=email, detail=detail, at=at, clock=clock))


def movements(*, session: Session, scope: Scope, document_id: int) -> list[DocumentMovement]:
    get_owned(session, SalesDocument, scope, document_id,
              "El documento no existe o no pertenece a tu organización.")
    return list(session.exec(select(DocumentMovement).where(
        DocumentMovement.organization_id == scope.organization_id,
        DocumentMovement.document_id == document_id)
        .order_by(col(DocumentMovement.at), col(DocumentMovement.id))).all())

"""*Relación de Transacciones de Venta*: the issued documents of an organization, filtered,
sorted and paginated by the database (an organization may hold hundreds of thousands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from loggro_app.core.clock import BOGOTA, Clock, system_clock, to_utc
from loggro_app.core.errors import ValidationError
from loggro_app.core.export_sale import HOTEL_ORIGIN
from loggro_app.core.sales import KINDS
from loggro_app.models import SalesDocument
from loggro_app.services.paging import Page, like_pattern
from loggro_app.services.scope import Scope

SORTS = {
    "date": col(SalesDocument.issued_at),
    "number": col(SalesDocument.number),
    "customer": col(SalesDocument.customer_name),
    "total": col(SalesDocument.total),
}
ISSUED = ("queued", "sending", "pending", "contingency", "accepted", "rejected")
ORIGINS = {HOTEL_ORIGIN: "Alojamientos"}  # where a document came from, when not typed here
BUYER_STATUS = {
    "": "Sin respuesta", "acuse": "Acuse de recibo", "recibido": "Recibido",
    "aceptado": "Aceptado expresamente", "reclamado": "Reclamado",
    "confirmado_cliente": "Confirmado por el Cliente",
    "confirmado_auto": "Confirmado Automáticamente",
}
MAX_PAGE_SIZE = 100
MAX_RANGE_DAYS = 3700  # about ten years: the grid is for browsing, not for dumps


def default_range(today: date) -> tuple[date, date]:
    """The current and the previous month, as the grid opens."""
    first_of_month = today.replace(day=1)
    previous = (first_of_month - timedelta(days=1)).replace(day=1)
    return previous, today


@dataclass(frozen=True)
class GridFilter:
    date_from: date
    date_to: date
    kind: str = ""
    status: str = ""
    buyer_status: str | None = None
    customer: str = ""
    number: str = ""
    document_key: str = ""
    errors: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        problems = {}
        if self.date_to < self.date_from:
            problems["date_to"] = "La fecha final no puede ser anterior a la inicial."
        elif (self.date_to - self.date_from).days > MAX_RANGE_DAYS:
            problems["date_to"] = "Elige un rango de máximo diez años."
        if self.kind and self.kind not in KINDS:
            problems["kind"] = "Tipo de documento desconocido."
        if self.status and self.status not in ISSUED:
            problems["status"] = "Estado desconocido."
        if self.buyer_status is not None and self.buyer_status not in BUYER_STATUS:
            problems["buyer_status"] = "Estado del cliente desconocido."
        if problems:
            raise ValidationError(problems)


def day_bounds(day_from: date, day_to: date) -> tuple[datetime, datetime]:
    """Bogotá calendar days as a UTC range [start, end)."""
    start = datetime.combine(day_from, time.min, BOGOTA)
    end = datetime.combine(day_to + timedelta(days=1), time.min, BOGOTA)
    return to_utc(start), to_utc(end)


def grid_page(*, session: Session, scope: Scope, filters: GridFilter, sort: str = "date",
              descending: bool = True, page: int = 1,
              page_size: int = 20) -> Page[SalesDocument]:
    if sort not in SORTS:
        raise ValidationError({"sort": "Orden desconocido."})
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    start, end = day_bounds(filters.date_from, filters.date_to)
    query = select(SalesDocument).where(
        SalesDocument.organization_id == scope.organization_id,
        col(SalesDocument.issued_at) >= start, col(SalesDocument.issued_at) < end,
        col(SalesDocument.status).in_(ISSUED))
    if filters.kind:
        query = query.where(SalesDocument.kind == filters.kind)
    if filters.status:
        query = query.where(SalesDocument.status == filters.status)
    if filters.buyer_status is not None:
        query = query.where(SalesDocument.buyer_status == filters.buyer_status)
    if filters.customer.strip():
        query = query.where(col(SalesDocument.customer_name).ilike(like_pattern(filters.customer),
                                                                     escape="\\"))
    if filters.number.strip():
        digits = "".join(ch for ch in filters.number if ch.isdigit())[:18]
        prefix = "".join(ch for ch in filters.number if ch.isalpha()).upper()[:4]
        if not digits:
            raise ValidationError({"number": "Escribe el número del documento (p. ej. FE 123)."})
        query = query.where(SalesDocument.number == int(digits))
        if prefix:
            query = query.where(SalesDocument.prefix == prefix)
    if filters.document_key.strip():
        key = filters.document_key.strip().lower()[:96]
        query = query.where(col(SalesDocument.document_key).startswith(key))
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    order = SORTS[sort].desc() if descending else SORTS[sort].asc()
    page = max(1, min(page, max(1, -(-total // page_size))))
    rows = list(session.exec(query.order_by(order, col(SalesDocument.id).desc())
                             .offset((page - 1) * page_size).limit(page_size)).all())
    return Page(rows=rows, total=total, page=page, page_size=page_size)


def grid_version(*, session: Session, scope: Scope) -> str:
    """Changes whenever any document of the organization changes: open grids compare it to
    know when to read their page again (every tab of the organization sees changes)."""
    latest = session.exec(select(func.max(SalesDocument.updated_at), func.count()).where(
        SalesDocument.organization_id == scope.organization_id)).one()
    return f"{latest[0]}|{latest[1]}"


def dian_notification(row: SalesDocument) -> str:
    """*Confirmado* when DIAN accepted with nothing to say, *Confirmado con Notificación*
    when it accepted with notifications; empty while it has not accepted."""
    if row.status != "accepted":
        return ""
    return "Confirmado con Notificación" if row.dian_messages not in ("", "[]") \
        else "Confirmado"


def today_in_bogota(clock: Clock = system_clock) -> date:
    return clock().astimezone(BOGOTA).date()

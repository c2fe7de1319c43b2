"""Who points at a row: deletes are refused while other rows reference it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel, func, select

from loggro_app.core.errors import ConflictError

# Tables whose rows are owned by the parent and go with it (not a reason to refuse).
OWNED_CHILDREN = {("customer", "customeremail")}

TABLE_LABELS = {
    "customer": "clientes",
    "item": "productos",
    "paymentmethod": "formas de pago",
    "cashregister": "cajas",
    "receivedinvoice": "facturas recibidas",
}


def count_references(session: Session, table_name: str, row_id: int) -> dict[str, int]:
    """Rows in every other table whose foreign keys point at (table_name, row_id)."""
    found: dict[str, int] = {}
    for table in SQLModel.metadata.sorted_tables:
        if (table_name, table.name) in OWNED_CHILDREN:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != table_name:
                continue
            n = session.exec(
                select(func.count()).select_from(table).where(fk.parent == row_id)
            ).one()
            if n:
                found[table.name] = found.get(table.name, 0) + int(n)
    return found


def ensure_unreferenced(session: Session, row: Any, what: str) -> None:
    refs = count_references(session, row.__tablename__, row.id)
    if refs:
        used_by = ", ".join(f"{n} {TABLE_LABELS.get(t, t)}" for t, n in sorted(refs.items()))
        raise ConflictError(f"No se puede eliminar {what}: está en uso ({used_by}).")

"""Configuración → Consecutivos de Facturación."""

from __future__ import annotations

from functools import partial
from typing import Any

import reflex as rx
from sqlmodel import Session

from loggro_app.core import numbering as rules
from loggro_app.core.clock import local_text
from loggro_app.core.errors import LoggroError, ValidationError
from loggro_app.services import numbering as service
from loggro_app.services.dian_link import DianLink, dian_ranges
from loggro_app.services.paging import Page
from loggro_app.services.scope import Scope
from loggro_app.state.crud import CrudMixin

FIELDS = ("name", "document_kind", "channel", "resolution_number", "prefix", "range_from",
          "range_to", "valid_from", "valid_to")


class NumberingState(CrudMixin, rx.State):
    name: str = ""
    document_kind: str = "FE"
    channel: str = "NO_POS"
    resolution_number: str = ""
    prefix: str = ""
    range_from: str = ""
    range_to: str = ""
    valid_from: str = ""
    valid_to: str = ""
    show_resolution: bool = False

    def _list(self, session: Session, scope: Scope) -> Page[Any]:
        rows = service.list_numberings(session=session, scope=scope)
        return Page(rows=rows, total=len(rows), page=1, page_size=max(1, len(rows)))

    def _row_view(self, session: Session, scope: Scope, row: Any) -> dict[str, str]:
        state, warnings = service.state_of(row)
        return {"id": str(row.id), "name": row.name, "kind": rules.KINDS[row.document_kind],
                "channel": rules.CHANNELS[row.channel], "prefix": row.prefix or "—",
                "range": f"{row.range_from} – {row.range_to}",
                "validity": (f"{row.valid_from:%d/%m/%Y} – {row.valid_to:%d/%m/%Y}"
                             if row.valid_from and row.valid_to else "—"),
                "next": str(row.next_number), "state": state, "warnings": " ".join(warnings),
                "checked": local_text(row.dian_checked_at)}

    def _reset_form(self) -> None:
        for field in FIELDS:
            setattr(self, field, "")
        self.document_kind, self.channel, self.show_resolution = "FE", "NO_POS", True

    def _fill_form(self, session: Session, scope: Scope, row_id: int) -> None:
        row = service.get_numbering(session=session, scope=scope, numbering_id=row_id)
        self.name, self.document_kind, self.channel = row.name, row.document_kind, row.channel
        self.resolution_number, self.prefix = row.resolution_number, row.prefix
        self.range_from, self.range_to = str(row.range_from), str(row.range_to)
        self.valid_from = row.valid_from.isoformat() if row.valid_from else ""
        self.valid_to = row.valid_to.isoformat() if row.valid_to else ""
        self.show_resolution = False

    def _field_labels(self) -> dict[str, str]:
        return {"name": "Nombre", "document_kind": "Documento", "channel": "Canal",
                "resolution_number": "Número de resolución", "prefix": "Prefijo",
                "range_from": "Numeración inicial", "range_to": "Numeración final",
                "valid_from": "Vigencia desde", "valid_to": "Vigencia hasta"}

    def _save(self, session: Session, scope: Scope) -> str:
        resolution = rules.parse_resolution(
            number=self.resolution_number, prefix=self.prefix, range_from=self.range_from,
            range_to=self.range_to, valid_from=self.valid_from, valid_to=self.valid_to)
        row = service.save_numbering(session=session, scope=scope, name=self.name,
                                     document_kind=self.document_kind, channel=self.channel,
                                     resolution=resolution,
                                     numbering_id=self.editing_id or None)
        return f"Consecutivo {row.name} guardado. Consúltalo con la DIAN para activarlo."

    def _delete(self, session: Session, scope: Scope, row_id: int) -> str:
        raise ValidationError({"__all__": "Los consecutivos no se eliminan: edita su resolución."})

    @rx.event
    def set_field(self, field: str, value: str) -> None:
        if field in FIELDS:
            setattr(self, field, value)

    @rx.event
    def toggle_resolution(self) -> None:
        self.show_resolution = not self.show_resolution

    @rx.event
    async def verify(self, row_id: int):  # type: ignore[no-untyped-def]
        def check(session: Session, scope: Scope) -> Any:
            link = DianLink.from_env()
            fetch = partial(dian_ranges, link, session=session,
                            organization_id=scope.organization_id)
            try:
                service.verify_with_dian(session=session, scope=scope, numbering_id=int(row_id),
                                         fetch_ranges=fetch)
            except ValidationError as exc:
                self._refresh(session, scope)
                return rx.toast.error(" ".join(exc.errors.values()), duration=12000)
            except LoggroError as exc:
                return rx.toast.error(exc.message)
            self._refresh(session, scope)
            return rx.toast.success("Resolución confirmada con la DIAN: consecutivo activo.")

        return await self._run(check)

"""State of the Contactos page: customers with location-derived postal codes."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from loggro_app.core import geo
from loggro_app.core.customer_rules import COLOMBIA, CustomerData, dv_preview, is_abroad
from loggro_app.core.errors import ValidationError
from loggro_app.core.nit import IDENTIFICATION_TYPES
from loggro_app.dian import FOREIGN_ID_TYPES, codes
from loggro_app.services import customers as service
from loggro_app.services.paging import Page
from loggro_app.services.scope import Scope
from loggro_app.state.crud import CrudMixin

DEPARTMENTS = [{"code": d.code, "name": d.name} for d in geo.departments()]
ID_TYPES = [{"code": c, "name": n} for c, n in IDENTIFICATION_TYPES.items()]
# Colombia first (almost every customer), then DIAN's country list by name.
COUNTRIES = [{"code": COLOMBIA, "name": codes.countries()[COLOMBIA]}] + sorted(
    ({"code": c, "name": n} for c, n in codes.countries().items() if c != COLOMBIA),
    key=lambda country: geo.fold(country["name"]))


def _place_label(row: Any) -> str:
    if is_abroad(row.country_code):
        return f"{row.city_name}, {codes.countries().get(row.country_code, row.country_code)}"
    return _municipality_label(row.municipality_code)


def _municipality_label(code: str) -> str:
    try:
        m = geo.municipality(code)
    except ValidationError:
        return code
    return f"{m.name} ({geo.department(m.department_code).name})"


class CustomersState(CrudMixin, rx.State):
    id_type: str = "13"
    id_number: str = ""
    dv: str = ""
    name: str = ""
    trade_name: str = ""
    address: str = ""
    phone: str = ""
    country_code: str = COLOMBIA
    city_name: str = ""
    department_code: str = ""
    municipality_text: str = ""
    municipality_code: str = ""
    municipality_options: list[str] = []
    neighborhood: str = ""
    neighborhood_options: list[str] = []
    postal_code: str = ""
    postal_options: list[str] = []
    postal_overridden: bool = False
    send_xml_email: bool = True
    emails: list[str] = [""]

    @rx.var
    def dv_hint(self) -> str:
        return dv_preview(self.id_type, self.id_number)

    @rx.var
    def is_abroad(self) -> bool:
        """Abroad: a city name instead of department, municipality and postal code."""
        return is_abroad(self.country_code)

    @rx.var
    def is_nit(self) -> bool:
        return self.id_type == "31"

    # -- CrudMixin hooks -----------------------------------------------------------------
    def _list(self, session: Session, scope: Scope) -> Page[Any]:
        return service.list_customers(session=session, scope=scope, search=self.search,
                                      page=self.page, page_size=self._page_size)

    def _row_view(self, session: Session, scope: Scope, row: Any) -> dict[str, str]:
        kind = IDENTIFICATION_TYPES.get(row.identification_type, "")
        ident = f"{kind} {row.identification_number}"
        if row.dv is not None:
            ident += f"-{row.dv}"
        emails = service.customer_emails(session=session, scope=scope, customer_id=row.id)
        return {"id": str(row.id), "name": row.name, "identification": ident,
                "place": _place_label(row),
                "postal_code": f"CP {row.postal_code}" if row.postal_code else "",
                "emails": ", ".join(emails)}

    def _reset_form(self) -> None:
        self.id_type, self.id_number, self.dv = "13", "", ""
        self.name = self.trade_name = self.address = self.phone = self.city_name = ""
        self.country_code = COLOMBIA
        self.department_code = self.municipality_text = self.municipality_code = ""
        self.municipality_options, self.neighborhood_options, self.postal_options = [], [], []
        self.neighborhood = self.postal_code = ""
        self.postal_overridden, self.send_xml_email, self.emails = False, True, [""]

    def _fill_form(self, session: Session, scope: Scope, row_id: int) -> None:
        row = service.get_customer(session=session, scope=scope, customer_id=row_id)
        self.id_type, self.id_number = row.identification_type, row.identification_number
        self.dv = "" if row.dv is None else str(row.dv)
        self.name, self.trade_name = row.name, row.trade_name
        self.address, self.phone = row.address, row.phone
        self.country_code, self.city_name = row.country_code, row.city_name
        self.send_xml_email = row.send_xml_email
        self.emails = service.customer_emails(session=session, scope=scope,
                                              customer_id=row_id) or [""]
        if is_abroad(row.country_code):
            return
        m = geo.municipality(row.municipality_code)
        self._choose_department(m.department_code)
        self._choose_municipality(m.code)
        self.neighborhood = row.neighborhood
        self.postal_code = row.postal_code
        self.postal_overridden = row.postal_code != geo.derive_postal_code(
            m.code, row.neighborhood or None)

    def _field_labels(self) -> dict[str, str]:
        return {"identification_type": "Tipo de identificación", "identification_number":
                "Número", "dv": "DV", "name": "Nombre", "trade_name": "Nombre comercial",
                "address": "Dirección", "phone": "Teléfono", "country_code": "País",
                "city_name": "Ciudad", "municipality_code": "Municipio",
                "neighborhood": "Barrio", "postal_code": "Código postal", "emails": "Correos"}

    def _save(self, session: Session, scope: Scope) -> str:
        data = CustomerData.parse(
            identification_type=self.id_type, identification_number=self.id_number,
            dv=self.dv, name=self.name, trade_name=self.trade_name, address=self.address,
            country_code=self.country_code, city_name=self.city_name,
            municipality_code=self.municipality_code, neighborhood=self.neighborhood,
            postal_code=self.postal_code if self.postal_overridden else "",
            phone=self.phone, send_xml_email=self.send_xml_email, emails=self.emails,
        )
        row = service.save_customer(session=session, scope=scope, data=data,
                                    customer_id=self.editing_id or None)
        return f"Cliente {row.name} guardado."

    def _delete(self, session: Session, scope: Scope, row_id: int) -> str:
        service.delete_customer(session=session, scope=scope, customer_id=row_id)
        return "Cliente eliminado."

    # -- location: department -> municipality -> neighborhood -> postal code --------------
    def _choose_department(self, code: str) -> None:
        self.department_code = code
        self.municipality_options = [m.name for m in geo.municipalities(code)] if code else []
        self.municipality_text = self.municipality_code = ""
        self._choose_municipality("")

    def _choose_municipality(self, code: str) -> None:
        self.municipality_code = code
        if code:
            self.municipality_text = geo.municipality(code).name
        self.neighborhood = ""
        self.neighborhood_options = geo.neighborhoods(code) if code else []
        self.postal_options = [p.code for p in geo.postal_codes_for(code)] if code else []
        self.postal_overridden = False
        self._derive_postal()

    def _derive_postal(self) -> None:
        if self.postal_overridden:
            return
        self.postal_code = (
            geo.derive_postal_code(self.municipality_code, self.neighborhood or None)
            if self.municipality_code else ""
        )

    @rx.event
    def set_department(self, code: str) -> None:
        self._choose_department(code)

    @rx.event
    def set_municipality_text(self, text: str) -> None:
        """The searchable field: a typed or picked name that matches selects the municipality."""
        self.municipality_text = text
        wanted = geo.fold(text)
        match = next((m for m in geo.municipalities(self.department_code or None)
                      if geo.fold(m.name) == wanted), None) if wanted else None
        if match is None:
            if self.municipality_code:
                self._choose_municipality("")
                self.municipality_text = text
            return
        if match.code != self.municipality_code:
            if not self.department_code:
                self._choose_department(match.department_code)
            self._choose_municipality(match.code)

    @rx.event
    def set_neighborhood(self, value: str) -> None:
        self.neighborhood = value
        self._derive_postal()

    @rx.event
    def set_postal_code(self, value: str) -> None:
        self.postal_code = value.strip()
        self.postal_overridden = True

    @rx.event
    def reset_postal_code(self) -> None:
        self.postal_overridden = False
        self._derive_postal()

    # -- simple fields ------------------------------------------------------------------
    @rx.event
    def set_field(self, field: str, value: str) -> None:
        if field in {"id_type", "id_number", "dv", "name", "trade_name", "address", "phone",
                     "city_name"}:
            setattr(self, field, value)

    @rx.event
    def set_country(self, code: str) -> None:
        """Abroad, a foreign identification is the likely one: offer NIT de otro país."""
        self.country_code = code
        if is_abroad(code) and self.id_type not in FOREIGN_ID_TYPES:
            self.id_type = FOREIGN_ID_TYPES[0]

    @rx.event
    def set_send_xml_email(self, value: bool) -> None:
        self.send_xml_email = bool(value)

    @rx.event
    def set_email(self, index: int, value: str) -> None:
        emails = list(self.emails)
        if 0 <= index < len(emails):
            emails[index] = value
            self.emails = emails

    @rx.event
    def add_email(self) -> None:
        self.emails = [*self.emails, ""]

    @rx.event
    def remove_email(self, index: int) -> None:
        emails = [e for i, e in enumerate(self.emails) if i != index]
        self.emails = emails or [""]

"""Validation of a customer (*cliente*) as typed in the form.

All problems are reported at once, one Spanish message per field, so the person can fix
everything in one pass. A customer abroad (country other than CO, the buyer of an export
invoice) has a city name instead of a DIVIPOLA municipality and postal code, and is identified
with a foreign document (SPEC §2.6: foreign parties carry only country and city).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loggro_app.core import geo
from loggro_app.core.email import parse_emails
from loggro_app.core.errors import ValidationError
from loggro_app.core.limits import MAX_ADDRESS, MAX_NAME, check_phone, check_text
from loggro_app.core.nit import (
    IDENTIFICATION_TYPES,
    NIT_TYPE,
    compute_dv,
    normalize_identification,
    validate_nit,
)
from loggro_app.dian import FOREIGN_ID_TYPES, codes

MAX_EMAILS = 10
MAX_CITY = 100
COMPANY_ID_TYPES = (NIT_TYPE, "50")  # a NIT, Colombian or of another country: a company
COLOMBIA = "CO"


def is_abroad(country_code: str) -> bool:
    """A customer outside Colombia: its invoices are exports (type 02)."""
    return bool(country_code) and country_code != COLOMBIA


@dataclass(frozen=True)
class CustomerData:
    identification_type: str
    identification_number: str
    dv: int | None
    person_type: str
    name: str
    trade_name: str
    address: str
    country_code: str
    city_name: str
    municipality_code: str
    neighborhood: str
    postal_code: str
    phone: str
    send_xml_email: bool
    emails: tuple[str, ...]

    @classmethod
    def parse(
        cls, *, identification_type: str, identification_number: str, dv: str = "",
        name: str, trade_name: str = "", address: str = "", country_code: str = COLOMBIA,
        city_name: str = "", municipality_code: str = "", neighborhood: str = "",
        postal_code: str = "", phone: str = "", send_xml_email: bool = True,
        emails: Sequence[str] = (),
    ) -> CustomerData:
        errors: dict[str, str] = {}
        country_code = (country_code or "").strip().upper()
        number, check_digit = _identification(identification_type, identification_number, dv,
                                              errors)
        name = _text(errors, name, field="name", label="El nombre", maximum=MAX_NAME,
                     required="Escribe el nombre o la razón social del cliente.")
        trade_name = _text(errors, trade_name, field="trade_name", label="El nombre comercial",
                           maximum=MAX_NAME)
        address = _text(errors, address, field="address", label="La dirección",
                        maximum=MAX_ADDRESS, required="Escribe la dirección del cliente.")
        neighborhood = _text(errors, neighborhood, field="neighborhood", label="El barrio",
                             maximum=MAX_NAME)
        try:
            phone = check_phone(phone)
        except ValidationError as exc:
            errors.update(exc.errors)
        if is_abroad(country_code):
            city_name = _abroad(country_code, city_name, identification_type, errors)
            municipality_code = neighborhood = postal = ""
        else:
            city_name = ""  # a Colombian city is its DIVIPOLA municipality
            postal = _location(municipality_code, neighborhood, postal_code, errors)
        clean_emails = _emails(emails, send_xml_email, errors)
        if errors:
            raise ValidationError(errors)
        return cls(
            identification_type=identification_type, identification_number=number,
            dv=check_digit, person_type="1" if identification_type in COMPANY_ID_TYPES else "2",
            name=name, trade_name=trade_name, address=address,
            country_code=country_code or COLOMBIA, city_name=city_name,
            municipality_code=municipality_code, neighborhood=neighborhood,
            postal_code=postal, phone=phone, send_xml_email=send_xml_email,
            emails=clean_emails,
        )


def _text(errors: dict[str, str], raw: str | None, *, field: str, label: str, maximum: int,
          required: str = "") -> str:
    try:
        return check_text(raw, field=field, label=label, maximum=maximum, required=required)
    except ValidationError as exc:
        errors.update(exc.errors)
        return (raw or "").strip()


def _identification(
    kind: str, number: str, dv: str, errors: dict[str, str]
) -> tuple[str, int | None]:
    if kind not in IDENTIFICATION_TYPES:
        errors["identification_type"] = "Selecciona el tipo de identificación."
        return (number or "").strip(), None
    try:
        if kind != NIT_TYPE:
            return normalize_identification(kind, number or ""), None
        return validate_nit(number or "", (dv or "").strip() or None)
    except ValidationError as exc:
        for key, message in exc.errors.items():
            errors["dv" if key == "dv" else "identification_number"] = message
        return (number or "").strip(), None


def _abroad(country_code: str, city_name: str, identification_type: str,
            errors: dict[str, str]) -> str:
    """Country, city and identification of a customer abroad; returns the clean city."""
    if country_code not in codes.countries():
        errors["country_code"] = "Selecciona el país del cliente de la lista de la DIAN."
    city = _text(errors, city_name, field="city_name", label="La ciudad", maximum=MAX_CITY,
                 required="Escribe la ciudad del cliente en el exterior.")
    if identification_type in IDENTIFICATION_TYPES and \
            identification_type not in FOREIGN_ID_TYPES:
        names = [_lower(IDENTIFICATION_TYPES[code]) for code in FOREIGN_ID_TYPES]
        errors["identification_type"] = (
            f"Un cliente del exterior se identifica con {', '.join(names[:-1])} o "
            f"{names[-1]}; la DIAN no acepta {_lower(IDENTIFICATION_TYPES[identification_type])} "
            "para un comprador del exterior.")
    return city


def _lower(label: str) -> str:
    """'Pasaporte' -> 'pasaporte', keeping acronyms: 'NIT de otro país' stays."""
    first = label.split()[0]
    return label if first.isupper() else label[0].lower() + label[1:]


def _location(municipality_code: str, neighborhood: str, postal_code: str,
              errors: dict[str, str]) -> str:
    if not municipality_code:
        errors["municipality_code"] = "Selecciona el departamento y el municipio del cliente."
        return ""
    try:
        geo.municipality(municipality_code)
    except ValidationError:
        errors["municipality_code"] = "El municipio seleccionado no existe en la lista DIVIPOLA."
        return ""
    typed = (postal_code or "").strip()
    if not typed:
        return geo.derive_postal_code(municipality_code, (neighborhood or "").strip() or None)
    try:
        return geo.validate_postal_code(municipality_code, typed)
    except ValidationError as exc:
        errors["postal_code"] = next(iter(exc.errors.values()))
        return typed


def _emails(emails: Sequence[str], send_xml: bool, errors: dict[str, str]) -> tuple[str, ...]:
    try:
        clean = parse_emails([e for e in emails if (e or "").strip()])  # names every bad one
    except ValidationError as exc:
        errors.update(exc.errors)
        return ()
    if len(clean) > MAX_EMAILS:
        errors["emails"] = f"Registra máximo {MAX_EMAILS} correos."
    elif send_xml and not clean:
        errors["emails"] = (
            "Agrega al menos un correo: el cliente pidió recibir la documentación "
            "electrónica en formato XML."
        )
    return clean


def dv_preview(kind: str, number: str) -> str:
    """The DV shown next to a NIT while it is typed ('' when not computable yet)."""
    digits = (number or "").replace(".", "").replace("-", "").replace(" ", "")
    if kind != NIT_TYPE or not digits.isdigit() or len(digits) > 15:
        return ""
    return str(compute_dv(digits))

"""The checks a PMS document passes before it is stored, each naming its field and, where
DIAN would refuse it, DIAN's rule code (pure: no database, no clock).

The PMS numbers its own documents under the *Venta Externa No POS* consecutive, so its
prefix, number and date must fall inside that consecutive exactly (seed 001).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loggro_app.core.nit import FINAL_CONSUMER_ID
from loggro_app.core.numbering import Resolution
from loggro_app.pms.schema import PmsDocumentIn

PASSPORT = "41"
FOREIGN_ID_TYPES = ("21", "22", "41", "42", "47", "50")  # documents of people from abroad
COLOMBIA = "CO"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    rule: str = ""


def numbering_errors(resolution: Resolution, *, prefix: str, number: int, issue_date: date,
                     today: date, consecutive: str) -> list[FieldError]:
    """Where the document's number and date fall outside the consecutive (`consecutive`:
    its name, for the messages)."""
    errors = []
    if prefix != resolution.prefix:
        errors.append(FieldError("prefix", (
            f"El prefijo «{prefix}» no es el del consecutivo {consecutive} "
            f"(«{resolution.prefix}»)."), "FAB10b"))
    if number < resolution.range_from:
        errors.append(FieldError("number", (
            f"El número {number} es menor que el inicial del consecutivo {consecutive} "
            f"({resolution.range_from})."), "FAD05b"))
    elif number > resolution.range_to:
        errors.append(FieldError("number", (
            f"El número {number} es mayor que el final del consecutivo {consecutive} "
            f"({resolution.range_to})."), "FAD05c"))
    if issue_date < resolution.valid_from:
        errors.append(FieldError("issue_date", (
            f"La fecha {issue_date:%d/%m/%Y} es anterior a la vigencia de la resolución "
            f"del consecutivo {consecutive} (desde {resolution.valid_from:%d/%m/%Y})."),
            "FAB07a"))
    elif issue_date > resolution.valid_to:
        errors.append(FieldError("issue_date", (
            f"La fecha {issue_date:%d/%m/%Y} es posterior a la vigencia de la resolución "
            f"del consecutivo {consecutive} (hasta {resolution.valid_to:%d/%m/%Y})."),
            "FAB07b"))
    elif issue_date != today:
        errors.append(FieldError("issue_date", (
            f"La fecha del documento ({issue_date:%d/%m/%Y}) debe ser la de hoy en Colombia "
            f"({today:%d/%m/%Y}): la DIAN exige que sea la fecha de la firma."), "FAD09e"))
    return errors


def is_foreign_guest(document: PmsDocumentIn) -> bool:
    customer = document.customer
    return (customer is not None and customer.id_type in FOREIGN_ID_TYPES
            and customer.country_code != COLOMBIA)


def content_errors(document: PmsDocumentIn, *, today: date) -> list[FieldError]:
    """The hotel's own rules: the IVA exemption of lodging, notes and their reference,
    payment terms, the foreign currency's rate."""
    errors = []
    customer = document.customer
    exempt_lodging = [i for i, line in enumerate(document.lines)
                      if line.category == "lodging" and line.tax == "IVA_0"]
    for index in exempt_lodging:
        # Lodging is exempt of IVA only for a non-resident foreigner who proves it
        # (passport and entry stamp or migration card); anyone else pays IVA 19 %.
        if not is_foreign_guest(document):
            errors.append(FieldError(f"lines.{index}.tax", (
                "El alojamiento sin IVA (exento) es solo para huéspedes extranjeros no "
                "residentes identificados con pasaporte o documento extranjero.")))
        elif document.exemption is None:
            errors.append(FieldError("exemption", (
                "El alojamiento exento de IVA necesita la evidencia de la exención: número "
                "de pasaporte, fecha de ingreso y sello o tarjeta migratoria.")))
    if document.exemption is not None:
        if not is_foreign_guest(document):
            errors.append(FieldError("exemption", (
                "La exención de IVA por alojamiento aplica solo a huéspedes extranjeros.")))
        elif customer is not None and customer.id_type == PASSPORT and (
                document.exemption.passport_number != customer.id_number):
            errors.append(FieldError("exemption.passport_number", (
                "El pasaporte de la evidencia no es el del huésped.")))
        if document.exemption.entry_date > document.issue_date:
            errors.append(FieldError("exemption.entry_date", (
                "La fecha de ingreso al país no puede ser posterior a la del documento.")))
    if customer is not None:
        if customer.id_number == FINAL_CONSUMER_ID and customer.id_type != "13":
            errors.append(FieldError("customer.id_type", (
                "El consumidor final se identifica con tipo 13 y número 222222222222 "
                "(o envía el cliente vacío).")))
        if customer.country_code == COLOMBIA and not customer.municipality_code and (
                customer.id_number != FINAL_CONSUMER_ID):
            errors.append(FieldError("customer.municipality_code", (
                "Para un cliente en Colombia envía el código DIVIPOLA del municipio "
                "(5 dígitos).")))
        if customer.country_code != COLOMBIA and not customer.city:
            errors.append(FieldError("customer.city", (
                "Para un cliente del exterior envía la ciudad.")))
    is_note = document.kind in ("credit_note", "debit_note")
    if is_note and document.reference is None:
        errors.append(FieldError("reference", (
            "Una nota necesita la factura que corrige: reference.pms_document_id, concepto "
            "y descripción.")))
    if not is_note and document.reference is not None:
        errors.append(FieldError("reference", "Solo las notas llevan referencia a una factura."))
    if document.payment.form == "2":
        if document.payment.due_date is None:
            errors.append(FieldError("payment.due_date", (
                "A crédito, envía la fecha de vencimiento.")))
        elif document.payment.due_date < today:
            errors.append(FieldError("payment.due_date", (
                "La fecha de vencimiento no puede ser anterior a hoy.")))
    if document.currency == "COP" and document.exchange_rate is not None:
        errors.append(FieldError("exchange_rate", "En pesos no se envía tasa de cambio."))
    if document.currency != "COP" and document.exchange_rate is None:
        errors.append(FieldError("exchange_rate", (
            f"Envía la tasa de cambio: pesos por 1 {document.currency}.")))
    if document.tip is not None and document.kind != "invoice":
        errors.append(FieldError("tip", "La propina solo va en facturas."))
    return errors

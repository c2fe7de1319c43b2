"""Local DIAN rules checked before sending (model level), with rule codes and fix hints.

XSD validation (xsd.py) covers structure; these cover what the schema cannot see:
numbering range and validity, dates, parties, totals. Codes are DIAN's where one is known
(SPEC §4.7); `None` means the check is ours.
"""

from __future__ import annotations

from datetime import date

from loggro_app.core import nit
from loggro_app.core.errors import ValidationError
from loggro_app.dian.model.document import Document, Kind
from loggro_app.dian.rules.export import export_violations
from loggro_app.dian.rules.violations import Violation
from loggro_app.dian.totals import Totals

__all__ = ["Violation", "check_document", "raise_for"]


def _numbering(document: Document) -> list[Violation]:
    resolution = document.resolution
    if resolution is None or document.kind.is_note:
        return []
    found: list[Violation] = []
    if document.prefix != resolution.prefix:
        found.append(
            Violation(
                None,
                f"El prefijo '{document.prefix}' no es el de la resolución '{resolution.prefix}'.",
                "Use el prefijo autorizado en la resolución.",
                "prefijo",
            )
        )
    if document.number < resolution.range_from:
        found.append(
            Violation(
                "FAD05b",
                f"El número {document.number} es menor que el inicio del "
                f"rango autorizado ({resolution.range_from}).",
                "Use un consecutivo dentro del rango de la resolución.",
                "numero",
            )
        )
    if document.number > resolution.range_to:
        found.append(
            Violation(
                "FAD05c",
                f"El número {document.number} supera el final del rango "
                f"autorizado ({resolution.range_to}).",
                "Solicite una nueva resolución de numeración a la DIAN.",
                "numero",
            )
        )
    issued = document.issued_at.date()
    if issued < resolution.valid_from:
        found.append(
            Violation(
                "FAB07a",
                f"La fecha de emisión {issued} es anterior a la vigencia "
                f"de la resolución ({resolution.valid_from}).",
                "Emita dentro de la vigencia de la resolución.",
                "fecha_emision",
            )
        )
    if issued > resolution.valid_to:
        found.append(
            Violation(
                "FAB07b",
                f"La resolución venció el {resolution.valid_to}; la fecha de emisión es {issued}.",
                "Solicite una nueva resolución y asocie su prefijo al software.",
                "fecha_emision",
            )
        )
    return found


def _dates(document: Document, signing_date: date) -> list[Violation]:
    found: list[Violation] = []
    issued = document.issued_at.date()
    if issued != signing_date:
        found.append(
            Violation(
                "FAD09e",
                f"La fecha de emisión ({issued}) difiere de la fecha de firma ({signing_date}).",
                "Genere y firme el documento el mismo día.",
                "fecha_emision",
            )
        )
    due = document.payment.due_date
    if due is not None and due < issued:
        found.append(
            Violation(
                None,
                f"La fecha de vencimiento {due} es anterior a la emisión.",
                "Corrija la fecha de vencimiento del pago.",
                "pago.fecha_vencimiento",
            )
        )
    rate_date = document.exchange_rate_date
    if rate_date is not None and rate_date > issued:
        found.append(
            Violation(
                None,
                f"La tasa de cambio es del {rate_date}, posterior a la emisión ({issued}).",
                "Use la tasa de cambio (TRM) vigente en la fecha de emisión o una anterior.",
                "tasa_cambio_fecha",
            )
        )
    if document.reference is not None and document.reference.issue_date > issued:
        found.append(
            Violation(
                None,
                "El documento referenciado es posterior a la nota.",
                "Verifique la fecha de la factura referenciada.",
                "referencia.fecha",
            )
        )
    return found


def _parties(document: Document) -> list[Violation]:
    found: list[Violation] = []
    buyer = document.counterparty
    if buyer.organization_type == "2" and not buyer.id_number:
        found.append(
            Violation(
                "FAK61",
                "Adquirente persona natural sin identificación.",
                "Informe el documento de identidad del adquirente.",
                "adquirente.identificacion",
            )
        )
    if document.issuer.address is None:
        found.append(
            Violation(
                None,
                "El emisor no tiene dirección.",
                "Registre la dirección y el municipio del emisor.",
                "emisor.direccion",
            )
        )
    if document.kind == Kind.INVOICE and not buyer.is_final_consumer and buyer.email is None:
        found.append(
            Violation(
                None,
                "El adquirente no tiene correo electrónico.",
                "Registre el correo donde recibe facturas electrónicas.",
                "adquirente.correo",
            )
        )
    if document.kind.is_support and buyer.id_type == nit.NIT_TYPE and buyer.dv is None:
        found.append(
            Violation(
                "DSAK24b", "Vendedor con NIT sin DV.", "Informe el DV del NIT.", "vendedor.dv"
            )
        )
    return found


def _totals(document: Document, totals: Totals) -> list[Violation]:
    found: list[Violation] = []
    if totals.payable == 0 and document.kind == Kind.INVOICE:
        found.append(
            Violation(
                None,
                "El total a pagar es cero.",
                "Revise precios, descuentos y anticipos.",
                "total",
            )
        )
    if sum(lt.line_extension for lt in totals.lines) != totals.line_extension:
        found.append(
            Violation("FAU02", "El total de líneas no suma.", "Error interno: reporte.", "lineas")
        )
    return found


def check_document(document: Document, totals: Totals, *, signing_date: date) -> list[Violation]:
    """Every local rule violation of a document about to be signed on `signing_date`."""
    return [
        *_numbering(document),
        *_dates(document, signing_date),
        *_parties(document),
        *_totals(document, totals),
        *export_violations(document),  # normally refused earlier by the model itself
    ]


def raise_for(violations: list[Violation]) -> None:
    """Turn violations into one ValidationError (field = rule code)."""
    if violations:
        raise ValidationError(
            {v.code or v.field or f"regla_{i}": str(v) for i, v in enumerate(violations, 1)}
        )

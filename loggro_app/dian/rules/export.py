"""Rules of the factura electrónica de exportación (InvoiceTypeCode 02), with fix hints.

The document model refuses an export that breaks them (Document.__post_init__), and
rules.check_document lists them again, so both paths report the same code and hint.
DIAN's rule code is given where it is known (SPEC §4.7); `None` marks a check of ours that
mirrors an annex requirement (buyer abroad, PaymentExchangeRate, DeliveryTerms,
BrandName/ModelName on export lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import Protocol

from loggro_app.core import nit
from loggro_app.dian.model.export import FOREIGN_ID_TYPES, DeliveryTerms
from loggro_app.dian.model.lines import Line
from loggro_app.dian.model.parties import Party
from loggro_app.dian.rules.violations import Violation


class Document(Protocol):
    """What these rules read of a document; the model calls them while it validates itself,
    so they depend on this shape, not on the model's module (no import cycle)."""

    @property
    def kind(self) -> Enum: ...
    @property
    def invoice_type(self) -> str: ...
    @property
    def counterparty(self) -> Party: ...
    @property
    def currency(self) -> str: ...
    @property
    def exchange_rate(self) -> Decimal | None: ...
    @property
    def delivery_terms(self) -> DeliveryTerms | None: ...
    @property
    def lines(self) -> Sequence[Line]: ...

EXPORT_TYPE = "02"


def is_export(document: Document) -> bool:
    return document.kind.value == "invoice" and document.invoice_type == EXPORT_TYPE


def _buyer(document: Document) -> list[Violation]:
    buyer = document.counterparty
    found: list[Violation] = []
    if buyer.address is None:
        found.append(
            Violation(
                None,
                "La factura de exportación no tiene la dirección del adquirente.",
                "Informe país (distinto de CO), ciudad y dirección del comprador del exterior.",
                "adquirente.direccion",
            )
        )
    elif buyer.address.is_colombian:
        found.append(
            Violation(
                None,
                "El adquirente de una factura de exportación está en Colombia (país CO).",
                "Registre el país del comprador del exterior, o emita una factura de venta "
                "nacional (tipo 01) si el comprador está en Colombia.",
                "adquirente.pais",
            )
        )
    if buyer.id_type not in FOREIGN_ID_TYPES:
        name = nit.IDENTIFICATION_TYPES.get(buyer.id_type, buyer.id_type)
        found.append(
            Violation(
                None,
                f"El adquirente se identifica con tipo {buyer.id_type} ({name}), que no es "
                "una identificación del exterior.",
                "Use 50 (NIT de otro país), 42 (documento de identificación extranjero) "
                "o 41 (pasaporte).",
                "adquirente.tipo_identificacion",
            )
        )
    return found


def _currency_and_terms(document: Document) -> list[Violation]:
    found: list[Violation] = []
    if document.currency == "COP" or document.exchange_rate is None:
        found.append(
            Violation(
                None,
                "La factura de exportación no informa la moneda extranjera y su tasa de "
                "cambio (cac:PaymentExchangeRate).",
                "Informe la moneda pactada con el comprador (ej. USD) y la tasa de cambio "
                "en pesos por unidad (ej. 4012.35).",
                "moneda",
            )
        )
    elif document.exchange_rate <= 0:
        found.append(
            Violation(
                None,
                f"La tasa de cambio {document.exchange_rate} no es positiva.",
                "Informe cuántos pesos vale 1 unidad de la moneda (TRM del día).",
                "tasa_cambio",
            )
        )
    if document.delivery_terms is None:
        found.append(
            Violation(
                None,
                "La factura de exportación no informa las condiciones de entrega "
                "(INCOTERMS, cac:DeliveryTerms).",
                "Informe el INCOTERM pactado (ej. FOB, CIF, EXW) y, si aplica, el lugar.",
                "condiciones_entrega",
            )
        )
    return found


def _lines(document: Document) -> list[Violation]:
    found: list[Violation] = []
    for i, line in enumerate(document.lines, start=1):
        for value, label, element, required in (
            (line.brand, "la marca", "cbc:BrandName", "obligatoria"),
            (line.model, "el modelo", "cbc:ModelName", "obligatorio"),
        ):
            if not (value or "").strip():
                noun = label.split()[1]
                found.append(
                    Violation(
                        None,
                        f"La línea {i} ({line.code}) no tiene {noun} ({element}), "
                        f"{required} en las líneas de una factura de exportación.",
                        f"Informe {label} del producto exportado en la línea {i}.",
                        f"lineas[{i}].{noun}",
                    )
                )
    return found


def export_violations(document: Document) -> list[Violation]:
    """Every export rule the document breaks; [] for anything that is not an export."""
    if not is_export(document):
        return []
    return [*_buyer(document), *_currency_and_terms(document), *_lines(document)]

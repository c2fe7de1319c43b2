"""GraphicData -> the strings the template prints (Res. 000042/2020 art. 11, SPEC §7).

Everything here is plain text; the template only lays it out (and escapes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from loggro_app.core.clock import BOGOTA
from loggro_app.dian import Document, Kind, codes, compute_totals
from loggro_app.representation.amounts import (
    LineView,
    Row,
    TaxRow,
    currency_rows,
    line_views,
    money,
    tax_rows,
    total_rows,
    withholding_total,
)
from loggro_app.representation.data import GraphicData
from loggro_app.representation.parties import PartyView, party_view
from loggro_app.representation.words import amount_in_words

_SUPPORT_SUBJECT = (
    "en adquisiciones efectuadas a sujetos no obligados a expedir factura de venta o "
    "documento equivalente"
)
TITLES = {
    Kind.CREDIT_NOTE: "Nota crédito electrónica",
    Kind.DEBIT_NOTE: "Nota débito electrónica",
    Kind.SUPPORT_DOCUMENT: f"Documento soporte {_SUPPORT_SUBJECT}",
    Kind.SUPPORT_ADJUSTMENT: f"Nota de ajuste al documento soporte {_SUPPORT_SUBJECT}",
}
TEST_ENVIRONMENT_BANNER = "Ambiente de pruebas (habilitación): documento sin validez fiscal"


@dataclass(frozen=True)
class DocumentView:
    title: str
    number: str
    environment_banner: str | None
    contingency_legend: str | None
    issuer: PartyView
    counterparty: PartyView
    resolution_text: str | None
    info: tuple[Row, ...]  # dates, payment, currency, delivery
    reference: tuple[Row, ...]  # notes: referenced document and correction concept
    lines: tuple[LineView, ...]
    taxes: tuple[TaxRow, ...]
    withholdings: tuple[TaxRow, ...]
    withholding_total: str | None
    totals: tuple[Row, ...]
    payable: str
    amount_words: str
    currency_rows: tuple[Row, ...]
    notes: tuple[str, ...]
    unique_code_label: str  # CUFE / CUDE / CUDS
    unique_code: str
    qr_text: str
    software_line: str


def title(document: Document) -> str:
    if document.kind == Kind.INVOICE:
        if document.invoice_type == "02":
            return "Factura electrónica de exportación"
        return "Factura electrónica de venta"
    return TITLES[document.kind]


def moment(value: datetime) -> str:
    """Aware datetime as Colombian local time: '22/11/2026 10:30:00'."""
    return f"{value.astimezone(BOGOTA):%d/%m/%Y %H:%M:%S}"


def day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def resolution_text(document: Document) -> str | None:
    """'Resolución DIAN N° … del …, prefijo … del … al …, vigencia …' (SPEC §7)."""
    res = document.resolution
    if res is None or document.kind.is_note:
        return None
    prefix = f"prefijo {res.prefix} " if res.prefix else ""
    return (
        f"Numeración autorizada por la DIAN: Resolución N° {res.number} del "
        f"{day(res.valid_from)}, {prefix}del {res.range_from} al {res.range_to}, "
        f"vigencia desde el {day(res.valid_from)} hasta el {day(res.valid_to)}."
    )


def roles(kind: Kind) -> tuple[str, str]:
    """(issuer, counterparty) labels; in documento soporte the issuer is the buyer."""
    if kind.is_support:
        return "Adquiriente (emisor)", "Vendedor o prestador del servicio (no obligado a facturar)"
    return "Vendedor (emisor)", "Adquiriente"


def info_rows(data: GraphicData) -> tuple[Row, ...]:
    doc = data.document
    rows = [
        Row("Fecha y hora de generación", moment(doc.issued_at)),
        Row("Fecha y hora de firma", moment(data.signed_at)),
        Row(
            "Fecha y hora de validación DIAN",
            moment(data.validated_at) if data.validated_at else "Pendiente",
        ),
        Row("Estado DIAN", data.dian_status),
        Row("Forma de pago", codes.PAYMENT_FORMS[doc.payment.form]),
        Row("Medio de pago", codes.payment_means_labels()[doc.payment.means_code]),
    ]
    if doc.payment.due_date is not None:
        rows.append(Row("Fecha de vencimiento", day(doc.payment.due_date)))
    rows.append(Row("Moneda", f"{doc.currency} · {codes.currencies()[doc.currency]}"))
    if doc.delivery_terms is not None:
        terms = doc.delivery_terms
        place = f", {terms.special_terms}" if terms.special_terms else ""
        rows.append(Row("INCOTERM", f"{terms.incoterm} · {terms.description}{place}"))
    if doc.delivery is not None:
        where = doc.delivery.address
        rows.append(Row("Lugar de entrega", f"{where.street}, {where.city}, {where.country_name}"))
    if doc.period is not None:
        rows.append(Row("Periodo facturado", f"{day(doc.period[0])} a {day(doc.period[1])}"))
    return tuple(rows)


def reference_rows(document: Document) -> tuple[Row, ...]:
    """The corrected document (number, code, date) and the correction concept of a note."""
    rows = []
    ref = document.reference
    if ref is not None:
        label = ref.scheme_name[:4]
        rows += [
            Row("Documento referenciado", ref.number),
            Row(f"{label} del documento referenciado", ref.uuid, is_code=True),
            Row("Fecha de emisión del referenciado", day(ref.issue_date)),
        ]
    if document.correction is not None:
        concepts = (
            codes.debit_note_concepts()
            if document.kind == Kind.DEBIT_NOTE
            else codes.credit_note_concepts()
        )
        code = document.correction.concept
        name = concepts.get(code, "")
        rows += [
            Row("Concepto de corrección", f"{code} · {name}" if name else code),
            Row("Descripción de la corrección", document.correction.description),
        ]
    return tuple(rows)


def document_view(data: GraphicData) -> DocumentView:
    doc = data.document
    totals = compute_totals(doc)
    issuer_role, counterparty_role = roles(doc.kind)
    return DocumentView(
        title=title(doc),
        number=doc.number_text,
        environment_banner=TEST_ENVIRONMENT_BANNER if doc.environment == 2 else None,
        contingency_legend=data.contingency_legend,
        issuer=party_view(doc.issuer, issuer_role),
        counterparty=party_view(doc.counterparty, counterparty_role),
        resolution_text=resolution_text(doc),
        info=info_rows(data),
        reference=reference_rows(doc),
        lines=line_views(doc, totals),
        taxes=tax_rows(totals.tax_totals, doc.currency),
        withholdings=tax_rows(totals.withholding_totals, doc.currency),
        withholding_total=withholding_total(totals, doc.currency),
        totals=total_rows(doc, totals),
        payable=money(totals.payable, doc.currency),
        amount_words=amount_in_words(totals.payable, doc.currency),
        currency_rows=currency_rows(doc, totals),
        notes=doc.notes,
        unique_code_label=data.scheme_name[:4],
        unique_code=data.unique_code,
        qr_text=data.qr_text,
        software_line=data.provider.line,
    )

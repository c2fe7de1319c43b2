"""The electronic document: kind, numbering, parties, lines, payment and references."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from loggro_app.core import nit
from loggro_app.core.errors import ValidationError
from loggro_app.dian import codes
from loggro_app.dian.model import checks
from loggro_app.dian.model.export import Delivery, DeliveryTerms
from loggro_app.dian.model.lines import AllowanceCharge, Line
from loggro_app.dian.model.parties import Party, Resolution, Software
from loggro_app.dian.rules.export import export_violations

BOGOTA_OFFSET = timedelta(hours=-5)


class Kind(StrEnum):
    """Document kinds; the value is the JSON `kind`."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"
    SUPPORT_DOCUMENT = "support_document"
    SUPPORT_ADJUSTMENT = "support_adjustment"

    @property
    def is_support(self) -> bool:
        return self in (Kind.SUPPORT_DOCUMENT, Kind.SUPPORT_ADJUSTMENT)

    @property
    def is_note(self) -> bool:
        return self in (Kind.CREDIT_NOTE, Kind.DEBIT_NOTE, Kind.SUPPORT_ADJUSTMENT)


INVOICE_TYPES = {
    "01": "venta",
    "02": "exportación",
    "03": "contingencia facturador",
    "04": "contingencia DIAN",
}
TYPE_CODE = {
    Kind.CREDIT_NOTE: "91",
    Kind.DEBIT_NOTE: "92",
    Kind.SUPPORT_DOCUMENT: "05",
    Kind.SUPPORT_ADJUSTMENT: "95",
}


@dataclass(frozen=True)
class Payment:
    """PaymentMeans: form (1 contado, 2 crédito), means (table 13.3.4.2), due date."""

    form: str = "1"
    means_code: str = "10"
    due_date: date | None = None

    def __post_init__(self) -> None:
        checks.one_of("forma_pago", self.form, codes.PAYMENT_FORMS, "forma de pago (1, 2)")
        checks.one_of("medio_pago", self.means_code, codes.payment_means(), "medio de pago")
        if self.form == "2" and self.due_date is None:
            checks.fail(
                "fecha_vencimiento",
                "fecha_vencimiento: es obligatoria cuando la forma de pago es crédito (2).",
            )


@dataclass(frozen=True)
class BillingReference:
    """The document a note corrects: number, CUFE/CUDS, issue date."""

    number: str
    uuid: str
    issue_date: date
    scheme_name: str = "CUFE-SHA384"

    def __post_init__(self) -> None:
        checks.text("referencia_numero", self.number, max_len=40)
        if len(self.uuid) != 96 or any(c not in "0123456789abcdef" for c in self.uuid):
            checks.fail(
                "referencia_cufe",
                "referencia_cufe: el CUFE/CUDS referenciado debe tener "
                "96 caracteres hexadecimales en minúscula.",
            )
        checks.one_of(
            "referencia_esquema",
            self.scheme_name,
            ("CUFE-SHA384", "CUDE-SHA384", "CUDS-SHA384"),
            "esquema de código único",
        )


@dataclass(frozen=True)
class Correction:
    """DiscrepancyResponse of a note: concept code and description."""

    concept: str
    description: str

    def __post_init__(self) -> None:
        checks.text("concepto", self.concept, max_len=2)
        checks.text("descripcion_correccion", self.description, max_len=500)


@dataclass(frozen=True)
class Document:
    """Everything needed to build, hash and sign one DIAN document.

    `issuer` is the company using this software (it signs). `counterparty` is the buyer
    for invoices and notes, and the non-obligated seller for documento soporte — the
    builder swaps XML roles for support documents (SPEC §2.10).
    """

    kind: Kind
    prefix: str
    number: int
    issued_at: datetime  # aware, America/Bogota; the clock decides it, not the core
    issuer: Party
    counterparty: Party
    lines: tuple[Line, ...]
    software: Software
    environment: int = 2
    resolution: Resolution | None = None  # invoices and documento soporte
    invoice_type: str = "01"  # invoices only: 01, 02, 03, 04
    payment: Payment = Payment()
    currency: str = "COP"
    exchange_rate: Decimal | None = None  # COP per unit of `currency`
    exchange_rate_date: date | None = None  # date of the rate; default: the issue date
    allowances: tuple[AllowanceCharge, ...] = ()  # global discounts / charges
    prepaid: Decimal = Decimal("0")
    notes: tuple[str, ...] = ()
    reference: BillingReference | None = None
    correction: Correction | None = None
    period: tuple[date, date] | None = None  # notes without reference (CAE02/CAE04)
    delivery: Delivery | None = None  # cac:Delivery (invoices)
    delivery_terms: DeliveryTerms | None = None  # cac:DeliveryTerms, INCOTERMS (export)

    def __post_init__(self) -> None:
        checks.text("prefijo", self.prefix, required=False, max_len=4)
        if isinstance(self.number, bool) or not isinstance(self.number, int) or self.number < 0:
            checks.fail("numero", "numero: el consecutivo debe ser un entero positivo.")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() != BOGOTA_OFFSET:
            checks.fail("fecha_emision", "fecha_emision: debe estar en hora de Colombia (-05:00).")
        if self.issuer.id_type != nit.NIT_TYPE:
            checks.fail("emisor", "emisor: el emisor debe identificarse con NIT (tipo 31).")
        if not self.lines:
            checks.fail("lineas", "lineas: el documento debe tener al menos una línea.")
        checks.one_of("ambiente", self.environment, codes.ENVIRONMENTS, "ambiente (1, 2)")
        checks.decimal("anticipo", self.prepaid)
        for note in self.notes:
            checks.text("notas", note, max_len=5000)
        self._check_currency()
        self._check_kind()
        self._check_export()

    def _check_export(self) -> None:
        """Delivery data belongs to invoices; an export (02) must pass rules/export.py."""
        if (self.delivery or self.delivery_terms) and self.kind != Kind.INVOICE:
            checks.fail(
                "entrega", "entrega: la entrega y el INCOTERM solo se informan en facturas."
            )
        violations = export_violations(self)
        if violations:
            raise ValidationError(
                {v.field or f"regla_{i}": f"{v.field}: {v}" for i, v in enumerate(violations, 1)}
            )

    def _check_currency(self) -> None:
        checks.one_of("moneda", self.currency, codes.currencies(), "código de moneda ISO 4217")
        if self.currency == "COP":
            if self.exchange_rate is not None:
                checks.fail("tasa_cambio", "tasa_cambio: solo aplica a monedas distintas de COP.")
        elif self.exchange_rate is None:
            checks.fail(
                "tasa_cambio",
                f"tasa_cambio: es obligatoria para documentos en {self.currency} "
                f"(cac:PaymentExchangeRate); informe cuántos pesos vale 1 {self.currency} "
                "(ej. 4012.35).",
            )
        else:
            checks.decimal("tasa_cambio", self.exchange_rate, positive=True)
        if self.exchange_rate_date is not None and self.exchange_rate is None:
            checks.fail(
                "tasa_cambio_fecha", "tasa_cambio_fecha: solo aplica cuando hay tasa de cambio."
            )

    def _check_kind(self) -> None:
        if self.kind in (Kind.INVOICE, Kind.SUPPORT_DOCUMENT) and self.resolution is None:
            checks.fail(
                "resolucion",
                "resolucion: facturas y documentos soporte requieren la "
                "resolución de numeración con su clave técnica.",
            )
        if self.kind == Kind.INVOICE:
            checks.one_of("tipo_factura", self.invoice_type, INVOICE_TYPES, "tipo de factura")
        if self.kind.is_note:
            self._check_note()
        if self.kind == Kind.INVOICE and self.counterparty.is_final_consumer:
            if self.counterparty.id_type != "13":
                checks.fail(
                    "adquirente",
                    "adquirente: consumidor final se identifica con tipo 13 y número 222222222222.",
                )

    def _check_note(self) -> None:
        if self.correction is None:
            checks.fail("concepto", "concepto: la nota requiere concepto de corrección.")
        assert self.correction is not None
        if self.kind == Kind.CREDIT_NOTE:
            checks.one_of(
                "concepto",
                self.correction.concept,
                codes.CREDIT_NOTE_CONCEPTS,
                "concepto de nota crédito",
            )
        elif self.kind == Kind.DEBIT_NOTE:
            checks.one_of(
                "concepto",
                self.correction.concept,
                codes.DEBIT_NOTE_CONCEPTS,
                "concepto de nota débito",
            )
        if any(line.withholdings for line in self.lines):
            checks.fail(
                "retenciones",
                "retenciones: las notas no informan retenciones (el esquema UBL de notas no "
                "tiene WithholdingTaxTotal); ajústelas en el documento original.",
            )
        if self.reference is None and self.period is None:
            checks.fail(
                "periodo",
                "periodo: una nota sin factura referenciada debe informar el "
                "periodo de facturación (reglas CAE02/CAE04).",
            )
        if self.kind == Kind.SUPPORT_ADJUSTMENT and self.reference is None:
            checks.fail(
                "referencia", "referencia: la nota de ajuste debe referenciar el documento soporte."
            )

    @property
    def number_text(self) -> str:
        """cbc:ID: prefix + consecutive (SPEC §1.1)."""
        return f"{self.prefix}{self.number}"

    @property
    def type_code(self) -> str:
        return self.invoice_type if self.kind == Kind.INVOICE else TYPE_CODE[self.kind]

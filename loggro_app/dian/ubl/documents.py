"""Invoice (01-04), documento soporte (05), credit/debit notes and nota de ajuste (95).

One function per UBL block; the element order follows the UBL 2.1 maindoc schemas, which
differ per root (e.g. AllowanceCharge sits after PaymentExchangeRate in CreditNote).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from lxml import etree

from loggro_app.core.money import fmt2
from loggro_app.dian.model.document import Document, Kind
from loggro_app.dian.totals import Totals, compute_totals
from loggro_app.dian.ubl.amounts import (
    allowance_charge,
    line,
    monetary_total,
    payment_means,
    tax_total,
)
from loggro_app.dian.ubl.export import cop_note, delivery, exchange_rate
from loggro_app.dian.ubl.extensions import extensions
from loggro_app.dian.ubl.parties import party
from loggro_app.dian.unique_code import CodeFields, CudsFields, qr_text, software_security_code
from loggro_app.dian.unique_code import uses_technical_key as _uses_key
from loggro_app.dian.xmlns import cac, cbc, filled_block, new_root

PROFILE = {  # cbc:ProfileID per document (SPEC §2.4)
    Kind.INVOICE: "DIAN 2.1: Factura Electrónica de Venta",
    Kind.CREDIT_NOTE: "DIAN 2.1: Nota Crédito de Factura Electrónica de Venta",
    Kind.DEBIT_NOTE: "DIAN 2.1: Nota Débito de Factura Electrónica de Venta",
    Kind.SUPPORT_DOCUMENT: "DIAN 2.1: documento soporte en adquisiciones efectuadas a no "
    "obligados a facturar.",
    Kind.SUPPORT_ADJUSTMENT: "DIAN 2.1: Nota de ajuste al documento soporte en adquisiciones "
    "efectuadas a sujetos no obligados a expedir factura o documento equivalente",
}
ROOT = {
    Kind.INVOICE: "Invoice",
    Kind.SUPPORT_DOCUMENT: "Invoice",
    Kind.CREDIT_NOTE: "CreditNote",
    Kind.SUPPORT_ADJUSTMENT: "CreditNote",
    Kind.DEBIT_NOTE: "DebitNote",
}
LINE = {
    "Invoice": ("InvoiceLine", "InvoicedQuantity"),
    "CreditNote": ("CreditNoteLine", "CreditedQuantity"),
    "DebitNote": ("DebitNoteLine", "DebitedQuantity"),
}


@dataclass(frozen=True)
class Unsigned:
    """A built, not yet signed document with its unique code and the pre-hash string."""

    root: etree._Element
    unique_code: str
    scheme_name: str  # CUFE-SHA384 / CUDE-SHA384 / CUDS-SHA384
    code_input: str  # contains the technical key or PIN: never log it
    totals: Totals


def issue_time(document: Document) -> str:
    """HH:MM:SS-05:00, the exact string hashed (SPEC §1.1)."""
    # isoformat, not strftime: the same digits at a quarter of the cost (thrice a document).
    return document.issued_at.time().isoformat(timespec="seconds") + "-05:00"


def customization_id(document: Document) -> str:
    """Tipo de operación (SPEC §2.4): 10 estándar; notes 20/22, 30/32; DS 10/11 by residence.

    Export (InvoiceTypeCode 02) is 10 as well: the 2.1 operation-type table (10 estándar,
    09 AIU, 11 mandatos, ...) has no export code; the document type marks the export. The
    old "04 Exportación" belongs to the Decreto 2242 (v1) list and is refused by 2.1.
    """
    if document.kind == Kind.CREDIT_NOTE:
        return "20" if document.reference else "22"
    if document.kind == Kind.DEBIT_NOTE:
        return "30" if document.reference else "32"
    if document.kind.is_support:
        address = document.counterparty.address
        return "11" if address is not None and not address.is_colombian else "10"
    return "10"


def _code_fields(document: Document, totals: Totals) -> CodeFields | CudsFields:
    common = (
        document.number_text,
        document.issued_at.date().isoformat(),
        issue_time(document),
        fmt2(totals.line_extension),
    )
    if document.kind.is_support:
        return CudsFields(
            *common,
            iva=fmt2(totals.tax_amount("01")),
            payable=fmt2(totals.payable),
            seller_id=document.counterparty.id_number,
            issuer_nit=document.issuer.id_number,
            pin=document.software.pin,
            environment=str(document.environment),
        )
    use_key = document.kind == Kind.INVOICE and _uses_key(document.invoice_type)
    assert not use_key or document.resolution is not None
    secret = (
        document.resolution.technical_key
        if use_key and document.resolution
        else document.software.pin
    )
    return CodeFields(
        *common,
        iva=fmt2(totals.tax_amount("01")),
        inc=fmt2(totals.tax_amount("04")),
        ica=fmt2(totals.tax_amount("03")),
        payable=fmt2(totals.payable),
        issuer_nit=document.issuer.id_number,
        buyer_id=document.counterparty.id_number,
        secret=secret,
        environment=str(document.environment),
    )


def scheme_name(document: Document) -> str:
    if document.kind.is_support:
        return "CUDS-SHA384"
    if document.kind == Kind.INVOICE and _uses_key(document.invoice_type):
        return "CUFE-SHA384"
    return "CUDE-SHA384"


def qr_content(document: Document, unique_code: str, totals: Totals | None = None) -> str:
    """QR text block (SPEC §2.3), ending in the catalogue URL of the environment.

    The one formula for `sts:QRCode` and for the QR printed on the graphic representation,
    so the XML and the PDF can never encode different texts.
    """
    totals = totals if totals is not None else compute_totals(document)
    code = unique_code
    label = scheme_name(document)[:4]
    rows = [
        ("NumFac", document.number_text),
        ("FecFac", document.issued_at.date().isoformat()),
        ("HorFac", issue_time(document)),
        ("NitFac", document.issuer.id_number),
        ("DocAdq", document.counterparty.id_number),
        ("ValFac", fmt2(totals.line_extension)),
        ("ValIva", fmt2(totals.tax_amount("01"))),
        ("ValOtroIm", fmt2(totals.tax_amount("04") + totals.tax_amount("03"))),
        ("ValTolFac", fmt2(totals.payable)),
        (label, code),
    ]
    return qr_text(rows, code, document.environment)


def _header(root: etree._Element, document: Document, code: str, scheme: str) -> None:
    """UBLVersionID .. IssueTime (FAD rules); UUID carries the code with schemeID = ambiente."""
    environment = str(document.environment)
    texts = [
        customization_id(document),
        PROFILE[document.kind],
        environment,
        document.number_text,
        code,
        document.issued_at.date().isoformat(),
        issue_time(document),
    ]
    shape = (environment, scheme)
    filled_block(root, (_header_block, shape), partial(_header_block, shape), texts)


def _header_block(shape: tuple[str, str], root: etree._Element, texts: Iterator[str]) -> None:
    environment, scheme = shape
    cbc(root, "UBLVersionID", "UBL 2.1")
    cbc(root, "CustomizationID", next(texts))
    cbc(root, "ProfileID", next(texts))
    cbc(root, "ProfileExecutionID", next(texts))
    cbc(root, "ID", next(texts))
    cbc(root, "UUID", next(texts), schemeID=environment, schemeName=scheme)
    cbc(root, "IssueDate", next(texts))
    cbc(root, "IssueTime", next(texts))


def _type_notes_currency(
    root: etree._Element, document: Document, totals: Totals, root_name: str
) -> None:
    if root_name == "Invoice":
        if document.payment.due_date is not None:
            cbc(root, "DueDate", document.payment.due_date.isoformat())
        cbc(root, "InvoiceTypeCode", document.type_code)
    elif root_name == "CreditNote":
        cbc(root, "CreditNoteTypeCode", document.type_code)
    for note in document.notes:
        cbc(root, "Note", note)
    cop = cop_note(document, totals)  # foreign currency: the COP values (Res. 165 art. 66)
    if cop is not None:
        cbc(root, "Note", cop)
    # DSFC03: the documento soporte schema refuses list attributes on the currency code.
    cbc(root, "DocumentCurrencyCode", document.currency)
    cbc(root, "LineCountNumeric", str(len(document.lines)))


def _period_and_references(root: etree._Element, document: Document) -> None:
    """InvoicePeriod (CAE02/CAE04), DiscrepancyResponse and BillingReference for notes."""
    if document.period is not None:
        period = cac(root, "InvoicePeriod")
        cbc(period, "StartDate", document.period[0].isoformat())
        cbc(period, "EndDate", document.period[1].isoformat())
    if document.correction is not None:
        discrepancy = cac(root, "DiscrepancyResponse")
        if document.reference is not None:
            cbc(discrepancy, "ReferenceID", document.reference.number)
        cbc(discrepancy, "ResponseCode", document.correction.concept)
        cbc(discrepancy, "Description", document.correction.description)
    if document.reference is not None:
        billing = cac(cac(root, "BillingReference"), "InvoiceDocumentReference")
        cbc(billing, "ID", document.reference.number)
        cbc(billing, "UUID", document.reference.uuid, schemeName=document.reference.scheme_name)
        cbc(billing, "IssueDate", document.reference.issue_date.isoformat())


def _parties(root: etree._Element, document: Document) -> None:
    """Supplier/customer; documento soporte swaps roles: seller supplies (SPEC §2.10)."""
    prefix = document.resolution.prefix if document.resolution else document.prefix
    if document.kind.is_support:
        party(root, "AccountingSupplierParty", document.counterparty)
        party(root, "AccountingCustomerParty", document.issuer, force_nit_scheme=True)
    else:
        party(root, "AccountingSupplierParty", document.issuer, corporate_prefix=prefix)
        party(root, "AccountingCustomerParty", document.counterparty)


def _money_blocks(root: etree._Element, document: Document, totals: Totals, root_name: str) -> None:
    """Payment, global allowances, exchange rate, tax totals, monetary total, in schema order."""
    currency = document.currency

    def global_allowances() -> None:
        for i, item in enumerate(document.allowances, start=1):
            allowance_charge(root, i, item, totals.line_extension, currency)

    if root_name == "DebitNote":
        global_allowances()
    payment_means(root, document.payment)
    if root_name == "Invoice":
        global_allowances()
    exchange_rate(root, document)
    if root_name == "CreditNote":
        global_allowances()
    for group in totals.tax_totals:
        tax_total(root, group, currency)
    if root_name == "Invoice":
        for group in totals.withholding_totals:
            tax_total(root, group, currency, element="WithholdingTaxTotal")
    element = "RequestedMonetaryTotal" if root_name == "DebitNote" else "LegalMonetaryTotal"
    monetary_total(root, totals, currency, element=element)


def build_unsigned(document: Document, totals: Totals | None = None) -> Unsigned:
    """Build the complete document except the signature (its slot is a placeholder)."""
    totals = totals if totals is not None else compute_totals(document)
    fields = _code_fields(document, totals)
    code, scheme = fields.hash(), scheme_name(document)
    root_name = ROOT[document.kind]
    root = new_root(root_name)
    resolution = None if document.kind.is_note else document.resolution
    extensions(
        root,
        software=document.software,
        resolution=resolution,
        security_code=software_security_code(
            document.software.software_id, document.software.pin, document.number_text
        ),
        qr=qr_content(document, code, totals),
    )
    _header(root, document, code, scheme)
    _type_notes_currency(root, document, totals, root_name)
    _period_and_references(root, document)
    _parties(root, document)
    delivery(root, document)  # Delivery / DeliveryTerms (invoices only, model-checked)
    _money_blocks(root, document, totals, root_name)
    line_name, quantity_name = LINE[root_name]
    start = document.issued_at.date().isoformat() if document.kind.is_support else None
    for i, (item, lt) in enumerate(zip(document.lines, totals.lines, strict=True), start=1):
        line(root, line_name, quantity_name, i, item, lt, document.currency, period_start=start)
    return Unsigned(root, code, scheme, fields.input(), totals)

"""Reading a supplier's AttachedDocument: the invoice it carries, DIAN's answer, key data.

The container (SPEC §6.1) carries the supplier's signed document as text in
cac:Attachment/cac:ExternalReference/cbc:Description (CDATA or escaped, the same text to
lxml) and DIAN's signed ApplicationResponse in
cac:ParentDocumentLineReference/cac:DocumentReference/cac:Attachment/…/cbc:Description.
Both are re-encoded as UTF-8, the encoding the container declares for them
(cbc:EncodingCode), to be parsed and signature-checked on their own.

Readers here never raise on odd content: a missing field reads as "" (or None for dates),
an unreadable amount as 0, and the problem is written to `problems`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from loggro_app.dian import XPATH_NS

DOCUMENT_ROOTS = {"Invoice": "factura", "CreditNote": "nota crédito", "DebitNote": "nota débito"}
_QUANTITY = {"Invoice": "InvoicedQuantity", "CreditNote": "CreditedQuantity",
             "DebitNote": "DebitedQuantity"}
_LINES = "cac:InvoiceLine|cac:CreditNoteLine|cac:DebitNoteLine"
_TOTALS = "cac:LegalMonetaryTotal|cac:RequestedMonetaryTotal"
_PARTY = "cac:{}/cac:Party/cac:PartyTaxScheme/"
_RESPONSE = ("cac:ParentDocumentLineReference/cac:DocumentReference/cac:Attachment"
             "/cac:ExternalReference/cbc:Description")


class _Compiled(threading.local):
    """Compiled XPath per expression: compiling costs more than evaluating on a small tree.
    Per thread, as lxml's XPath objects are not shared between threads."""

    def __init__(self) -> None:
        self.by_path: dict[str, etree.XPath] = {}


_COMPILED = _Compiled()


def text(node: etree._Element, path: str) -> str:
    """The first match's text, stripped; "" when absent."""
    compiled = _COMPILED.by_path.get(path)
    if compiled is None:
        compiled = _COMPILED.by_path[path] = etree.XPath(f"({path})[1]", namespaces=XPATH_NS)
    found = compiled(node)
    if not isinstance(found, list) or not found:
        return ""
    first = found[0]
    value = first.text if isinstance(first, etree._Element) else first
    return str(value or "").strip()


@dataclass(frozen=True)
class Embedded:
    """The two documents a container carries, as UTF-8 bytes (None when absent)."""

    document: bytes | None
    response: bytes | None


def embedded(container: etree._Element) -> Embedded:
    def payload(path: str) -> bytes | None:
        value = text(container, path)
        return value.encode("utf-8") if value else None

    return Embedded(
        payload("cac:Attachment/cac:ExternalReference/cbc:Description"), payload(_RESPONSE)
    )


@dataclass(frozen=True)
class ReceivedLine:
    description: str
    quantity: Decimal
    unit_code: str
    price: Decimal  # cac:Price/cbc:PriceAmount, per cac:Price/cbc:BaseQuantity units
    line_total: Decimal  # cbc:LineExtensionAmount: before taxes, after line discounts


@dataclass(frozen=True)
class DianAnswer:
    """DIAN's ApplicationResponse about the document, as read (not yet judged)."""

    response_code: str  # 02 validated, 04 rejected
    description: str
    document_id: str
    document_uuid: str
    sender_nit: str
    receiver_nit: str
    issued_on: date | None
    issue_time: str


@dataclass
class ReceivedInvoice:
    """What a buyer needs of a received invoice or note, plus the files to keep."""

    root_name: str  # Invoice, CreditNote or DebitNote
    type_code: str  # 01-04 invoices, 91 credit, 92 debit
    number: str  # cbc:ID: prefix and consecutive together
    prefix: str  # from the authorization (sts:InvoiceControl), "" for notes
    cufe: str  # cbc:UUID: CUFE of invoices, CUDE of notes
    cufe_scheme: str
    environment: str  # 1 production, 2 habilitación
    issued_on: date | None
    issue_time: str
    due_on: date | None
    currency: str
    supplier_nit: str
    supplier_dv: str
    supplier_name: str
    buyer_nit: str
    buyer_name: str
    line_extension: Decimal
    tax_exclusive: Decimal
    tax_inclusive: Decimal
    allowances: Decimal
    charges: Decimal
    prepaid: Decimal
    payable: Decimal
    taxes: dict[str, Decimal]  # TaxScheme ID (01 IVA, 04 INC, 03 ICA…) -> amount
    withholdings: dict[str, Decimal]  # 05 ReteIVA, 06 ReteFuente, 07 ReteICA -> amount
    lines: list[ReceivedLine]
    qr: str
    answer: DianAnswer | None
    document_xml: bytes  # the supplier's signed XML, byte for byte as embedded
    response_xml: bytes | None  # DIAN's signed ApplicationResponse
    container_xml: bytes
    pdf: bytes | None = None  # the graphic representation, when the ZIP had one
    pdf_name: str = ""
    problems: list[str] = field(default_factory=list)  # fields that could not be read


class _Reader:
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def amount(self, node: etree._Element, path: str, label: str) -> Decimal:
        raw = text(node, path)
        try:
            value = Decimal(raw or "0")
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.problems.append(f"El valor {label} no es un número: «{raw[:40]}».")
            return Decimal(0)
        return value

    def day(self, node: etree._Element, path: str, label: str) -> date | None:
        raw = text(node, path)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.problems.append(f"La fecha {label} no es válida: «{raw[:40]}».")
            return None

    def by_scheme(self, root: etree._Element, block: str, label: str) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for total in root.xpath(f"cac:{block}", namespaces=XPATH_NS):
            scheme = text(total, "cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID")
            amount = self.amount(total, "cbc:TaxAmount", f"{label} {scheme}")
            found[scheme] = found.get(scheme, Decimal(0)) + amount
        return found


def read_answer(root: etree._Element, problems: list[str]) -> DianAnswer:
    """DIAN's answer as written; unreadable fields are named in `problems`."""
    response = "cac:DocumentResponse/"
    return DianAnswer(
        response_code=text(root, response + "cac:Response/cbc:ResponseCode"),
        description=text(root, response + "cac:Response/cbc:Description"),
        document_id=text(root, response + "cac:DocumentReference/cbc:ID"),
        document_uuid=text(root, response + "cac:DocumentReference/cbc:UUID").lower(),
        sender_nit=text(root, "cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID"),
        receiver_nit=text(root, "cac:ReceiverParty/cac:PartyTaxScheme/cbc:CompanyID"),
        issued_on=_Reader(problems).day(root, "cbc:IssueDate", "de la respuesta"),
        issue_time=text(root, "cbc:IssueTime"),
    )


def _lines(root: etree._Element, reader: _Reader) -> list[ReceivedLine]:
    quantity = _QUANTITY.get(etree.QName(root).localname, "InvoicedQuantity")
    lines = []
    for position, node in enumerate(root.xpath(_LINES, namespaces=XPATH_NS), 1):
        label = f"de la línea {position}"
        lines.append(ReceivedLine(
            description=text(node, "cac:Item/cbc:Description"),
            quantity=reader.amount(node, f"cbc:{quantity}", f"cantidad {label}"),
            unit_code=text(node, f"cbc:{quantity}/@unitCode"),
            price=reader.amount(node, "cac:Price/cbc:PriceAmount", f"precio {label}"),
            line_total=reader.amount(node, "cbc:LineExtensionAmount", f"total {label}"),
        ))
    return lines


def read_document(
    root: etree._Element, *, document_xml: bytes, container_xml: bytes,
    response_xml: bytes | None, answer: DianAnswer | None,
) -> ReceivedInvoice:
    """Key data of a parsed Invoice/CreditNote/DebitNote (any of them; never raises)."""
    problems: list[str] = []
    reader = _Reader(problems)
    name = etree.QName(root).localname
    supplier = _PARTY.format("AccountingSupplierParty")
    buyer = _PARTY.format("AccountingCustomerParty")
    totals = f"({_TOTALS})/cbc:"

    def money(tag: str, label: str) -> Decimal:
        return reader.amount(root, totals + tag, label)

    return ReceivedInvoice(
        root_name=name,
        type_code={"CreditNote": "91", "DebitNote": "92"}.get(
            name, text(root, "cbc:InvoiceTypeCode")
        ),
        number=text(root, "cbc:ID"),
        prefix=text(root, "//sts:InvoiceControl/sts:AuthorizedInvoices/sts:Prefix"),
        cufe=text(root, "cbc:UUID").lower(),
        cufe_scheme=text(root, "cbc:UUID/@schemeName"),
        environment=text(root, "cbc:ProfileExecutionID"),
        issued_on=reader.day(root, "cbc:IssueDate", "de emisión"),
        issue_time=text(root, "cbc:IssueTime"),
        due_on=reader.day(root, "cbc:DueDate|cac:PaymentMeans/cbc:PaymentDueDate",
                          "de vencimiento"),
        currency=text(root, "cbc:DocumentCurrencyCode"),
        supplier_nit=text(root, supplier + "cbc:CompanyID"),
        supplier_dv=text(root, supplier + "cbc:CompanyID/@schemeID"),
        supplier_name=text(root, supplier + "cbc:RegistrationName"),
        buyer_nit=text(root, buyer + "cbc:CompanyID"),
        buyer_name=text(root, buyer + "cbc:RegistrationName"),
        line_extension=money("LineExtensionAmount", "LineExtensionAmount"),
        tax_exclusive=money("TaxExclusiveAmount", "TaxExclusiveAmount"),
        tax_inclusive=money("TaxInclusiveAmount", "TaxInclusiveAmount"),
        allowances=money("AllowanceTotalAmount", "AllowanceTotalAmount"),
        charges=money("ChargeTotalAmount", "ChargeTotalAmount"),
        prepaid=money("PrepaidAmount", "PrepaidAmount"),
        payable=money("PayableAmount", "PayableAmount"),
        taxes=reader.by_scheme(root, "TaxTotal", "del impuesto"),
        withholdings=reader.by_scheme(root, "WithholdingTaxTotal", "de la retención"),
        lines=_lines(root, reader),
        qr=text(root, "//sts:QRCode"),
        answer=answer,
        document_xml=document_xml,
        response_xml=response_xml,
        container_xml=container_xml,
        problems=problems,
    )

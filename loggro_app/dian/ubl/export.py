"""Foreign-currency and export blocks: Delivery, DeliveryTerms, PaymentExchangeRate, COP note.

UBL 2.1 Invoice order: ... AccountingCustomerParty, Delivery, DeliveryTerms, PaymentMeans,
..., AllowanceCharge, PaymentExchangeRate, TaxTotal ... (validated by the vendored XSD).
"""

from __future__ import annotations

from lxml import etree

from loggro_app.core.money import fmt2
from loggro_app.dian.model.document import Document
from loggro_app.dian.totals import Totals, cop_equivalents
from loggro_app.dian.ubl.parties import address
from loggro_app.dian.xmlns import cac, cbc


def rate_date(document: Document) -> str:
    """cbc:Date of the exchange rate: the given date, else the issue date."""
    when = document.exchange_rate_date or document.issued_at.date()
    return when.isoformat()


def cop_note(document: Document, totals: Totals) -> str | None:
    """The cbc:Note stating the COP values of a foreign-currency document."""
    if document.exchange_rate is None:
        return None
    cop = cop_equivalents(totals, document.exchange_rate)
    return (
        f"Valores en pesos colombianos (COP) a la tasa de cambio de {document.exchange_rate} "
        f"COP por 1 {document.currency} del {rate_date(document)}: "
        f"valor antes de impuestos {fmt2(cop.line_extension)}, impuestos {fmt2(cop.taxes)}, "
        f"total a pagar {fmt2(cop.payable)}."
    )


def delivery(root: etree._Element, document: Document) -> None:
    """cac:Delivery (ActualDeliveryDate, DeliveryAddress) then cac:DeliveryTerms."""
    if document.delivery is not None:
        node = cac(root, "Delivery")
        if document.delivery.actual_date is not None:
            cbc(node, "ActualDeliveryDate", document.delivery.actual_date.isoformat())
        address(node, "DeliveryAddress", document.delivery.address)
    terms = document.delivery_terms
    if terms is not None:
        node = cac(root, "DeliveryTerms")
        if terms.special_terms:
            cbc(node, "SpecialTerms", terms.special_terms)
        cbc(node, "LossRiskResponsibilityCode", terms.incoterm)
        cbc(node, "LossRisk", terms.description)


def exchange_rate(root: etree._Element, document: Document) -> None:
    """PaymentExchangeRate for foreign currency: document currency -> COP."""
    if document.exchange_rate is None:
        return
    node = cac(root, "PaymentExchangeRate")
    cbc(node, "SourceCurrencyCode", document.currency)
    cbc(node, "SourceCurrencyBaseRate", "1.00")
    cbc(node, "TargetCurrencyCode", "COP")
    cbc(node, "TargetCurrencyBaseRate", "1.00")
    cbc(node, "CalculationRate", str(document.exchange_rate))
    cbc(node, "Date", rate_date(document))

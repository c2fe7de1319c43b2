"""DIAN rules re-checked on any XML (used by `verify`): numbering, dates, DVs, environment.

These mirror rules/document.py, but read the values from the document itself so that any DIAN XML
(ours, a sandbox's, a third party's) can be checked.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from loggro_app.core.nit import dv_matches
from loggro_app.dian.unique_code import CATALOG_URL
from loggro_app.dian.xmlns import XPATH_NS


def _text(node: etree._Element, path: str) -> str:
    return str(node.xpath(f"string({path})", namespaces=XPATH_NS)).strip()


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def numbering_errors(root: etree._Element) -> list[str]:
    """FAD05b/FAD05c (range) and FAB07a/FAB07b (validity) from sts:InvoiceControl."""
    control = root.xpath("//sts:DianExtensions/sts:InvoiceControl", namespaces=XPATH_NS)
    if not control:
        return []
    prefix = _text(control[0], "sts:AuthorizedInvoices/sts:Prefix")
    number_text = _text(root, "cbc:ID")
    errors = []
    if not number_text.startswith(prefix) or not number_text[len(prefix) :].isdigit():
        return [f"El número {number_text} no tiene el prefijo autorizado '{prefix}'."]
    number = int(number_text[len(prefix) :])
    low, high = (
        _text(control[0], "sts:AuthorizedInvoices/sts:From"),
        _text(control[0], "sts:AuthorizedInvoices/sts:To"),
    )
    if low.isdigit() and number < int(low):
        errors.append(f"[FAD05b] El número {number} es menor que el rango autorizado ({low}).")
    if high.isdigit() and number > int(high):
        errors.append(f"[FAD05c] El número {number} supera el rango autorizado ({high}).")
    issued = _date(_text(root, "cbc:IssueDate"))
    start = _date(_text(control[0], "sts:AuthorizationPeriod/cbc:StartDate"))
    end = _date(_text(control[0], "sts:AuthorizationPeriod/cbc:EndDate"))
    if issued and start and issued < start:
        errors.append(
            f"[FAB07a] Emitido ({issued}) antes de la vigencia de la resolución ({start})."
        )
    if issued and end and issued > end:
        errors.append(
            f"[FAB07b] Emitido ({issued}) después del vencimiento de la resolución ({end})."
        )
    return errors


def date_errors(root: etree._Element) -> list[str]:
    """FAD09e: the signing date (xades:SigningTime, local time) equals the issue date."""
    signing = _text(root, "//xades:SigningTime")[:10]
    issued = _text(root, "cbc:IssueDate")
    if signing and issued and signing != issued:
        return [f"[FAD09e] Fecha de firma {signing} distinta de la fecha de emisión {issued}."]
    return []


def dv_errors(root: etree._Element) -> list[str]:
    """FAK24-style: every NIT (schemeName 31) carrying a DV in schemeID must match it."""
    errors = []
    for node in root.xpath("//*[@schemeName='31'][@schemeID]", namespaces=XPATH_NS):
        nit, dv = (node.text or "").strip(), node.get("schemeID", "")
        if not dv_matches(nit, dv):
            errors.append(
                f"[FAK24] El DV {dv} no corresponde al NIT {nit} ({etree.QName(node).localname})."
            )
    return errors


def environment_errors(root: etree._Element) -> list[str]:
    """UUID@schemeID and the QR catalogue URL must match cbc:ProfileExecutionID."""
    env = _text(root, "cbc:ProfileExecutionID")
    uuid_node = root.xpath("cbc:UUID", namespaces=XPATH_NS)
    errors = []
    if uuid_node and uuid_node[0].get("schemeID") not in (None, env):
        errors.append(f"UUID/@schemeID no coincide con el ambiente {env}.")
    qr = _text(root, "//sts:QRCode")
    if qr and env.isdigit() and int(env) in CATALOG_URL:
        uuid = _text(root, "cbc:UUID")
        if etree.QName(root).localname != "ApplicationResponse" and uuid and uuid not in qr:
            errors.append("[FAB36] El código QR no contiene el CUFE/CUDE del documento.")
        if CATALOG_URL[int(env)].split("/document")[0] not in qr:
            errors.append(f"[FAB36] El código QR no apunta al catálogo del ambiente {env}.")
    return errors


def export_errors(root: etree._Element) -> list[str]:
    """Factura de exportación (02): buyer abroad, exchange rate, INCOTERMS, brand/model."""
    if _text(root, "cbc:InvoiceTypeCode") != "02":
        return []
    errors = []
    country = _text(
        root, "cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation//cbc:IdentificationCode"
    )
    if country in ("", "CO"):
        errors.append("Exportación: el adquirente no tiene un país del exterior.")
    rate = _text(root, "cac:PaymentExchangeRate/cbc:CalculationRate")
    currency = _text(root, "cbc:DocumentCurrencyCode")
    if not rate or _text(root, "cac:PaymentExchangeRate/cbc:SourceCurrencyCode") != currency:
        errors.append(f"Exportación: falta la tasa de cambio de {currency} a COP.")
    if not _text(root, "cac:DeliveryTerms/cbc:LossRiskResponsibilityCode"):
        errors.append("Exportación: falta el INCOTERM (cac:DeliveryTerms).")
    for line in root.xpath("cac:InvoiceLine", namespaces=XPATH_NS):
        for name in ("BrandName", "ModelName"):
            if not _text(line, f"cac:Item/cbc:{name}"):
                errors.append(f"Exportación: la línea {_text(line, 'cbc:ID')} no tiene {name}.")
    return errors


def xml_rule_errors(root: etree._Element) -> list[str]:
    return [
        *numbering_errors(root),
        *date_errors(root),
        *dv_errors(root),
        *environment_errors(root),
        *export_errors(root),
    ]

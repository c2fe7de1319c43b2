"""Namespaces (SPEC §2.1) and tiny lxml helpers so builders read like the annex tables."""

from __future__ import annotations

from lxml import etree

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
STS = "dian:gov:co:facturaelectronica:Structures-2-1"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

ROOT_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "DebitNote": "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2",
    "ApplicationResponse": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
    "AttachedDocument": "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2",
}

# Every prefix used anywhere is declared on the root, so inclusive C14N of the signature
# parts gives the same bytes wherever they sit (SPEC §2.1).
PREFIXES = {
    "cac": CAC,
    "cbc": CBC,
    "ext": EXT,
    "sts": STS,
    "ds": DS,
    "xades": XADES,
    "xades141": XADES141,
    "xsi": XSI,
}
XPATH_NS = {"cac": CAC, "cbc": CBC, "ext": EXT, "sts": STS, "ds": DS, "xades": XADES}


def new_root(name: str) -> etree._Element:
    """Root in the default namespace (DIAN expects no prefix on it) with all prefixes."""
    nsmap: dict[str | None, str] = {None: ROOT_NS[name]}
    nsmap.update(PREFIXES)
    return etree.Element(f"{{{ROOT_NS[name]}}}{name}", nsmap=nsmap)


_CBC_TAGS: dict[str, str] = {}
_CAC_TAGS: dict[str, str] = {}


def cbc(
    parent: etree._Element, name: str, text: str | None = None, /, **attrs: str
) -> etree._Element:
    tag = _CBC_TAGS.get(name) or _CBC_TAGS.setdefault(name, f"{{{CBC}}}{name}")
    element = etree.SubElement(parent, tag, attrs) if attrs else etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def cac(parent: etree._Element, name: str) -> etree._Element:
    tag = _CAC_TAGS.get(name) or _CAC_TAGS.setdefault(name, f"{{{CAC}}}{name}")
    return etree.SubElement(parent, tag)


def sts(
    parent: etree._Element, name: str, text: str | None = None, /, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{STS}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def ext(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{EXT}}}{name}")


def dian_agency(**attrs: str) -> dict[str, str]:
    """schemeAgencyID/Name of DIAN, used on every identifier DIAN assigns (SPEC §2.3)."""
    return {
        "schemeAgencyID": "195",
        "schemeAgencyName": "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)",
        **attrs,
    }

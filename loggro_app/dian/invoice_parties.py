"""A party of a signed invoice read back as the `Party` an event names.

An event (ApplicationResponse) carries only each side's PartyTaxScheme (SPEC §6.3), so that
is all that is read: the name, the identification with its DV, the tax levels and scheme, as
the invoice wrote them, so the event names both sides exactly as the invoice did.
"""

from __future__ import annotations

from lxml import etree

from loggro_app.core import nit as nit_rules
from loggro_app.dian.model.parties import Party
from loggro_app.dian.xmlns import XPATH_NS

SUPPLIER, CUSTOMER = "AccountingSupplierParty", "AccountingCustomerParty"


def _text(root: etree._Element, path: str) -> str:
    return str(root.xpath(f"string({path})", namespaces=XPATH_NS)).strip()


def party_of(root: etree._Element, role: str) -> Party:
    """The invoice's supplier (`SUPPLIER`) or customer (`CUSTOMER`)."""
    base = f"cac:{role}/cac:Party/cac:PartyTaxScheme/"
    id_type = _text(root, base + "cbc:CompanyID/@schemeName") or nit_rules.NIT_TYPE
    dv = _text(root, base + "cbc:CompanyID/@schemeID")
    levels = _text(root, base + "cbc:TaxLevelCode")
    return Party(
        name=_text(root, base + "cbc:RegistrationName"),
        id_type=id_type,
        id_number=_text(root, base + "cbc:CompanyID"),
        dv=int(dv) if dv.isdigit() and id_type == nit_rules.NIT_TYPE else None,
        organization_type=_text(root, f"cac:{role}/cbc:AdditionalAccountID") or "1",
        responsibilities=tuple(c for c in levels.split(";") if c) or ("R-99-PN",),
        tax_regime=_text(root, base + "cbc:TaxLevelCode/@listName") or "49",
        tax_scheme=_text(root, base + "cac:TaxScheme/cbc:ID") or "ZZ",
    )

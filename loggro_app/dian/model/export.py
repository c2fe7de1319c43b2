"""Export data of a factura electrónica de exportación (InvoiceTypeCode 02).

`DeliveryTerms` is `cac:DeliveryTerms` (the INCOTERMS code travels in
`cbc:LossRiskResponsibilityCode`, its name in `cbc:LossRisk`, the agreed place in
`cbc:SpecialTerms`, as in DIAN's generic sample); `Delivery` is `cac:Delivery` (where the
goods are delivered). The document-level export rules live in rules/export.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loggro_app.dian.model import checks
from loggro_app.dian.model.parties import Address

# Annex table "Condiciones de entrega (INCOTERMS)": the 2010 list DIAN publishes (DAT)
# plus DPU, which replaced DAT in INCOTERMS 2020.
INCOTERMS = {
    "CFR": "Costo y flete",
    "CIF": "Costo, seguro y flete",
    "CIP": "Transporte y seguro pagados hasta",
    "CPT": "Transporte pagado hasta",
    "DAP": "Entregada en lugar",
    "DAT": "Entregada en terminal",
    "DDP": "Entregada derechos pagados",
    "DPU": "Entregada en lugar descargada",
    "EXW": "En fábrica",
    "FAS": "Franco al costado del buque",
    "FCA": "Franco transportista",
    "FOB": "Franco a bordo",
}
# Identification of a buyer abroad: 50 NIT de otro país, 42 documento de identificación
# extranjero, 41 pasaporte.
FOREIGN_ID_TYPES = ("50", "42", "41")


@dataclass(frozen=True)
class DeliveryTerms:
    """INCOTERMS code and, optionally, the agreed place (e.g. 'FOB Cartagena')."""

    incoterm: str
    special_terms: str | None = None

    def __post_init__(self) -> None:
        checks.one_of("incoterm", self.incoterm, INCOTERMS, "código INCOTERMS")
        checks.text("condiciones_especiales", self.special_terms, required=False, max_len=300)

    @property
    def description(self) -> str:
        return INCOTERMS[self.incoterm]


@dataclass(frozen=True)
class Delivery:
    """Where (and, if known, when) the goods are delivered."""

    address: Address
    actual_date: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.address, Address):
            checks.fail("entrega", "entrega: informe la dirección de entrega (país y ciudad).")

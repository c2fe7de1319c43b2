"""DIAN code lists: small tables as constants, big ones loaded from vendored genericode.

The genericode files live in `data/codelists/` (see data/PROVENANCE.md); each is parsed
once, lazily, and cached.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources

from lxml import etree

DIAN_NIT = "800197268"  # AuthorizationProvider (SPEC §2.3)
DIAN_AGENCY_ID = "195"
DIAN_AGENCY_NAME = "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"

# TaxLevelCode values valid since annex 1.7-2020 (table 13.2.6.1).
RESPONSIBILITIES = {
    "O-13": "Gran contribuyente",
    "O-15": "Autorretenedor",
    "O-23": "Agente de retención IVA",
    "O-47": "Régimen simple de tributación",
    "R-99-PN": "No aplica - Otros",
}
TAX_REGIMES = {"48": "Responsable de IVA", "49": "No responsable de IVA"}
PARTY_TAX_SCHEMES = {"01": "IVA", "04": "INC", "ZA": "IVA e INC", "ZZ": "No aplica"}
ORGANIZATION_TYPES = {"1": "Persona jurídica", "2": "Persona natural"}

# Taxes (table 13.2.2) and the rates this software issues.
TAX_NAMES = {
    "01": "IVA",
    "03": "ICA",
    "04": "INC",
    "05": "ReteIVA",
    "06": "ReteFuente",
    "07": "ReteICA",
}
TAX_RATES = {"01": ("0", "5", "19"), "04": ("8",)}
WITHHOLDING_TAXES = ("05", "06", "07")
RETEIVA_RATES = ("15", "100")

PAYMENT_FORMS = {"1": "Contado", "2": "Crédito"}

# Tax choices for an item: (DIAN tax id, rate). 01 = IVA, 04 = INC.
TAX_OPTIONS: dict[str, tuple[str, str, Decimal]] = {
    "IVA_0": ("IVA 0 %", "01", Decimal("0.00")),
    "IVA_5": ("IVA 5 %", "01", Decimal("5.00")),
    "IVA_19": ("IVA 19 %", "01", Decimal("19.00")),
    "INC_8": ("INC 8 %", "04", Decimal("8.00")),
}

# The units a shop normally needs, offered first; any DIAN unit code is accepted.
COMMON_UNITS: tuple[str, ...] = (
    "94", "KGM", "GRM", "LTR", "MTR", "MTK", "MTQ", "HUR", "DAY", "BX", "PK", "PR",
    "DZN", "GLL", "SET", "KWH", "ZZ",
)

# Correction concepts (DiscrepancyResponse/ResponseCode): DIAN's code lists, read below.
CREDIT_NOTE_CONCEPTS = {"1", "2", "3", "4", "5"}
DEBIT_NOTE_CONCEPTS = {"1", "2", "3", "4"}
# Nota de ajuste al documento soporte (Res. 000167/2021): the credit-note concepts.
SUPPORT_ADJUSTMENT_CONCEPTS = {
    "1": "Devolución parcial de los bienes o no aceptación parcial del servicio",
    "2": "Anulación del documento soporte",
    "3": "Rebaja o descuento parcial o total",
    "4": "Ajuste de precio",
    "5": "Otros",
}
EVENT_CODES = {
    "030": "Acuse de recibo de Factura Electrónica de Venta",
    "031": "Reclamo de la Factura Electrónica de Venta",
    "032": "Recibo del bien y/o prestación del servicio",
    "033": "Aceptación expresa",
    "034": "Aceptación tácita",
}
CLAIM_REASONS = {
    "01": "Documento con inconsistencias",
    "02": "Mercancía no entregada totalmente",
    "03": "Mercancía no entregada parcialmente",
    "04": "Servicio no prestado",
}
ENVIRONMENTS = {1: "Producción", 2: "Pruebas"}


def _parse_genericode(file_name: str) -> dict[str, str]:
    ref = resources.files("loggro_app.dian") / "data" / "codelists" / file_name
    tree = etree.fromstring(ref.read_bytes())
    table: dict[str, str] = {}
    for row in tree.iterfind(".//Row"):
        values = {v.get("ColumnRef"): (v.findtext("SimpleValue") or "").strip() for v in row}
        code = values.get("code")
        if code:
            table[code] = values.get("name", "")
    return table


@cache
def municipalities() -> dict[str, str]:
    """DIVIPOLA 5-digit code -> municipality name."""
    return _parse_genericode("Municipio-2.1.gc")


@cache
def departments() -> dict[str, str]:
    """2-digit department code -> department name."""
    return _parse_genericode("Departamentos-2.1.gc")


@cache
def countries() -> dict[str, str]:
    """ISO 3166 alpha-2 -> Spanish country name."""
    return _parse_genericode("Paises-2.1.gc")


@cache
def payment_means() -> dict[str, str]:
    return _parse_genericode("MediosPago-2.1.gc") | {"ZZZ": "Acuerdo mutuo"}

# DIAN's own table (Anexo técnico, 13.3.4.2 Medios de pago) carries these misspellings. The
# codes and the data file stay exactly DIAN's; people read the corrected label.
_MEANS_SPELLING = {
    "21": "Proyecto bancario",
    "27": "Débito Pago Negocio Corporativo (CTP)",
    "30": "Transferencia Crédito",
    "36": "Concentración efectivo ahorros / Desembolso Débito (CCD)",
    "38": "Pago Negocio Corporativo Ahorros Débito (CTP)",
    "42": "Consignación bancaria",
    "64": "Nota promisoria firmada por el banco",
    "70": "Retiro de nota por el acreedor",
    "74": "Retiro de nota por el acreedor sobre un banco",
    "91": "Nota bancaria transferible",
    "92": "Cheque local transferible",
    "96": "Método de pago solicitado no usado",
}


def payment_means_labels() -> dict[str, str]:
    """DIAN MediosPago code -> label as shown to people (DIAN's typos corrected)."""
    return {**payment_means(), **_MEANS_SPELLING}


@cache
def units() -> dict[str, str]:
    """UN/ECE rec. 20 unit codes accepted by DIAN."""
    return _parse_genericode("UnidadesMedida-2.1.gc")


@cache
def currencies() -> dict[str, str]:
    return _parse_genericode("TipoMoneda-2.1.gc")


def common_units() -> dict[str, str]:
    """The units a shop normally needs, with their DIAN labels."""
    all_units = units()
    return {code: all_units[code] for code in COMMON_UNITS if code in all_units}


@cache
def credit_note_concepts() -> dict[str, str]:
    """ConceptoNotaCredito code -> name (what a credit note corrects)."""
    return _parse_genericode("ConceptoNotaCredito-2.1.gc")


@cache
def debit_note_concepts() -> dict[str, str]:
    """ConceptoNotaDebito code -> name."""
    return _parse_genericode("ConceptoNotaDebito-2.1.gc")

"""DIAN code lists the catalog forms offer (payment means, units, taxes)."""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

PAYMENT_FORMS: dict[str, str] = {"1": "Contado", "2": "Crédito"}

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


@cache
def _load(name: str) -> dict[str, str]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["name"].strip() for row in csv.DictReader(fh)}


def payment_means() -> dict[str, str]:
    """DIAN MediosPago code -> label."""
    return _load("payment_means.csv")


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


def units() -> dict[str, str]:
    """DIAN UnidadesMedida code -> label."""
    return _load("units.csv")


def common_units() -> dict[str, str]:
    all_units = units()
    return {code: all_units[code] for code in COMMON_UNITS if code in all_units}

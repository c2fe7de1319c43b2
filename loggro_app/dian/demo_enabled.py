"""The second demo issuer: already *habilitado* at the local DIAN sandbox.

`make run` seeds the app's side (`loggro_app.seed`) before the sandbox starts, and the
sandbox preloads DIAN's side (`standins.dian_sandbox.enabled_demo`); both read these values,
so the consecutives the app stores are exactly the ranges GetNumberingRange reports and an
invoice numbered under them is accepted. The software is the provider's demo software
(`demo.SOFTWARE_ID`). Technical keys are sandbox values, public like `demo.TECHNICAL_KEY`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loggro_app.core.nit import compute_dv

NIT = "901745602"
DV = compute_dv(NIT)
LEGAL_NAME = "Tienda La Ceiba S.A.S."  # DIAN compares it with the name in the RUT
TEST_SET_ID = "5c0f3a9e-2b7d-4e61-9a48-d1f27c6e0b35"  # the accepted habilitación test set
# When the portal issued the resolutions: long before the 2-hour association rule.
RESOLUTIONS_ISSUED_AT = "2025-01-02T14:00:00+00:00"
# Fixed dates so the sandbox's file and the app's database never disagree, whenever each
# was created; wide enough that the demo does not expire under a developer.
VALID_FROM = date(2025, 1, 2)
VALID_TO = date(2035, 12, 31)


@dataclass(frozen=True)
class DemoResolution:
    """One numbering range DIAN associated with the demo software, per document kind."""

    kind: str  # the app's consecutive kind: FE, NC, ND, DS, NA
    name: str  # the consecutive's name in the app
    number: str
    prefix: str
    range_from: int
    range_to: int
    technical_key: str = field(repr=False)
    valid_from: date = VALID_FROM
    valid_to: date = VALID_TO
    channel: str = "NO_POS"  # EXTERNA: numbered by the hotel PMS (Venta Externa No POS)


# Notes have no DIAN resolution of their own; they share the number of the resolution of
# the document they correct, under their own prefix, as the consecutives page expects.
INVOICE_RESOLUTION = "18764000917301"
SUPPORT_RESOLUTION = "18764000917302"
HOTEL_RESOLUTION = "18764000917303"  # the hotel's own range, numbered by its PMS
RESOLUTIONS: tuple[DemoResolution, ...] = (
    DemoResolution("FE", "Factura electrónica No POS", INVOICE_RESOLUTION, "LCFE", 1, 50000,
                   "6b1e7f0c93a24d58b1c0e2f4a7d9365c8e1b2a40"),
    DemoResolution("NC", "Notas crédito", INVOICE_RESOLUTION, "LCNC", 1, 10000,
                   "2f9c4a7e18b3d6052ea1c9f7b4d0836e5a2c1f93"),
    DemoResolution("ND", "Notas débito", INVOICE_RESOLUTION, "LCND", 1, 10000,
                   "94d2b7e0c5a13f68e1b9d4c7a2f0563e8b1d7c25"),
    DemoResolution("DS", "Documento soporte", SUPPORT_RESOLUTION, "LCDS", 1, 10000,
                   "c7a05e3b9d1f48e2a6c0b5d3f9e7142a8c6b0d31"),
    DemoResolution("NA", "Notas de ajuste al documento soporte", SUPPORT_RESOLUTION, "LCNA",
                   1, 10000, "e3b8d1f6a09c47b25d8e0a3c6f1b9427d5c0e8a6"),
    DemoResolution("FE", "Facturas del hotel (Alojamientos)", HOTEL_RESOLUTION, "HOT", 1, 5000,
                   "5d0a8c3e71f94b26a0e4c9b1d7f3682e4c0a9b17", channel="EXTERNA"),
    DemoResolution("NC", "Notas crédito del hotel (Alojamientos)", HOTEL_RESOLUTION, "NCH", 1,
                   5000, "a81f4c6e0d3b9527c4e8a1f0b6d2937e5c1a4f08", channel="EXTERNA"),
)

"""What the graphic representation needs: the document plus what exists only after signing.

`GraphicData.of(...)` is the usual way in: it derives the QR text with the same function the
XML builder uses (`loggro_app.dian.qr_content`), so the printed QR and `sts:QRCode` agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from loggro_app.core.nit import compute_dv
from loggro_app.dian import Document, Kind, qr_content

UNIQUE_CODE = re.compile(r"[0-9a-f]{96}")
SCHEMES = ("CUFE-SHA384", "CUDE-SHA384", "CUDS-SHA384")
# Invoice types issued in contingency and the legend each must carry (SPEC §4.9, §7).
CONTINGENCY_LEGENDS = {
    "03": "Factura emitida en contingencia del facturador (tipo 03): se expidió sin "
    "validación previa por inconvenientes tecnológicos del facturador y se transmitirá a "
    "la DIAN cuando se superen.",
    "04": "Factura emitida en contingencia DIAN (tipo 04): los servicios de la DIAN no "
    "estaban disponibles al expedirla; se transmitirá a la DIAN para su validación dentro "
    "de las 48 horas siguientes a su restablecimiento.",
}


@dataclass(frozen=True)
class SoftwareProvider:
    """Who made the software (Res. 000042/2020 art. 11): provider NIT and name, software."""

    nit: str
    name: str
    software_name: str

    @property
    def dv(self) -> int:
        return compute_dv(self.nit)

    @property
    def line(self) -> str:
        return (
            f"Software: {self.software_name} · Proveedor tecnológico: {self.name} "
            f"NIT {self.nit}-{self.dv}"
        )


@dataclass(frozen=True)
class GraphicData:
    """Input of `render_pdf` / `render_html` for one signed document."""

    document: Document
    unique_code: str  # CUFE / CUDE / CUDS, 96 lower-case hex
    scheme_name: str  # CUFE-SHA384, CUDE-SHA384 or CUDS-SHA384
    qr_text: str  # the exact `sts:QRCode` content
    signed_at: datetime  # aware; printed in America/Bogota
    provider: SoftwareProvider
    dian_status: str  # e.g. "Aceptado por la DIAN"
    validated_at: datetime | None = None  # None until DIAN accepts it

    def __post_init__(self) -> None:
        if not UNIQUE_CODE.fullmatch(self.unique_code):
            raise ValueError("unique_code: expected 96 lower-case hexadecimal characters")
        if self.scheme_name not in SCHEMES:
            raise ValueError(f"scheme_name: expected one of {', '.join(SCHEMES)}")
        for name in ("signed_at", "validated_at"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"{name}: must be timezone-aware")

    @classmethod
    def of(
        cls,
        document: Document,
        *,
        unique_code: str,
        scheme_name: str,
        signed_at: datetime,
        provider: SoftwareProvider,
        dian_status: str,
        validated_at: datetime | None = None,
    ) -> GraphicData:
        return cls(
            document=document,
            unique_code=unique_code,
            scheme_name=scheme_name,
            qr_text=qr_content(document, unique_code),
            signed_at=signed_at,
            provider=provider,
            dian_status=dian_status,
            validated_at=validated_at,
        )

    @property
    def contingency_legend(self) -> str | None:
        if self.document.kind != Kind.INVOICE:
            return None
        return CONTINGENCY_LEGENDS.get(self.document.invoice_type)

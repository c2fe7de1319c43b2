"""RADIAN buyer/issuer events (ApplicationResponse 030-034), SPEC §6.3."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from loggro_app.core import nit
from loggro_app.dian import codes
from loggro_app.dian.model import checks
from loggro_app.dian.model.document import BOGOTA_OFFSET
from loggro_app.dian.model.parties import Party, Software


@dataclass(frozen=True)
class Receiver:
    """The natural person who received the invoice or goods (required for 030 and 032)."""

    id_type: str
    id_number: str
    first_name: str
    family_name: str
    job_title: str
    department: str

    def __post_init__(self) -> None:
        checks.one_of(
            "persona.tipo_id", self.id_type, nit.IDENTIFICATION_TYPES, "tipo de identificación"
        )
        for name in ("id_number", "first_name", "family_name", "job_title", "department"):
            checks.text(f"persona.{name}", getattr(self, name), max_len=100)


@dataclass(frozen=True)
class Event:
    """An event about a received invoice. `sender` emits it (the buyer for 030-033, the
    seller for 034 aceptación tácita); `receiver_party` is the other side."""

    code: str
    prefix: str
    number: int
    issued_at: datetime
    sender: Party
    receiver_party: Party
    invoice_number: str
    invoice_uuid: str
    software: Software
    invoice_type: str = "01"
    environment: int = 2
    claim_reason: str | None = None  # 031 only (table 13.3.11)
    person: Receiver | None = None  # 030 / 032
    note: str | None = None

    def __post_init__(self) -> None:
        checks.one_of("evento", self.code, codes.EVENT_CODES, "código de evento (030-034)")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() != BOGOTA_OFFSET:
            checks.fail("fecha_emision", "fecha_emision: debe estar en hora de Colombia (-05:00).")
        checks.text("factura", self.invoice_number, max_len=40)
        if len(self.invoice_uuid) != 96:
            checks.fail("cufe", "cufe: el CUFE de la factura debe tener 96 caracteres.")
        if self.code == "031":
            checks.one_of(
                "motivo_reclamo",
                self.claim_reason,
                codes.CLAIM_REASONS,
                "motivo de reclamo (01-04)",
            )
        if self.code in ("030", "032") and self.person is None:
            checks.fail(
                "persona",
                "persona: los eventos 030 y 032 deben identificar a la persona "
                "que recibió (nombre, documento, cargo, área).",
            )
        checks.text("nota", self.note, required=False, max_len=5000)

    @property
    def number_text(self) -> str:
        return f"{self.prefix}{self.number}"

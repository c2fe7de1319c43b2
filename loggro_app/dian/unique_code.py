"""CUFE, CUDE, CUDS, event CUDE, SoftwareSecurityCode and QR content (SPEC §1, §2.3).

Every code is SHA-384 (lower-case hex) over a plain concatenation. The `*_input`
functions return that pre-hash string so tests can check it field by field; amounts
enter as the exact strings written to the XML (money.fmt2).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

CATALOG_URL = {
    1: "https://catalogo-vpfe.dian.gov.co/document/searchqr?documentkey=",
    2: "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey=",
}


def sha384(text: str) -> str:
    return hashlib.sha384(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CodeFields:
    """The 15 CUFE/CUDE fields (SPEC §1.2/§1.3), already formatted."""

    number: str
    issue_date: str
    issue_time: str
    line_extension: str
    iva: str
    inc: str
    ica: str
    payable: str
    issuer_nit: str
    buyer_id: str
    secret: str  # technical key (CUFE) or software PIN (CUDE)
    environment: str

    def input(self) -> str:
        """NumFac+FecFac+HorFac+ValFac+01+ValImp1+04+ValImp2+03+ValImp3+ValTot+NitOFE+NumAdq+key+amb."""
        return "".join(
            (
                self.number,
                self.issue_date,
                self.issue_time,
                self.line_extension,
                "01",
                self.iva,
                "04",
                self.inc,
                "03",
                self.ica,
                self.payable,
                self.issuer_nit,
                self.buyer_id,
                self.secret,
                self.environment,
            )
        )

    def hash(self) -> str:
        return sha384(self.input())


@dataclass(frozen=True)
class CudsFields:
    """Documento soporte (05/95): one tax, seller (SNO) before issuer (ABS) (SPEC §1.4)."""

    number: str
    issue_date: str
    issue_time: str
    line_extension: str
    iva: str
    payable: str
    seller_id: str
    issuer_nit: str
    pin: str
    environment: str

    def input(self) -> str:
        return "".join(
            (
                self.number,
                self.issue_date,
                self.issue_time,
                self.line_extension,
                "01",
                self.iva,
                self.payable,
                self.seller_id,
                self.issuer_nit,
                self.pin,
                self.environment,
            )
        )

    def hash(self) -> str:
        return sha384(self.input())


@dataclass(frozen=True)
class EventFields:
    """ApplicationResponse CUDE: no environment field (SPEC §1.5)."""

    number: str
    issue_date: str
    issue_time: str
    sender_id: str
    receiver_id: str
    response_code: str
    referenced_id: str
    referenced_type: str
    pin: str

    def input(self) -> str:
        return "".join(
            (
                self.number,
                self.issue_date,
                self.issue_time,
                self.sender_id,
                self.receiver_id,
                self.response_code,
                self.referenced_id,
                self.referenced_type,
                self.pin,
            )
        )

    def hash(self) -> str:
        return sha384(self.input())


def software_security_code(software_id: str, pin: str, number: str) -> str:
    """SHA384(SoftwareID + PIN + cbc:ID) (SPEC §1.6)."""
    return sha384(software_id + pin + number)


def uses_technical_key(type_code: str) -> bool:
    """01, 02, 04 hash the clave técnica (CUFE); 03, 91, 92 the PIN (CUDE) (SPEC §1.3, S11)."""
    return type_code in ("01", "02", "04")


def qr_text(rows: list[tuple[str, str]], unique_code: str, environment: int) -> str:
    """The text block DIAN's graphic representation encodes, ending in the catalogue URL."""
    lines = [f"{label}: {value}" for label, value in rows]
    lines.append(CATALOG_URL[environment] + unique_code)
    return "\n".join(lines)

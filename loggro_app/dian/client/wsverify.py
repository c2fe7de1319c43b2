"""Server side of SPEC §4.2: check a request's WS-Security header the way DIAN's WCF does.

Used by the sandbox; it lives beside `envelope.py` so both sides share one definition of
the layout. Failures raise `SecurityFault` with a sandbox code (WSS01..WSS05) — DIAN itself
answers every one of them with the generic WCF fault "An error occurred when verifying
security for the message." (SPEC §4.2), which the sandbox also sends as the reason.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from loggro_app.dian.client.envelope import (
    ACTION_BASE,
    NS,
    PARSER,
    REFERENCE_PREFIXES,
    SIGNED_INFO_PREFIXES,
    SOAP,
    WSU,
    _c14n,
)

CLOCK_SKEW = timedelta(minutes=5)  # WCF's default MaxClockSkew


class SecurityFault(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class MalformedRequest(Exception):
    """Not a SOAP 1.2 envelope at all: DIAN answers an empty HTTP 400 (SPEC §4.1)."""


@dataclass(frozen=True)
class Request:
    operation: str
    params: dict[str, str] = field(repr=False)
    certificate: x509.Certificate
    to: str


def _one(root: etree._Element, path: str) -> etree._Element | None:
    found = root.xpath(path, namespaces=NS)
    return found[0] if found else None


def _parse_time(text: str | None) -> datetime:
    try:
        return datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        raise SecurityFault("WSS03", "Timestamp con formato inválido.") from None


def _check_timestamp(security: etree._Element, now: datetime) -> None:
    ts = _one(security, "wsu:Timestamp")
    if ts is None:
        raise SecurityFault("WSS03", "Falta wsu:Timestamp en el encabezado de seguridad.")
    created = _parse_time(ts.findtext(f"{{{WSU}}}Created"))
    expires = _parse_time(ts.findtext(f"{{{WSU}}}Expires"))
    if expires + CLOCK_SKEW < now:
        raise SecurityFault("WSS03", f"El Timestamp de seguridad expiró ({expires.isoformat()}).")
    if created - CLOCK_SKEW > now:
        raise SecurityFault("WSS03", "El Timestamp es posterior a la hora del servidor.")


def _token(security: etree._Element, signature: etree._Element) -> x509.Certificate:
    ref = _one(signature, "ds:KeyInfo/wsse:SecurityTokenReference/wsse:Reference")
    token_id = (ref.get("URI", "") if ref is not None else "").lstrip("#")
    for token in security.xpath("wsse:BinarySecurityToken", namespaces=NS):
        if token.get(f"{{{WSU}}}Id") == token_id:
            try:
                return x509.load_der_x509_certificate(base64.b64decode(token.text or ""))
            except ValueError:
                raise SecurityFault("WSS02", "BinarySecurityToken ilegible.") from None
    raise SecurityFault("WSS02", "La firma no referencia un BinarySecurityToken del mensaje.")


def _check_signature(
    root: etree._Element, signature: etree._Element, cert: x509.Certificate
) -> str:
    """Digest of the referenced wsa:To, then RSA-SHA256 over SignedInfo; returns To's text."""
    info = _one(signature, "ds:SignedInfo")
    refs = signature.xpath("ds:SignedInfo/ds:Reference", namespaces=NS)
    if info is None or len(refs) != 1:
        raise SecurityFault("WSS02", "SignedInfo debe tener exactamente una referencia (wsa:To).")
    target_id = refs[0].get("URI", "").lstrip("#")
    to = _one(root, "soap:Header/wsa:To")
    if to is None or to.get(f"{{{WSU}}}Id") != target_id:
        raise SecurityFault("WSS02", "La firma no cubre wsa:To.")
    digest = base64.b64encode(hashlib.sha256(_c14n(to, REFERENCE_PREFIXES)).digest()).decode()
    if digest != (_one(refs[0], "ds:DigestValue").text or "").strip():  # type: ignore[union-attr]
        raise SecurityFault("WSS02", "El digest de wsa:To no coincide (mensaje alterado).")
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise SecurityFault("WSS02", "El certificado no tiene clave RSA.")
    value = base64.b64decode(_one(signature, "ds:SignatureValue").text or "")  # type: ignore[union-attr]
    try:
        key.verify(value, _c14n(info, SIGNED_INFO_PREFIXES), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise SecurityFault("WSS02", "El valor de la firma WS-Security no es válido.") from None
    return (to.text or "").strip()


def _check_certificate(cert: x509.Certificate, now: datetime) -> None:
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise SecurityFault("WSS04", "El certificado del mensaje no está vigente.")


def _body(root: etree._Element) -> tuple[str, dict[str, str]]:
    body = _one(root, "soap:Body")
    if body is None or len(body) == 0:
        raise MalformedRequest("sin soap:Body")
    call = body[0]
    params = {etree.QName(child).localname: (child.text or "").strip() for child in call}
    return etree.QName(call).localname, params


def parse_request(data: bytes, *, now: datetime) -> Request:
    """Parse and authenticate a request; raises SecurityFault or MalformedRequest."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedRequest(str(exc)) from None
    if root.tag != f"{{{SOAP}}}Envelope":
        raise MalformedRequest("no es un sobre SOAP 1.2")
    operation, params = _body(root)
    action = _one(root, "soap:Header/wsa:Action")
    if action is None or (action.text or "").strip() != ACTION_BASE + operation:
        raise SecurityFault("WSS05", "wsa:Action no corresponde a la operación del cuerpo.")
    security = _one(root, "soap:Header/wsse:Security")
    if security is None:
        raise SecurityFault("WSS01", "Falta el encabezado wsse:Security.")
    signature = _one(security, "ds:Signature")
    if signature is None:
        raise SecurityFault("WSS01", "El mensaje no está firmado (falta ds:Signature).")
    _check_timestamp(security, now)
    cert = _token(security, signature)
    to = _check_signature(root, signature, cert)
    _check_certificate(cert, now)
    return Request(operation, params, cert, to)

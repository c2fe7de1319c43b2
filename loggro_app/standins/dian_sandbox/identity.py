"""The sandbox's own "DIAN" signing identity and the ApplicationResponse it returns.

A self-signed certificate for DIAN's NIT 800197268 is generated at first start and kept in
the store (so a file-backed sandbox keeps answering with the same certificate). Accepted
documents get an ApplicationResponse with ResponseCode 02 "Documento validado por la DIAN"
and one LineResponse per notification, signed XAdES-EPES like every DIAN document (SPEC §6.1).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime

from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.core.clock import Clock, bogota_now
from loggro_app.dian.build import serialize
from loggro_app.dian.model.parties import Software
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.ubl.extensions import dian_extensions, ubl_extensions
from loggro_app.dian.xmlns import XPATH_NS, cac, cbc, new_root
from loggro_app.standins.dian_sandbox.store import Store

DIAN_NIT = "800197268"
DIAN_DV = "4"
DIAN_NAME = "Unidad Especial Dirección de Impuestos y Aduanas Nacionales"
# DIAN's own software entry on its answers (the PIN is never used: DIAN's CUDE is its own).
_SOFTWARE = Software(provider_nit=DIAN_NIT, software_id="dian-sandbox-loggro", pin="-")
_P12_KEY = "dian_p12"
_P12_PASSWORD_KEY = "dian_p12_password"


def dian_signer(store: Store, clock: Clock) -> Signer:
    """Load the sandbox DIAN identity, creating it on first start."""
    stored = store.get_meta(_P12_KEY)
    password = store.get_meta(_P12_PASSWORD_KEY)
    if stored is None or password is None:
        password = secrets.token_hex(16)
        p12 = create_dev_p12(
            nit=DIAN_NIT,
            organization="DIAN SANDBOX LOGGRO",
            password=password.encode(),
            not_before=clock().replace(year=clock().year - 1),
            days=3650 * 3,
        )
        stored = base64.b64encode(p12).decode()
        store.set_meta(_P12_KEY, stored)
        store.set_meta(_P12_PASSWORD_KEY, password)
    return Signer.from_pkcs12(base64.b64decode(stored), password.encode())


def certificate_pem(signer: Signer) -> bytes:
    return signer.certificate.public_bytes(Encoding.PEM)


def _party(parent: etree._Element, tag: str, nit: str, name: str, dv: str = "") -> None:
    scheme = cac(cac(parent, tag), "PartyTaxScheme")
    cbc(scheme, "RegistrationName", name)
    attrs = {"schemeAgencyID": "195", "schemeName": "31"}
    if dv:
        attrs["schemeID"] = dv
    cbc(scheme, "CompanyID", nit, **attrs)
    tax = cac(scheme, "TaxScheme")
    cbc(tax, "ID", "01")
    cbc(tax, "Name", "IVA")


def _extensions(root: etree._Element, number: str) -> None:
    """DianExtensions as DIAN writes them on its own answers: no sts:QRCode (the XSD asks
    for one; `verify` knows DIAN omits it), then the signature slot."""
    code = hashlib.sha384(f"{_SOFTWARE.software_id}{number}".encode()).hexdigest()
    content = ubl_extensions(root)
    dian_extensions(content, software=_SOFTWARE, security_code=code, qr="", resolution=None)
    for qr in root.xpath("//sts:QRCode", namespaces=XPATH_NS):
        qr.getparent().remove(qr)


def application_response(
    *,
    signer: Signer,
    clock: Clock,
    document_key: str,
    document_number: str,
    document_type: str,
    issuer_nit: str,
    issuer_name: str,
    environment: str,
    notifications: list[str],
) -> bytes:
    """DIAN's signed ApplicationResponse for an accepted document (ResponseCode 02)."""
    now: datetime = bogota_now(clock)
    root = new_root("ApplicationResponse")
    number = str(int(hashlib.sha256(document_key.encode()).hexdigest()[:12], 16))
    _extensions(root, number)
    cbc(root, "UBLVersionID", "UBL 2.1")
    cbc(root, "CustomizationID", "1")
    cbc(root, "ProfileID", "DIAN 2.1")
    cbc(root, "ProfileExecutionID", environment or "2")
    cbc(root, "ID", number)
    seed = f"{number}{now.isoformat()}{document_key}"
    cbc(root, "UUID", hashlib.sha384(seed.encode()).hexdigest(), schemeName="CUDE-SHA384")
    cbc(root, "IssueDate", now.date().isoformat())
    cbc(root, "IssueTime", now.strftime("%H:%M:%S-05:00"))
    _party(root, "SenderParty", DIAN_NIT, DIAN_NAME, DIAN_DV)
    _party(root, "ReceiverParty", issuer_nit, issuer_name)
    _document_response(root, document_key, document_number, document_type, notifications)
    signed = signer.sign(root, clock=clock, id_seed=document_key[:12] or "ar", role="third party")
    return serialize(signed)


def _document_response(
    root: etree._Element, key: str, number: str, type_code: str, notifications: list[str]
) -> None:
    """ResponseCode 02 and one LineResponse per notification (SPEC §6.1, S12)."""
    response = cac(root, "DocumentResponse")
    outcome = cac(response, "Response")
    cbc(outcome, "ResponseCode", "02")
    cbc(outcome, "Description", "Documento validado por la DIAN")
    reference = cac(response, "DocumentReference")
    cbc(reference, "ID", number)
    cbc(reference, "UUID", key, schemeName="CUFE-SHA384")
    cbc(reference, "DocumentTypeCode", type_code)
    for position, text in enumerate(notifications, 1):
        line = cac(response, "LineResponse")
        cbc(cac(line, "LineReference"), "LineID", str(position))
        item = cac(line, "Response")
        cbc(item, "ResponseCode", text.split(",")[0].replace("Regla:", "").strip())
        cbc(item, "Description", text)

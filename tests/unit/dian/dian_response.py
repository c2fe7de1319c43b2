"""A stand-in for the ApplicationResponse DIAN signs and returns (SPEC §6.1, S12): sender
DIAN (NIT 800197268), DianExtensions *without* sts:QRCode, ResponseCode 02, signed XAdES by
a test certificate issued to DIAN's NIT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache

from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian.build import serialize
from loggro_app.dian.codes import DIAN_NIT
from loggro_app.dian.model.parties import Software
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.ubl.extensions import dian_extensions, ubl_extensions
from loggro_app.dian.xmlns import XPATH_NS, cac, cbc, new_root
from tests.unit.dian.conftest import ISSUED_AT

DIAN_NAME = "Unidad Especial Dirección de Impuestos y Aduanas Nacionales"
INVOICE_CUFE = "a" * 96
_PASSWORD = b"test-only"


@cache
def dian_test_signer() -> Signer:
    """A self-signed certificate carrying DIAN's NIT (never DIAN's real key)."""
    p12 = create_dev_p12(
        nit=DIAN_NIT,
        organization="DIAN PRUEBAS",
        password=_PASSWORD,
        not_before=ISSUED_AT - timedelta(days=1),
        days=30,
    )
    return Signer.from_pkcs12(p12, _PASSWORD)


def _party(root: etree._Element, tag: str, nit: str, name: str) -> None:
    scheme = cac(cac(root, tag), "PartyTaxScheme")
    cbc(scheme, "RegistrationName", name)
    cbc(scheme, "CompanyID", nit, schemeAgencyID="195", schemeName="31")
    tax = cac(scheme, "TaxScheme")
    cbc(tax, "ID", "01")
    cbc(tax, "Name", "IVA")


def dian_application_response(
    *,
    sender_nit: str = DIAN_NIT,
    change: Callable[[etree._Element], None] | None = None,
) -> bytes:
    """Signed bytes; `change` edits the tree before signing (to make other variants)."""
    root = new_root("ApplicationResponse")
    software = Software(provider_nit=DIAN_NIT, software_id="dian-software", pin="unused")
    dian_extensions(
        ubl_extensions(root), software=software, security_code="b" * 96, qr="x", resolution=None
    )
    for qr in root.xpath("//sts:QRCode", namespaces=XPATH_NS):
        qr.getparent().remove(qr)  # what DIAN's real answers look like
    cbc(root, "UBLVersionID", "UBL 2.1")
    cbc(root, "CustomizationID", "1")
    cbc(root, "ProfileID", "DIAN 2.1")
    cbc(root, "ProfileExecutionID", "2")
    cbc(root, "ID", "123456789")
    cbc(root, "UUID", "c" * 96, schemeName="CUDE-SHA384")
    cbc(root, "IssueDate", ISSUED_AT.date().isoformat())
    cbc(root, "IssueTime", ISSUED_AT.strftime("%H:%M:%S-05:00"))
    _party(root, "SenderParty", sender_nit, DIAN_NAME)
    _party(root, "ReceiverParty", "900373115", "EMISOR DE PRUEBA SAS")
    response = cac(root, "DocumentResponse")
    outcome = cac(response, "Response")
    cbc(outcome, "ResponseCode", "02")
    cbc(outcome, "Description", "Documento validado por la DIAN")
    reference = cac(response, "DocumentReference")
    cbc(reference, "ID", "SETP990000001")
    cbc(reference, "UUID", INVOICE_CUFE, schemeName="CUFE-SHA384")
    cbc(reference, "DocumentTypeCode", "01")
    if change is not None:
        change(root)
    signed = dian_test_signer().sign(
        root, clock=FixedClock(ISSUED_AT), id_seed="dian-ar", role="third party"
    )
    return serialize(signed)

"""A received package made the way it really arrives: the demo issuer's invoice signed with
the development certificate, DIAN's ApplicationResponse made and signed the way the DIAN
sandbox makes it, both wrapped by the project's AttachedDocument builder, zipped with a PDF.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache

from loggro_app.core.clock import FixedClock
from loggro_app.dian import samples
from loggro_app.dian.build import BuiltDocument, build_document
from loggro_app.dian.build_events import build_attached_document
from loggro_app.dian.codes import DIAN_NIT
from loggro_app.dian.model.document import Document
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.standins.dian_sandbox import identity
from tests.unit.dian.conftest import FIXTURES, ISSUED_AT, P12_PASSWORD

BUYER_NIT = "800199436"  # samples.buyer()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
_DIAN_PASSWORD = b"sandbox-test"


@cache
def supplier_signer() -> Signer:
    return Signer.from_pkcs12((FIXTURES / "demo-cert.p12").read_bytes(), P12_PASSWORD)


@cache
def dian_signer() -> Signer:
    """What `identity.dian_signer` makes on the sandbox's first start, without its store."""
    p12 = create_dev_p12(
        nit=DIAN_NIT,
        organization="DIAN SANDBOX LOGGRO",
        password=_DIAN_PASSWORD,
        not_before=ISSUED_AT - timedelta(days=365),
        days=3650,
    )
    return Signer.from_pkcs12(p12, _DIAN_PASSWORD)


@dataclass(frozen=True)
class Package:
    document: Document
    invoice: BuiltDocument
    response: bytes
    attached: BuiltDocument

    @property
    def cufe(self) -> str:
        return self.invoice.unique_code


def dian_answer(document: Document, cufe: str, *, notes: list[str] | None = None) -> bytes:
    """DIAN's signed answer to an accepted document, as the sandbox's Receiver makes it."""
    return identity.application_response(
        signer=dian_signer(),
        clock=FixedClock(ISSUED_AT),
        document_key=cufe,
        document_number=document.number_text,
        document_type=document.type_code,
        issuer_nit=document.issuer.id_number,
        issuer_name=document.issuer.name,
        environment=str(document.environment),
        notifications=notes or [],
    )


def attach(document: Document, invoice: BuiltDocument, response: bytes | None) -> BuiltDocument:
    return build_attached_document(
        document,
        invoice,
        container_id="AD-990000001",
        signer=supplier_signer(),
        clock=FixedClock(ISSUED_AT),
        application_response=response,
        validated_at=(ISSUED_AT.date(), ISSUED_AT.time()),
    )


@cache
def package() -> Package:
    document = samples.invoice(ISSUED_AT)
    invoice = build_document(document, signer=supplier_signer(), clock=FixedClock(ISSUED_AT))
    response = dian_answer(
        document,
        invoice.unique_code,
        notes=["Regla: FAJ44b, Notificación: Nombre informado No corresponde al registrado en "
               "el RUT con respecto al Nit suminstrado."],
    )
    return Package(document, invoice, response, attach(document, invoice, response))


def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def mailed(attached_xml: bytes, pdf: bytes = PDF) -> bytes:
    """The ZIP a supplier mails (SPEC §6.2): the AttachedDocument and its PDF."""
    return zipped(("ad0900123456000260000001.xml", attached_xml),
                  ("fv0900123456000260000001.pdf", pdf))


@cache
def addressed_to(nit: str, dv: int, name: str, number: int = 990000001) -> bytes:
    """The mailed ZIP of a genuine invoice of the demo supplier to another buyer."""
    buyer = replace(samples.buyer(), id_number=nit, dv=dv, name=name)
    document = replace(samples.invoice(ISSUED_AT, number=number), counterparty=buyer)
    invoice = build_document(document, signer=supplier_signer(), clock=FixedClock(ISSUED_AT))
    response = dian_answer(document, invoice.unique_code)
    return mailed(attach(document, invoice, response).xml_bytes)


def tampered(data: bytes) -> bytes:
    """The same ZIP with one line's price changed inside the signed invoice."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()]
    old = b'<cbc:PriceAmount currencyID="COP">18500.00<'
    new = b'<cbc:PriceAmount currencyID="COP">18400.00<'
    return zipped(*[(name, body.replace(old, new, 1)) for name, body in members])

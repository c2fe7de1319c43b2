"""The signature check parses the bytes it is given on its own: a DOCTYPE (the only way to
carry entity references) is refused, and bytes that do not parse are an error, not a crash."""

from __future__ import annotations

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import samples
from loggro_app.dian.build import build_document
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import signature_errors
from tests.unit.dian.conftest import ISSUED_AT

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


@pytest.fixture(scope="module")
def signed(signer: Signer) -> bytes:
    built = build_document(samples.invoice(ISSUED_AT), signer=signer, clock=FixedClock(ISSUED_AT))
    assert built.xml_bytes.startswith(DECLARATION)
    return built.xml_bytes


def test_the_signed_invoice_verifies(signed: bytes) -> None:
    assert signature_errors(signed, etree.fromstring(signed)) == []


@pytest.mark.parametrize(
    "doctype",
    [b'<!DOCTYPE Invoice SYSTEM "factura.dtd">', b"<!DOCTYPE Invoice [<!ENTITY e 'x'>]>"],
    ids=["externo", "interno"],
)
def test_a_doctype_is_refused(signed: bytes, doctype: bytes) -> None:
    data = signed.replace(DECLARATION, DECLARATION + doctype, 1)
    assert signature_errors(data, etree.fromstring(signed)) == [
        "[ZE02] Firma inválida: DTD declarations are not supported in XML input"
    ]


def test_an_undeclared_entity_is_an_error(signed: bytes) -> None:
    data = signed.replace(b"Arroz 5 kg", b"Arroz &e; 5 kg", 1)
    assert data != signed
    (error,) = signature_errors(data, etree.fromstring(signed))
    assert error.startswith("[ZE02]") and "Entity 'e' not defined" in error

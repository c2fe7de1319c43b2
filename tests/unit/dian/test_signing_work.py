"""Work per signed document: the per-signer constants are derived once, the document is not
copied to be digested, and UBL elements are copied from per-thread prototypes (cheaper than
lxml's checks on every new element) without changing a byte.

Timing tests would be flaky on a shared machine: `bench/sign_throughput.py` and
`bench/instructions.py` give the rates and instruction counts.
"""

from __future__ import annotations

import copy
import threading
from base64 import b64decode
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import samples, xmlns
from loggro_app.dian.build import build_document
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.xmlns import DS, XADES
from tests.unit.dian.conftest import ISSUED_AT


def _text(root: etree._Element, path: str) -> str:
    found = root.find(path)
    assert found is not None and found.text is not None, path
    return found.text


def test_certificate_texts_come_from_the_signer_and_match_the_certificate(
    signer: Signer, clock: FixedClock
) -> None:
    built = build_document(samples.invoice(ISSUED_AT), signer=signer, clock=clock)
    root = etree.fromstring(built.xml_bytes)
    parts = signer.parts
    certificate = _text(root, f".//{{{DS}}}X509Certificate")
    assert certificate == parts.certificates[0]
    assert b64decode(certificate) == signer.certificate.public_bytes(Encoding.DER)
    digest = _text(root, f".//{{{XADES}}}CertDigest/{{{DS}}}DigestValue")
    assert b64decode(digest) == signer.certificate.fingerprint(hashes.SHA256())
    modulus = int.from_bytes(b64decode(_text(root, f".//{{{DS}}}Modulus")), "big")
    assert modulus == signer.key.public_key().public_numbers().n


def test_signing_does_not_deep_copy_the_document(
    signer: Signer, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    copies: list[object] = []
    real_deepcopy = copy.deepcopy

    def counting_deepcopy(value: Any, memo: Any = None) -> Any:
        copies.append(value)
        return real_deepcopy(value, memo)

    monkeypatch.setattr(copy, "deepcopy", counting_deepcopy)
    build_document(samples.invoice(ISSUED_AT), signer=signer, clock=clock)
    assert not [c for c in copies if isinstance(c, etree._Element)]


def test_elements_are_copied_from_prototypes_with_the_same_bytes() -> None:
    cache = xmlns._PROTOTYPES.by_key

    def block() -> bytes:
        root = xmlns.new_root("Invoice")
        line = xmlns.cac(root, "InvoiceLine")
        xmlns.cbc(line, "ID", "1")
        xmlns.cbc(line, "InvoicedQuantity", "2.00", unitCode="94")
        xmlns.cbc(line, "LineExtensionAmount", "10.00", currencyID="COP")
        xmlns.cbc(line, "Note")
        xmlns.sts(xmlns.ext(root, "UBLExtensions"), "ProviderID", "9", schemeID="4")
        return etree.tostring(root)

    first = block()
    known = len(cache)
    assert block() == first
    assert len(cache) == known  # the second block reused every prototype
    root = etree.fromstring(first)
    amount = root.find(f".//{{{xmlns.CBC}}}LineExtensionAmount")
    assert amount is not None and amount.attrib == {"currencyID": "COP"}
    assert first.count(b"xmlns:cbc=") == 1  # declared on the root only, as before


def test_prototypes_are_per_thread_and_give_the_same_document(
    signer: Signer, clock: FixedClock
) -> None:
    document = samples.invoice(ISSUED_AT)
    here = build_document(document, signer=signer, clock=clock).xml_bytes
    there: list[bytes] = []
    thread = threading.Thread(
        target=lambda: there.append(build_document(document, signer=signer, clock=clock).xml_bytes)
    )
    thread.start()
    thread.join()
    assert there == [here]

"""Work per signed document: the per-signer constants are derived once, the document is not
copied to be digested, and the Python-level calls of build + sign + zip stay in budget.

Counting calls instead of timing keeps the test exact on a machine shared with other
processes; `bench/sign_throughput.py` and `bench/instructions.py` give the rates.
"""

from __future__ import annotations

import copy
import sys
from base64 import b64decode
from types import FrameType
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import samples
from loggro_app.dian.build import build_document
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.xmlns import DS, XADES
from tests.unit.dian.conftest import ISSUED_AT

# Measured for a 5-line invoice: 2,094 before the signer cached its certificate texts and
# stopped copying the document, 1,734 after. The margin absorbs small library changes.
CALL_BUDGET = 1_850


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


def test_build_sign_and_zip_stay_within_the_call_budget(signer: Signer, clock: FixedClock) -> None:
    document = samples.invoice(ISSUED_AT)
    build_document(document, signer=signer, clock=clock, validate_xsd=False)  # warm caches
    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        build_document(document, signer=signer, clock=clock, validate_xsd=False)
    finally:
        sys.setprofile(None)
    assert calls <= CALL_BUDGET, f"{calls} calls per document (budget {CALL_BUDGET})"

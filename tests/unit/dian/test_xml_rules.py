"""`verify` re-checks DIAN rules from the XML itself (for documents we did not build)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from loggro_app.core.clock import FixedClock
from loggro_app.dian import demo, samples
from loggro_app.dian.build import serialize
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import verify_xml
from loggro_app.dian.ubl.documents import build_unsigned
from tests.unit.dian.conftest import ISSUED_AT


def _signed_bypassing_local_rules(document, signer: Signer, clock: FixedClock) -> bytes:  # type: ignore[no-untyped-def]
    """What a careless third party could send: built and signed without rules/document.py."""
    unsigned = build_unsigned(document)
    return serialize(signer.sign(unsigned.root, clock=clock, id_seed="x"))


def test_out_of_range_number_is_fad05c(signer: Signer) -> None:
    data = _signed_bypassing_local_rules(
        samples.invoice(ISSUED_AT, number=995000007), signer, FixedClock(ISSUED_AT)
    )
    report = verify_xml(data, secret=demo.TECHNICAL_KEY)
    assert report.errors == ["[FAD05c] El número 995000007 supera el rango autorizado (995000000)."]


def test_expired_resolution_is_fab07b(signer: Signer) -> None:
    document = samples.invoice(ISSUED_AT)
    expired = dataclasses.replace(
        document.resolution, valid_to=ISSUED_AT.date() - timedelta(days=1)
    )
    data = _signed_bypassing_local_rules(
        dataclasses.replace(document, resolution=expired), signer, FixedClock(ISSUED_AT)
    )
    [error] = verify_xml(data, secret=demo.TECHNICAL_KEY).errors
    assert error.startswith("[FAB07b]")


def test_signed_next_day_is_fad09e(signer: Signer) -> None:
    data = _signed_bypassing_local_rules(
        samples.invoice(ISSUED_AT), signer, FixedClock(ISSUED_AT + timedelta(days=1))
    )
    assert verify_xml(data, secret=demo.TECHNICAL_KEY).errors == [
        "[FAD09e] Fecha de firma 2026-11-23 distinta de la fecha de emisión 2026-11-22."
    ]


def test_wrong_dv_attribute_is_fak24(signer: Signer) -> None:
    unsigned = build_unsigned(samples.invoice(ISSUED_AT))
    for node in unsigned.root.iter():
        if node.get("schemeName") == "31" and node.text == "800199436":
            node.set("schemeID", "7")  # a third party's wrong DV, signed as such
    data = serialize(signer.sign(unsigned.root, clock=FixedClock(ISSUED_AT), id_seed="x"))
    errors = verify_xml(data, secret=demo.TECHNICAL_KEY).errors
    assert errors and all(
        e.startswith("[FAK24] El DV 7 no corresponde al NIT 800199436") for e in errors
    )


def test_qr_from_the_wrong_environment_is_fab36(signer: Signer) -> None:
    document = dataclasses.replace(samples.invoice(ISSUED_AT), environment=1)
    unsigned = build_unsigned(document)
    for node in unsigned.root.iter("{*}QRCode"):
        node.text = node.text.replace("catalogo-vpfe.", "catalogo-vpfe-hab.")
    data = serialize(signer.sign(unsigned.root, clock=FixedClock(ISSUED_AT), id_seed="x"))
    assert verify_xml(data, secret=demo.TECHNICAL_KEY).errors == [
        "[FAB36] El código QR no apunta al catálogo del ambiente 1."
    ]

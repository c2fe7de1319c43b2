"""The signature written as text (`signing.written`) against signxml's: the same bytes for
every kind of document, and signxml's way wherever the text could differ."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import samples
from loggro_app.dian.signing import written, written_tree, xml_text
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.ubl.events import build_event_unsigned
from tests.unit.dian.conftest import ISSUED_AT

CODE = "a" * 96
ROOTS: dict[str, Callable[[], etree._Element]] = {
    "invoice": lambda: build_unsigned(samples.invoice(ISSUED_AT)).root,
    "export_invoice": lambda: build_unsigned(samples.export_invoice(ISSUED_AT)).root,
    "credit_note": lambda: build_unsigned(samples.credit_note(ISSUED_AT, CODE)).root,
    "debit_note": lambda: build_unsigned(samples.debit_note(ISSUED_AT, CODE)).root,
    "support_document": lambda: build_unsigned(samples.support_document(ISSUED_AT)).root,
    "support_adjustment": lambda: build_unsigned(samples.support_adjustment(ISSUED_AT, CODE)).root,
    "application_response": lambda: build_event_unsigned(
        samples.receipt_acknowledgement(ISSUED_AT, CODE)
    )[0],
}


def _sign(
    signer: Signer, root: etree._Element, id_seed: str = "5e1f", role: str = "supplier"
) -> bytes:
    signed, text = signer.sign_and_serialize(
        root, clock=FixedClock(ISSUED_AT), id_seed=id_seed, role=role
    )
    assert text == etree.tostring(signed, encoding="UTF-8")
    return text


def _by_signxml(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make `written_signature` decline, recording that it was asked."""
    asked: list[object] = []

    def decline(*args: object) -> None:
        asked.append(args)

    monkeypatch.setattr(written_tree, "written_signature", decline)
    return asked


@pytest.mark.parametrize("kind", sorted(ROOTS))
def test_written_signature_equals_signxml(
    kind: str, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _sign(signer, ROOTS[kind]())
    tree_only = etree.tostring(
        signer.sign(ROOTS[kind](), clock=FixedClock(ISSUED_AT), id_seed="5e1f"), encoding="UTF-8"
    )
    asked = _by_signxml(monkeypatch)
    assert _sign(signer, ROOTS[kind]()) == fast == tree_only
    assert asked  # signxml's way was taken


@pytest.mark.parametrize(
    ("id_seed", "role"),
    [("a&b", "supplier"), ('q"', "supplier"), ("x>y", "supplier"), ("s", "línea\r\nnueva")],
)
def test_texts_written_differently_are_signed_signxml_s_way(
    id_seed: str, role: str, signer: Signer
) -> None:
    unsigned = written.unsigned_forms(ROOTS["invoice"]())
    assert unsigned is not None
    profile = written.Profile(
        key=signer.key,
        parts=signer.parts,
        id_seed=id_seed,
        signing_time="2026-11-22T10:30:00-05:00",
        role=role,
        policy=written.XAdESSignaturePolicy("u", "d", written.DigestAlgorithm.SHA256, "v"),
        data_object_format=written.XAdESDataObjectFormat(),
    )
    root = ROOTS["invoice"]()
    assert written.written_signature(unsigned, root.nsmap, profile) is None
    _sign(signer, root, id_seed=id_seed, role=role)  # and still signed


def test_text_is_escaped_alike_in_both_forms() -> None:
    piece = xml_text.element("p:a", "x < y & z > w", b="1", a="2")
    assert piece.plain == '<p:a b="1" a="2">x &lt; y &amp; z &gt; w</p:a>'
    assert piece.canonical == '<p:a a="2" b="1">x &lt; y &amp; z &gt; w</p:a>'
    empty = xml_text.element("p:e", c="3")
    assert (empty.plain, empty.canonical) == ('<p:e c="3"/>', '<p:e c="3"></p:e>')
    decl = ' xmlns="urn:d" xmlns:p="urn:p"'
    canonical = f'<p:a{decl} a="2" b="1">x &lt; y &amp; z &gt; w</p:a>'
    assert xml_text.digested(piece, decl) == canonical
    root = etree.fromstring(f"<r{decl}><p:a b='1' a='2'>x &lt; y &amp; z &gt; w</p:a></r>")
    assert etree.tostring(root[0], method="c14n") == xml_text.digested(piece, decl).encode()

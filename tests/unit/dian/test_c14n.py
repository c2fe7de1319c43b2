"""C14N from plain serialization (`signing.c14n`) against libxml2's C14N, and the signer's
spliced serialization against lxml's: wherever the fast way answers, the bytes are equal."""

from __future__ import annotations

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import samples
from loggro_app.dian.build import serialize
from loggro_app.dian.signing import written as written_module
from loggro_app.dian.signing.c14n import canonicalize
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.xmlns import PREFIXES
from tests.unit.dian.conftest import GOLDEN, ISSUED_AT

NS = 'xmlns="urn:d" xmlns:p="urn:p" xmlns:z="urn:a"'
# Each: the fragment, and whether the fast way must answer (else it may decline).
CASES = [
    (f'<r {NS}><p:a b="2" a="1" a-b="3" a1="4" B="5"/></r>', True),
    (f'<r {NS}><p:a z:k="1" p:k="2" k="3" xml:lang="es"/></r>', True),
    (f'<r {NS} z:k="1" b="2" a="3"><p:a>t</p:a></r>', True),
    (f"<r {NS}><p:a>x &gt; y &amp; &lt;z&gt; \"q\" 'a' a=\"b\" c\" d</p:a></r>", True),
    (f'<r {NS}><p:a x="a&gt;b">t</p:a></r>', False),
    (f'<r {NS}><p:a x="a&gt;b" y="1">t</p:a></r>', False),
    (f'<r {NS}><p:a x="&quot;q&quot; &amp; &lt;" b="1">t</p:a></r>', True),
    (f'<r {NS}><p:a x="tab&#9;nl&#10;cr&#13;">t&#13;</p:a></r>', False),
    (f"<r {NS}><p:a>café ñandú 日本 😀</p:a><p:e/><p:f></p:f></r>", True),
    (f'<r {NS}><p:a b="1" a="2"/><p:c d="é" c="ü"></p:c></r>', True),
    (f"<r {NS}><!-- c --><p:a>t</p:a></r>", False),
    (f"<r {NS}><p:a><![CDATA[<x>]]></p:a></r>", False),
    (f"<r {NS}><?pi x?><p:a>t</p:a></r>", False),
    (f'<r {NS}><p:a xmlns:q="urn:q"><q:b>t</q:b></p:a></r>', False),
    (f'<r {NS}><p:a xmlns:p="urn:p">t</p:a></r>', False),
    ('<r xmlns="urn:d"><a xmlns=""/></r>', False),
    ("<r><a b='1' a='2'>no namespaces</a></r>", True),
    (f'<r {NS}><p:a q="¿?#!">Calle 10 # 43-12, ¿qué? ¡sí! a&amp;b &#38;</p:a></r>', True),
    (f"<r {NS}><p:a>#<!-- c --></p:a></r>", False),
    (f"<r {NS}><p:a>?<?pi?></p:a></r>", False),
    (f'<r {NS}><p:a>xmlns and " xmlns" in text</p:a></r>', True),
]


def libxml2(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


def fast(element: etree._Element) -> bytes | None:
    return canonicalize(etree.tostring(element, encoding="UTF-8", with_tail=False))


@pytest.mark.parametrize(("fragment", "answers"), CASES)
def test_the_fast_way_equals_libxml2_or_declines(fragment: str, answers: bool) -> None:
    root = etree.fromstring(fragment.encode(), etree.XMLParser(strip_cdata=False))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        got = fast(element)
        if got is not None:
            assert got == libxml2(element)
    assert (fast(root) is not None) is answers


def test_every_element_of_every_golden_file() -> None:
    roots = [etree.parse(str(path)).getroot() for path in sorted(GOLDEN.glob("*.xml"))]
    assert len(roots) >= 7
    for root in roots:
        assert fast(root) == libxml2(root)  # our documents take the fast way
        for element in root.iter():
            got = fast(element)
            assert got is None or got == libxml2(element)


def test_built_documents_take_the_fast_way() -> None:
    root = build_unsigned(samples.invoice(ISSUED_AT)).root
    assert root.nsmap == {None: root.nsmap[None], **PREFIXES}
    assert fast(root) == libxml2(root)


KINDS = {
    "invoice": lambda: samples.invoice(ISSUED_AT),
    "credit_note": lambda: samples.credit_note(ISSUED_AT, "a" * 96),
    "support_document": lambda: samples.support_document(ISSUED_AT),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_signing_gives_the_same_bytes_as_with_libxml2_c14n(
    kind: str, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FixedClock(ISSUED_AT)
    fast_root, fast_bytes = signer.sign_and_serialize(
        build_unsigned(KINDS[kind]()).root, clock=clock, id_seed="x"
    )
    assert fast_bytes == etree.tostring(fast_root, encoding="UTF-8")
    monkeypatch.setattr(written_module, "canonicalize", lambda serialized: None)
    slow_root, slow_bytes = signer.sign_and_serialize(
        build_unsigned(KINDS[kind]()).root, clock=clock, id_seed="x"
    )
    assert slow_bytes == fast_bytes
    assert serialize(slow_root) == serialize(fast_root)

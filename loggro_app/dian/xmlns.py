"""Namespaces (SPEC §2.1) and tiny lxml helpers so builders read like the annex tables."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Sequence

from lxml import etree

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
STS = "dian:gov:co:facturaelectronica:Structures-2-1"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

ROOT_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "DebitNote": "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2",
    "ApplicationResponse": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
    "AttachedDocument": "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2",
}

# Every prefix used anywhere is declared on the root, so inclusive C14N of the signature
# parts gives the same bytes wherever they sit (SPEC §2.1).
PREFIXES = {
    "cac": CAC,
    "cbc": CBC,
    "ext": EXT,
    "sts": STS,
    "ds": DS,
    "xades": XADES,
    "xades141": XADES141,
    "xsi": XSI,
}
XPATH_NS = {"cac": CAC, "cbc": CBC, "ext": EXT, "sts": STS, "ds": DS, "xades": XADES}


def new_root(name: str) -> etree._Element:
    """Root in the default namespace (DIAN expects no prefix on it) with all prefixes; a
    copy of one made once per thread (making it anew declares nine namespaces: 5 times
    the instructions)."""
    cache = _PROTOTYPES.by_key
    prototype = cache.get(("root", name))
    if prototype is None:
        nsmap: dict[str | None, str] = {None: ROOT_NS[name]}
        nsmap.update(PREFIXES)
        prototype = cache[("root", name)] = etree.Element(f"{{{ROOT_NS[name]}}}{name}", nsmap=nsmap)
    return prototype.__copy__()


class _Prototypes(threading.local):
    """Per-thread cache of childless elements, one per (tag, attributes), to copy from.

    Creating an element, lxml validates its name, its namespace URI and each attribute name
    and searches the namespace by URI up the ancestors: about 13,000 instructions, 21,000
    with one attribute. Copying a cached element that already carries all that and
    appending it costs about 11,000 either way (`bench/instructions.py` counts the whole
    build). The bytes are the same: on append lxml drops the copy's own namespace
    declaration, which every document root makes (see `new_root`). Per thread because lxml
    documents belong to the thread that made them.
    """

    LIMIT = 2048  # distinct (tag, attributes) pairs; beyond it, elements are made directly

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, ...], etree._Element] = {}


_PROTOTYPES = _Prototypes()


def _child(
    parent: etree._Element, prefix: str, namespace: str, name: str, attrs: dict[str, str]
) -> etree._Element:
    key = (namespace, name, *attrs.keys(), *attrs.values()) if attrs else (namespace, name)
    cache = _PROTOTYPES.by_key
    prototype = cache.get(key)
    if prototype is None:
        tag = f"{{{namespace}}}{name}"
        if len(cache) >= _Prototypes.LIMIT:
            return etree.SubElement(parent, tag, attrs)
        prototype = cache[key] = etree.Element(tag, attrs, nsmap={prefix: namespace})
    element = prototype.__copy__()
    parent.append(element)
    return element


class _Blocks(threading.local):
    """Per-thread cache of whole blocks (an issuer's or a buyer's party, a tax category, a
    catalogue item) as built once, to copy from: copying a 42-element party costs a sixth
    of building it anew. The same bytes result, as with `_Prototypes`."""

    LIMIT = 1024  # blocks kept; beyond it the oldest is forgotten

    def __init__(self) -> None:
        self.by_key: dict[Hashable, tuple[etree._Element, ...]] = {}


_BLOCKS = _Blocks()


def copied_block(
    parent: etree._Element, key: Hashable, build: Callable[[etree._Element], object]
) -> None:
    """Append what `build(parent)` would append (elements only, no text), copying it from
    the block last built for an equal `key`. The key must hold every input of `build`."""
    cache = _BLOCKS.by_key
    prototypes = cache.get(key)
    if prototypes is None:
        holder = new_root("Invoice")  # every prefix declared, as in any document
        build(holder)
        if holder.text is not None or any(child.tail is not None for child in holder):
            raise ValueError("a copied block holds elements only")
        if len(cache) >= _Blocks.LIMIT:
            del cache[next(iter(cache))]
        prototypes = cache[key] = tuple(holder)
    for prototype in prototypes:
        parent.append(prototype.__copy__())


# A block's top-level elements, and the element of theirs each text goes into.
_Template = tuple[tuple[etree._Element, ...], tuple[etree._Element, ...]]


class _Templates(threading.local):
    """Per-thread cache of blocks built once per shape with placeholder texts, to copy from
    and fill in (`filled_block`)."""

    LIMIT = 1024  # shapes kept; beyond it the oldest is forgotten

    def __init__(self) -> None:
        self.by_shape: dict[Hashable, _Template] = {}


_TEMPLATES = _Templates()
_HOLE = "\ue000{}\ue001"  # private-use characters: a placeholder no real text equals


def filled_block(
    parent: etree._Element,
    shape: Hashable,
    build: Callable[[etree._Element, Iterator[str]], object],
    texts: Sequence[str],
) -> None:
    """Append what `build(parent, iter(texts))` would append (elements only, no text).

    `build` must take everything but its texts from `shape`, and write each text it takes
    from the iterator, unchanged, as the whole text of one element. Copying the block built
    once per shape with placeholders and filling in the texts costs a tenth of building
    the elements anew: a document line's figures change, its shape seldom does."""
    cache = _TEMPLATES.by_shape
    template = cache.get(shape)
    if template is None:
        template = cache[shape] = _template(build, len(texts))
        if len(cache) > _Templates.LIMIT:
            del cache[next(iter(cache))]
    prototypes, receivers = template
    # The texts go into the template itself, which is then copied whole: cheaper than
    # finding their places in the copy.
    for receiver, text in zip(receivers, texts, strict=True):
        receiver.text = text
    for prototype in prototypes:
        parent.append(prototype.__copy__())


def _template(build: Callable[[etree._Element, Iterator[str]], object], count: int) -> _Template:
    """The block built with placeholder texts, and the element each text goes into."""
    holes = [_HOLE.format(i) for i in range(count)]
    holder = new_root("Invoice")  # every prefix declared, as in any document
    remaining = iter(holes)
    build(holder, remaining)
    if next(remaining, None) is not None:
        raise ValueError("the block took fewer texts than it was given")
    prototypes = tuple(holder)
    receiver_of = {element.text: element for p in prototypes for element in p.iter()}
    receivers = tuple(receiver_of[hole] for hole in holes if hole in receiver_of)
    written = b"".join(etree.tostring(p, encoding="UTF-8") for p in prototypes)
    stray = holder.text is not None or any(p.tail is not None for p in prototypes)
    if stray or len(receivers) != count or written.count("\ue000".encode()) != count:
        raise ValueError("a filled block writes each text once, as an element's whole text")
    return prototypes, receivers


def cbc(
    parent: etree._Element, name: str, text: str | None = None, /, **attrs: str
) -> etree._Element:
    element = _child(parent, "cbc", CBC, name, attrs)
    if text is not None:
        element.text = text
    return element


def cac(parent: etree._Element, name: str) -> etree._Element:
    return _child(parent, "cac", CAC, name, {})


def sts(
    parent: etree._Element, name: str, text: str | None = None, /, **attrs: str
) -> etree._Element:
    element = _child(parent, "sts", STS, name, attrs)
    if text is not None:
        element.text = text
    return element


def ext(parent: etree._Element, name: str) -> etree._Element:
    return _child(parent, "ext", EXT, name, {})


def dian_agency(**attrs: str) -> dict[str, str]:
    """schemeAgencyID/Name of DIAN, used on every identifier DIAN assigns (SPEC §2.3)."""
    return {
        "schemeAgencyID": "195",
        "schemeAgencyName": "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)",
        **attrs,
    }

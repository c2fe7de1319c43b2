"""A written signature (`written`) put in the document's tree in place of its slot, and
the whole of signing a document that way."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from lxml import etree

from loggro_app.dian.signing.written import (
    SLOT_BYTES,
    Profile,
    WrittenSignature,
    unsigned_forms,
    written_signature,
)
from loggro_app.dian.signing.xml_text import HOLES, filled, split_at_holes
from loggro_app.dian.xmlns import DS, XADES


def signed_document(root: etree._Element, profile: Profile) -> bytes | None:
    """Sign a whole document (`root` has no parent) that declares ds and xades on its root
    by writing the signature as text, the same bytes signxml's way gives; returns the
    signed document serialized, or None to sign it signxml's way."""
    nsmap = root.nsmap
    if root.getparent() is not None or nsmap.get("ds") != DS or nsmap.get("xades") != XADES:
        return None
    unsigned = unsigned_forms(root)
    if unsigned is None:
        return None
    signature = written_signature(unsigned, nsmap, profile)
    if signature is None:
        return None
    fill_slot(root, signature)
    head, _, tail = unsigned.serialized.partition(SLOT_BYTES)
    return head + signature.text + tail


class _Trees(threading.local):
    """Per-thread cache of signatures parsed from their skeletons, holes and all, to fill in
    and copy into documents (lxml trees belong to the thread that made them)."""

    LIMIT = 64  # signing identities in use, times roles, times root elements

    def __init__(self) -> None:
        self.by_skeleton: dict[tuple[tuple[str, ...], str], _Tree] = {}


@dataclass(frozen=True)
class _Tree:
    """A signature element with holes, and the texts and attributes that hold them."""

    element: etree._Element
    texts: tuple[tuple[etree._Element, str], ...]  # element, hole
    attributes: tuple[tuple[etree._Element, str, tuple[str, ...]], ...]  # element, name, split


_TREES = _Trees()


def _tree(skeleton: tuple[str, ...], declarations: str) -> _Tree:
    cache = _TREES.by_skeleton
    tree = cache.get((skeleton, declarations))
    if tree is None:
        text = "".join(skeleton)
        name_end = text.index(" ")
        element = etree.fromstring(f"{text[:name_end]}{declarations}{text[name_end:]}".encode())
        texts = [(node, node.text) for node in element.iter() if node.text in skeleton[1::2]]
        attributes = [
            (node, name, split_at_holes(value))
            for node in element.iter()
            for name, value in node.items()
            if HOLES.search(value)
        ]
        held = len(texts) + sum(len(parts) // 2 for _, _, parts in attributes)
        if held != len(skeleton) // 2:
            raise ValueError("every hole of a signature is a whole text or in an attribute")
        tree = cache[(skeleton, declarations)] = _Tree(element, tuple(texts), tuple(attributes))
        if len(cache) > _Trees.LIMIT:
            del cache[next(iter(cache))]
    return tree


def fill_slot(root: etree._Element, signature: WrittenSignature) -> None:
    """Put the written signature in the tree in place of the slot: a copy of the signature
    parsed once per skeleton, its holes filled in (copying costs a third of parsing)."""
    tree = _tree(signature.skeleton, signature.declarations)
    values = signature.values
    for node, hole in tree.texts:
        node.text = values[hole]
    for node, name, parts in tree.attributes:
        node.set(name, filled(parts, values))
    slot = next(
        node
        for node in root.iter(tree.element.tag)
        if node.get("Id") == "placeholder" and not len(node)
    )
    parent = slot.getparent()
    assert parent is not None
    parent.replace(slot, tree.element.__copy__())

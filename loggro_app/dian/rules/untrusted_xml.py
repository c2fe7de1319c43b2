"""Parsing XML that comes from outside (documents to verify, documents sent to DIAN).

No DTD, no entity expansion, no network. A document that declares a DTD is refused
outright rather than half-parsed: lxml keeps unexpanded entity references in the tree,
and XML Schema validation then fails with an internal error instead of a rule.
"""

from __future__ import annotations

from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         huge_tree=False)
SCHEMA_RULE = "ZB01"  # DIAN's code for a file that fails the XML schema
DTD_MESSAGE = "El documento declara un DTD (<!DOCTYPE …>); la DIAN no los admite."


class RefusedXml(ValueError):
    """Well-formed XML that DIAN would never accept as a document (it declares a DTD)."""


def parse_untrusted(data: bytes) -> etree._Element:
    """The document's root; etree.XMLSyntaxError when not XML, RefusedXml for a DTD."""
    root = etree.fromstring(data, PARSER)
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        raise RefusedXml(DTD_MESSAGE)
    return root

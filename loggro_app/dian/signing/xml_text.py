"""XML written as text in the two forms a signature needs: as lxml serializes it inside a
document, and as C14N 1.0 writes it; and texts with holes, filled in later.

The two forms are written only where they are sure to agree with what lxml and libxml2
would write (see `Unsupported`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


class Unsupported(Exception):
    """A text where lxml's serialization and C14N would write different bytes."""


@dataclass(frozen=True)
class Xml:
    """A piece of XML as lxml serializes it and as C14N 1.0 writes it (but for the
    namespace declarations a canonical subtree carries on its apex, see `digested`)."""

    plain: str
    canonical: str

    def __add__(self, other: Xml) -> Xml:
        return Xml(self.plain + other.plain, self.canonical + other.canonical)


# Where lxml's serialization and C14N part ways: `>`, tab, CR and LF in an attribute value;
# CR in text. Both write `&`, `<` (and `"` in values, `>` in text) as the same entities.
_UNEQUAL_IN_ATTRIBUTE = re.compile(r'[<>&"\t\n\r]')
_ESCAPED_IN_TEXT = re.compile(r"[&<>\r]")


def checked_attribute(value: str) -> str:
    if _UNEQUAL_IN_ATTRIBUTE.search(value):
        raise Unsupported  # `&`, `<`, `"` would agree, but our ids and URIs never hold them
    return value


def escaped_text(value: str) -> str:
    if not _ESCAPED_IN_TEXT.search(value):
        return value
    if "\r" in value:
        raise Unsupported
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def element(name: str, *content: Xml | str, **attributes: str) -> Xml:
    """`<name a="1">content</name>`; C14N sorts the (unqualified) attributes by name and
    never writes an empty element as `<name/>`."""
    pairs = [f' {key}="{checked_attribute(value)}"' for key, value in attributes.items()]
    plain = [f"<{name}", *pairs]
    canonical = [f"<{name}", *sorted(pairs), ">"]
    if not content:
        return Xml("".join(plain) + "/>", "".join(canonical) + f"</{name}>")
    plain.append(">")
    for part in content:
        if isinstance(part, Xml):
            plain.append(part.plain)
            canonical.append(part.canonical)
        else:
            text = escaped_text(part)
            plain.append(text)
            canonical.append(text)
    end = f"</{name}>"
    return Xml("".join(plain) + end, "".join(canonical) + end)


def digested(piece: Xml, declarations: str) -> str:
    """C14N 1.0 of `piece` as a subtree of the document: every namespace in scope declared
    on its apex, before its attributes."""
    canonical = piece.canonical
    name_end = min(i for i in (canonical.find(" "), canonical.find(">")) if i >= 0)
    return f"{canonical[:name_end]}{declarations}{canonical[name_end:]}"


def namespace_declarations(nsmap: dict[str | None, str]) -> str:
    return _ordered_declarations(tuple(nsmap.items()))


@lru_cache(maxsize=64)  # one set of namespaces per root element (Invoice, CreditNote...)
def _ordered_declarations(nsmap: tuple[tuple[str | None, str], ...]) -> str:
    """The namespace declarations in canonical order: the default first, then by prefix."""
    if any(not uri for _, uri in nsmap):
        raise Unsupported  # C14N leaves out an empty default namespace
    ordered = sorted(nsmap, key=lambda item: item[0] or "")
    return "".join(
        f' xmlns{":" + prefix if prefix else ""}="{checked_attribute(uri)}"'
        for prefix, uri in ordered
    )



def hole(name: str) -> str:
    return f"\ue000{name}\ue001"  # private-use characters: no real text holds them


HOLES = re.compile("(\ue000[^\ue001]*\ue001)")


def split_at_holes(text: str) -> tuple[str, ...]:
    return tuple(HOLES.split(text))


def filled(skeleton: tuple[str, ...], values: dict[str, str]) -> str:
    pieces = list(skeleton)
    pieces[1::2] = [values[hole] for hole in skeleton[1::2]]
    return "".join(pieces)

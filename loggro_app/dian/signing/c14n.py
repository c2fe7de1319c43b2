"""Canonical XML 1.0 (inclusive, no comments) of the trees our builders make, derived from
lxml's plain UTF-8 serialization.

libxml2's C14N walks the namespace axis of every element: with the nine declarations every
document root carries (SPEC §2.1) it spends about 8,000 instructions per element, three
times what plain serialization costs. For trees whose namespace declarations all sit on the
apex the two outputs differ in three known ways only, which are mended on the bytes:

- the apex start tag: namespace declarations sorted by prefix (default first), then the
  attributes sorted by namespace URI (none first) and local name;
- any other start tag with two or more attributes: attributes sorted the same way;
- empty elements: `<a/>` becomes `<a></a>`.

Everything else is identical by construction: both write UTF-8 as is and escape `&`, `<`,
`>` in text and `&`, `<`, `"` in attribute values the same way. Where they part ways
(character references for tab/CR/LF, `>` in an attribute value, comments, CDATA, processing
instructions, namespace declarations below the apex) `canonicalize` returns None and the
caller falls back to libxml2's C14N.

In plain serialization `<` and `>` are escaped in text and attribute values alike, so a raw
`<` always opens a tag and a raw `>` always closes one; and `"` is escaped in attribute
values, so inside a tag `" ` always separates two attributes. The scans use bytes.find,
on a single byte where they can (Python's `re` costs far more per byte on such patterns).
"""

from __future__ import annotations

from functools import lru_cache

XML_NAMESPACE = b"http://www.w3.org/XML/1998/namespace"
_CACHE_LIMIT = 4096  # distinct multi-attribute start tags remembered
_sorted_tags: dict[bytes, bytes] = {}  # start tag (unprefixed attributes) -> canonical


class _Unsupported(Exception):
    pass


def _attribute_key(chunk: bytes, namespaces: dict[bytes, bytes]) -> tuple[bytes, bytes]:
    """C14N order: namespace URI (none sorts first), then local name."""
    name = chunk[: chunk.index(b"=")]
    prefix, colon, local = name.partition(b":")
    if not colon:
        return b"", name
    uri = XML_NAMESPACE if prefix == b"xml" else namespaces.get(prefix)
    if uri is None or prefix == b"xmlns":
        raise _Unsupported
    return uri, local


def _sorted_attributes(attributes: bytes, namespaces: dict[bytes, bytes]) -> bytes:
    """`a="1" b="2"` (the text between a tag's name and its end) in canonical order."""
    if b"&gt;" in attributes:
        raise _Unsupported  # C14N writes `>` raw in attribute values
    chunks = attributes[:-1].split(b'" ')  # no closing quote on the last, like the others
    chunks.sort(key=lambda chunk: _attribute_key(chunk, namespaces))
    return b'" '.join(chunks) + b'"'


@lru_cache(maxsize=256)  # the same few root start tags recur
def _apex(tag: bytes) -> tuple[bytes, dict[bytes, bytes]] | None:
    """The apex start tag in canonical order and the prefixes it declares; None if it holds
    what is not supported."""
    if b"&gt;" in tag:
        return None
    close = b"/>" if tag.endswith(b"/>") else b">"
    name_end = tag.find(b" ")
    if name_end < 0:
        return tag, {}
    chunks = tag[name_end + 1 : len(tag) - len(close) - 1].split(b'" ')
    declarations: list[tuple[bytes, bytes]] = []
    attributes: list[bytes] = []
    namespaces: dict[bytes, bytes] = {}
    for chunk in chunks:
        name, _, value = chunk.partition(b'="')
        if name == b"xmlns" or name.startswith(b"xmlns:"):
            prefix = name[6:]
            if (name == b"xmlns" and not value) or prefix in namespaces:
                return None  # C14N drops an empty default declaration; no duplicates
            namespaces[prefix] = value
            declarations.append((prefix, chunk))
        else:
            attributes.append(chunk)
    declarations.sort()
    parts = [tag[: name_end + 1], b'" '.join(chunk for _, chunk in declarations)]
    if attributes:
        try:
            ordered = _sorted_attributes(b'" '.join(attributes) + b'"', namespaces)
        except _Unsupported:
            return None
        parts += (b'" ' if declarations else b"", ordered[:-1])
    return b"".join(parts) + b'"' + close, namespaces


def _mend_start_tags(body: bytes, namespaces: dict[bytes, bytes]) -> bytes:
    """Each start tag with two or more attributes, its attributes in canonical order."""
    parts: list[bytes] = []
    done = 0  # body[:done] is in parts
    at = body.find(b'" ')
    while at >= 0:
        start = body.rfind(b"<", done, at)
        if start < 0 or body.rfind(b">", start, at) >= 0:
            at = body.find(b'" ', at + 2)  # a quote in text
            continue
        end = body.index(b">", at)
        if body[end - 1] == 47:  # b"/": an empty element
            end -= 1
        tag = body[start:end]
        canonical = _sorted_tags.get(tag)
        if canonical is None:
            name_end = tag.index(b" ") + 1
            canonical = tag[:name_end] + _sorted_attributes(tag[name_end:], namespaces)
            if len(_sorted_tags) < _CACHE_LIMIT and _no_prefixed_names(tag[name_end:]):
                _sorted_tags[tag] = canonical  # its order does not depend on the apex
        parts += (body[done:start], canonical)
        done = end
        at = body.find(b'" ', end)
    parts.append(body[done:])
    return b"".join(parts)


def _no_prefixed_names(attributes: bytes) -> bool:
    return all(b":" not in chunk[: chunk.index(b"=")] for chunk in attributes.split(b'" '))


def _open_empty_elements(text: bytes) -> bytes:
    """`<a x="1"/>` becomes `<a x="1"></a>`."""
    if b"/>" not in text:
        return text
    pieces = text.split(b"/>")
    parts: list[bytes] = []
    for piece in pieces[:-1]:
        start = piece.rfind(b"<") + 1
        name_end = piece.find(b" ", start)
        parts += (piece, b"></", piece[start : name_end if name_end >= 0 else None], b">")
    parts.append(pieces[-1])
    return b"".join(parts)


def _pair(data: bytes, pair: bytes) -> bool:
    """`pair in data` for two bytes, the second one rare (`#`, `!`, `?`): CPython looks for
    two-byte needles a byte at a time, but finds a single byte with memchr, 50 times faster.
    """
    first, second = pair[0], pair[1:]
    at = data.find(second, 1)
    while at >= 0:
        if data[at - 1] == first:
            return True
        at = data.find(second, at + 1)
    return False


def _in_a_tag(body: bytes, needle: bytes, lead: bytes) -> bool:
    """Whether `needle` occurs inside a start tag (rather than in text), looking for its
    first byte(s) `lead` (a single rare byte is found much faster; see `_pair`)."""
    at = body.find(lead)
    while at >= 0:
        if body.startswith(needle, at) and body.rfind(b"<", 0, at) > body.rfind(b">", 0, at):
            return True
        at = body.find(lead, at + 1)
    return False


def canonicalize(serialized: bytes) -> bytes | None:
    """C14N 1.0 of an element from `etree.tostring(element, encoding="UTF-8",
    with_tail=False)`, or None when it is outside the supported subset.

    Meant for whole documents. For a subtree, lxml's serialization declares on the apex
    every namespace in scope, as inclusive C14N does; but C14N would also copy onto the
    apex the `xml:*` attributes of its ancestors, which this does not.
    """
    if _pair(serialized, b"&#") or _pair(serialized, b"<!") or _pair(serialized, b"<?"):
        return None
    apex_end = serialized.find(b">") + 1
    if apex_end <= 0 or serialized[:1] != b"<":
        return None
    body = serialized[apex_end:]
    # A namespace declaration below the apex; `>` in an attribute value, written raw by C14N.
    if _in_a_tag(body, b" xmlns", b" xmlns") or _in_a_tag(body, b"&gt;", b"&"):
        return None
    apex = _apex(serialized[:apex_end])
    if apex is None:
        return None
    try:
        body = _mend_start_tags(body, apex[1])
    except _Unsupported:
        return None
    return _open_empty_elements(apex[0] + body)

"""The DIAN XAdES-EPES signature written directly as text, in the two forms it takes: as it
is serialized inside the document, and as C14N 1.0 writes the parts that are digested
(SignedProperties, KeyInfo) and signed (SignedInfo).

signxml builds the signature as some forty lxml elements, canonicalizes three subtrees of
the document with libxml2 and searches the tree by XPath a dozen times; with the RSA
operation set aside, that was a third of signing a document. Every byte of the signature
is known beforehand but the ids, the signing time, three digests and the signature value,
so it is written here the way `DianXAdESSigner` makes it: same element order, same
attribute order, same ids. `tests/unit/dian/test_written_signature.py` checks the result
against signxml's for every document kind.

Written only where the two forms are sure to agree (see `_Unsupported`); elsewhere the
caller signs with signxml.
"""

from __future__ import annotations

import hashlib
import re
import threading
from base64 import b64encode
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureConstructionMethod
from signxml.algorithms import SignatureMethod
from signxml.xades import XAdESDataObjectFormat, XAdESSignaturePolicy

from loggro_app.dian.signing.c14n import canonicalize

if TYPE_CHECKING:
    from loggro_app.dian.signing.signer import CertificateParts

SLOT_BYTES = b'<ds:Signature Id="placeholder"/>'  # as `ubl.extensions` leaves the slot
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"


class _Unsupported(Exception):
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


def _attribute(value: str) -> str:
    if _UNEQUAL_IN_ATTRIBUTE.search(value):
        raise _Unsupported  # `&`, `<`, `"` would agree, but our ids and URIs never hold them
    return value


def _text(value: str) -> str:
    if not _ESCAPED_IN_TEXT.search(value):
        return value
    if "\r" in value:
        raise _Unsupported
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def element(name: str, *content: Xml | str, **attributes: str) -> Xml:
    """`<name a="1">content</name>`; C14N sorts the (unqualified) attributes by name and
    never writes an empty element as `<name/>`."""
    pairs = [f' {key}="{_attribute(value)}"' for key, value in attributes.items()]
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
            text = _text(part)
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


def _declarations(nsmap: dict[str | None, str]) -> str:
    return _ordered_declarations(tuple(nsmap.items()))


@lru_cache(maxsize=64)  # one set of namespaces per root element (Invoice, CreditNote...)
def _ordered_declarations(nsmap: tuple[tuple[str | None, str], ...]) -> str:
    """The namespace declarations in canonical order: the default first, then by prefix."""
    if any(not uri for _, uri in nsmap):
        raise _Unsupported  # C14N leaves out an empty default namespace
    ordered = sorted(nsmap, key=lambda item: item[0] or "")
    return "".join(
        f' xmlns="{_attribute(uri)}"' if prefix is None else f' xmlns:{prefix}="{_attribute(uri)}"'
        for prefix, uri in ordered
    )


def _digest(data: bytes) -> str:
    return b64encode(hashlib.sha256(data).digest()).decode()


def _digest_method(algorithm: DigestAlgorithm = DigestAlgorithm.SHA256) -> Xml:
    return element("ds:DigestMethod", Algorithm=algorithm.value)


@dataclass(frozen=True)
class _Fixed:
    """What a signing identity writes in every signature, written once."""

    key_info: Xml  # KeyValue and X509Data
    signed_signature_properties: Xml  # SigningCertificate, SignaturePolicyIdentifier, role
    data_object_format: Xml  # Description and MimeType
    signed_info_methods: Xml  # CanonicalizationMethod and SignatureMethod
    document_transforms: Xml


def _fixed(
    parts: CertificateParts,
    role: str,
    policy: XAdESSignaturePolicy,
    data_object_format: XAdESDataObjectFormat,
) -> _Fixed:
    certificates = [
        element(
            "xades:Cert",
            element("xades:CertDigest", _digest_method(), element("ds:DigestValue", digest)),
            element(
                "xades:IssuerSerial",
                element("ds:X509IssuerName", issuer),
                element("ds:X509SerialNumber", serial),
            ),
        )
        for digest, issuer, serial in parts.signing_certificates
    ]
    policy_xml = element(
        "xades:SignaturePolicyIdentifier",
        element(
            "xades:SignaturePolicyId",
            element(
                "xades:SigPolicyId",
                element("xades:Identifier", policy.Identifier),
                element("xades:Description", policy.Description),
            ),
            element(
                "xades:SigPolicyHash",
                _digest_method(DigestAlgorithm(policy.DigestMethod)),
                element("ds:DigestValue", policy.DigestValue),
            ),
        ),
    )
    claimed = element("xades:ClaimedRoles", element("xades:ClaimedRole", role))
    roles = element("xades:SignerRole", claimed)
    key_value = element(
        "ds:KeyValue",
        element(
            "ds:RSAKeyValue",
            element("ds:Modulus", parts.modulus),
            element("ds:Exponent", parts.exponent),
        ),
    )
    x509_data = element(
        "ds:X509Data", *(element("ds:X509Certificate", text) for text in parts.certificates)
    )
    c14n = CanonicalizationMethod.CANONICAL_XML_1_0.value
    return _Fixed(
        key_info=key_value + x509_data,
        signed_signature_properties=element("xades:SigningCertificate", *certificates)
        + policy_xml
        + roles,
        data_object_format=element("xades:Description", data_object_format.Description)
        + element("xades:MimeType", data_object_format.MimeType),
        signed_info_methods=element("ds:CanonicalizationMethod", Algorithm=c14n)
        + element("ds:SignatureMethod", Algorithm=SignatureMethod.RSA_SHA256.value),
        document_transforms=element(
            "ds:Transforms",
            element("ds:Transform", Algorithm=SignatureConstructionMethod.enveloped.value),
            element("ds:Transform", Algorithm=c14n),
        ),
    )


@dataclass(frozen=True)
class Unsigned:
    """A document ready to sign: its serialization with the empty slot, and the C14N the
    enveloped-signature transform digests (the same without the slot)."""

    serialized: bytes
    canonical: bytes


def unsigned_forms(root: etree._Element) -> Unsigned | None:
    """Both forms from one serialization (see `c14n.canonicalize`), or None outside what
    it supports."""
    serialized = etree.tostring(root, encoding="UTF-8")
    # Text and attribute values carry `<` escaped: these bytes can only be the slot.
    if serialized.count(SLOT_BYTES) != 1:
        return None
    canonical = canonicalize(serialized.replace(SLOT_BYTES, b""))
    return None if canonical is None else Unsigned(serialized, canonical)


@dataclass(frozen=True)
class Profile:
    """What one signature says besides the document: who signs, when, as what."""

    key: rsa.RSAPrivateKey
    parts: CertificateParts
    id_seed: str
    signing_time: str
    role: str
    policy: XAdESSignaturePolicy
    data_object_format: XAdESDataObjectFormat


@dataclass(frozen=True)
class WrittenSignature:
    """A signature as serialized inside its document (`text`), and what makes it: its
    skeleton and the values of the holes, to put the same signature in the tree."""

    text: bytes
    skeleton: tuple[str, ...]
    values: dict[str, str]
    declarations: str


def written_signature(
    unsigned: Unsigned, nsmap: dict[str | None, str], profile: Profile
) -> WrittenSignature | None:
    """The `<ds:Signature>` element for the document whose root declares `nsmap` (ds and
    xades among them), or None where this does not write it."""
    try:
        declarations = _declarations(nsmap)
        skeleton, values = _signature(unsigned, declarations, profile)
    except _Unsupported:
        return None
    return WrittenSignature(_filled(skeleton, values).encode(), skeleton, values, declarations)


def _hole(name: str) -> str:
    return f"\ue000{name}\ue001"  # private-use characters: no real text holds them


SEED, TIME = _hole("seed"), _hole("time")
DOCUMENT_DIGEST, PROPERTIES_DIGEST, KEY_INFO_DIGEST = (
    _hole("document"), _hole("properties"), _hole("key info")
)
SIGNATURE_VALUE = _hole("value")


@dataclass(frozen=True)
class _Skeleton:
    """A signature with holes for what changes from document to document: the three parts
    C14N writes (their namespace declarations included), and the whole as serialized. Each
    split at its holes: texts at even positions, holes at odd ones."""

    properties: tuple[str, ...]
    key_info: tuple[str, ...]
    signed_info: tuple[str, ...]
    signature: tuple[str, ...]


@lru_cache(maxsize=64)  # signing identities in use, times roles, times root elements
def _skeleton(
    parts: CertificateParts,
    role: str,
    policy: XAdESSignaturePolicy,
    data_object_format: XAdESDataObjectFormat,
    declarations: str,
) -> _Skeleton:
    fixed = _fixed(parts, role, policy, data_object_format)
    # signxml's ids, numbered in the order it asks for them.
    signature_id = f"SignXMLSignature-{SEED}-1"
    key_info_id = f"SignXMLCertificate-{SEED}-2"
    properties_id = f"{signature_id}-SignedProperties-{SEED}-3"
    reference_id = f"SignXMLReference-{SEED}-4"
    properties = element(
        "xades:SignedProperties",
        element(
            "xades:SignedSignatureProperties",
            element("xades:SigningTime", TIME),
            fixed.signed_signature_properties,
        ),
        element(
            "xades:SignedDataObjectProperties",
            element(
                "xades:DataObjectFormat",
                fixed.data_object_format,
                ObjectReference=f"#{reference_id}",
            ),
        ),
        Id=properties_id,
    )
    key_info = element("ds:KeyInfo", fixed.key_info, Id=key_info_id)
    signed_info = element(
        "ds:SignedInfo",
        fixed.signed_info_methods,
        _reference(fixed.document_transforms, DOCUMENT_DIGEST, URI="", Id=reference_id),
        _reference(
            None, PROPERTIES_DIGEST, URI=f"#{properties_id}", Type=SIGNED_PROPERTIES_TYPE
        ),
        _reference(None, KEY_INFO_DIGEST, URI=f"#{key_info_id}"),
    )
    qualifying = element("xades:QualifyingProperties", properties, Target=f"#{signature_id}")
    signature = element(
        "ds:Signature",
        signed_info,
        element("ds:SignatureValue", SIGNATURE_VALUE),
        key_info,
        element("ds:Object", qualifying),
        Id=signature_id,
    )
    return _Skeleton(
        properties=_split(digested(properties, declarations)),
        key_info=_split(digested(key_info, declarations)),
        signed_info=_split(digested(signed_info, declarations)),
        signature=_split(signature.plain),
    )


_HOLES = re.compile("(\ue000[^\ue001]*\ue001)")


def _split(text: str) -> tuple[str, ...]:
    return tuple(_HOLES.split(text))


def _filled(skeleton: tuple[str, ...], values: dict[str, str]) -> str:
    pieces = list(skeleton)
    pieces[1::2] = [values[hole] for hole in skeleton[1::2]]
    return "".join(pieces)


def _signature(
    unsigned: Unsigned, declarations: str, profile: Profile
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The signature's skeleton and the values of its holes, each written as it is."""
    skeleton = _skeleton(
        profile.parts, profile.role, profile.policy, profile.data_object_format, declarations
    )
    if _text(profile.signing_time) != profile.signing_time:
        raise _Unsupported  # an ISO date and time has nothing to escape
    values = {SEED: _attribute(profile.id_seed), TIME: profile.signing_time}
    values[DOCUMENT_DIGEST] = _digest(unsigned.canonical)
    values[PROPERTIES_DIGEST] = _digest(_filled(skeleton.properties, values).encode())
    values[KEY_INFO_DIGEST] = _digest(_filled(skeleton.key_info, values).encode())
    signed_info = _filled(skeleton.signed_info, values).encode()
    value = profile.key.sign(signed_info, PKCS1v15(), hashes.SHA256())
    values[SIGNATURE_VALUE] = b64encode(value).decode()
    return skeleton.signature, values


def _reference(transforms: Xml | None, digest: str, **attributes: str) -> Xml:
    content = (transforms,) if transforms is not None else ()
    return element(
        "ds:Reference",
        *content,
        _digest_method(),
        element("ds:DigestValue", digest),
        **attributes,
    )


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
            (node, name, _split(value))
            for node in element.iter()
            for name, value in node.items()
            if _HOLES.search(value)
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
        node.set(name, _filled(parts, values))
    slot = next(
        node
        for node in root.iter(tree.element.tag)
        if node.get("Id") == "placeholder" and not len(node)
    )
    parent = slot.getparent()
    assert parent is not None
    parent.replace(slot, tree.element.__copy__())

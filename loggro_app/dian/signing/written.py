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

Written only where the two forms are sure to agree (see `Unsupported`); elsewhere the
caller signs with signxml.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureConstructionMethod
from signxml.algorithms import SignatureMethod
from signxml.xades import XAdESDataObjectFormat, XAdESSignaturePolicy

from loggro_app.dian.signing.c14n import canonicalize
from loggro_app.dian.signing.certificate_parts import CertificateParts
from loggro_app.dian.signing.xml_text import (
    Unsupported,
    Xml,
    checked_attribute,
    digested,
    element,
    escaped_text,
    filled,
    hole,
    namespace_declarations,
    split_at_holes,
)

SLOT_BYTES = b'<ds:Signature Id="placeholder"/>'  # as `ubl.extensions` leaves the slot
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"


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
        declarations = namespace_declarations(nsmap)
        skeleton, values = _signature(unsigned, declarations, profile)
    except Unsupported:
        return None
    return WrittenSignature(filled(skeleton, values).encode(), skeleton, values, declarations)


SEED, TIME = hole("seed"), hole("time")
DOCUMENT_DIGEST, PROPERTIES_DIGEST, KEY_INFO_DIGEST = (
    hole("document"), hole("properties"), hole("key info")
)
SIGNATURE_VALUE = hole("value")


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
        properties=split_at_holes(digested(properties, declarations)),
        key_info=split_at_holes(digested(key_info, declarations)),
        signed_info=split_at_holes(digested(signed_info, declarations)),
        signature=split_at_holes(signature.plain),
    )


def _signature(
    unsigned: Unsigned, declarations: str, profile: Profile
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The signature's skeleton and the values of its holes, each written as it is."""
    skeleton = _skeleton(
        profile.parts, profile.role, profile.policy, profile.data_object_format, declarations
    )
    if escaped_text(profile.signing_time) != profile.signing_time:
        raise Unsupported  # an ISO date and time has nothing to escape
    values = {SEED: checked_attribute(profile.id_seed), TIME: profile.signing_time}
    values[DOCUMENT_DIGEST] = _digest(unsigned.canonical)
    values[PROPERTIES_DIGEST] = _digest(filled(skeleton.properties, values).encode())
    values[KEY_INFO_DIGEST] = _digest(filled(skeleton.key_info, values).encode())
    signed_info = filled(skeleton.signed_info, values).encode()
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

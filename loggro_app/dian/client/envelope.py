"""SOAP 1.2 envelopes for WcfDianCustomerServices: WS-Addressing + WS-Security (SPEC §4.2).

Layout DIAN's WCF service accepts (SPEC §4.2, sources S7/S9/S10): a Timestamp, the
organization's certificate as a BinarySecurityToken, and an RSA-SHA256 signature whose only
reference is `wsa:To`, canonicalised with exclusive C14N and the inclusive prefix lists
below (without them the server recomputes a different digest). The same module verifies
such envelopes, so the sandbox checks exactly what the client produces.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from loggro_app.core.clock import Clock

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WCF = "http://wcf.dian.colombia"
WSA = "http://www.w3.org/2005/08/addressing"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
EC = "http://www.w3.org/2001/10/xml-exc-c14n#"
_WSS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-"
BASE64_BINARY = _WSS + "soap-message-security-1.0#Base64Binary"
X509V3 = _WSS + "x509-token-profile-1.0#X509v3"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
ACTION_BASE = "http://wcf.dian.colombia/IWcfDianCustomerServices/"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
# Inclusive prefixes for exclusive C14N (SPEC §4.2): SignedInfo and the wsa:To reference.
SIGNED_INFO_PREFIXES = ["wsa", "soap", "wcf"]
REFERENCE_PREFIXES = ["soap", "wcf"]
NS = {"soap": SOAP, "wcf": WCF, "wsa": WSA, "wsse": WSSE, "wsu": WSU, "ds": DS}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def random_id() -> str:
    return secrets.token_hex(16)


def _c14n(element: etree._Element, prefixes: list[str]) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True, inclusive_ns_prefixes=prefixes)


def _stamp(moment: datetime) -> str:
    """xsd:dateTime in UTC ('Z'): a Bogotá-time clock must be converted, not relabelled."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _sub(
    parent: etree._Element, ns: str, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ns}}}{name}", attrs)
    node.text = text
    return node


@dataclass(frozen=True)
class Credentials:
    """The organization's signing identity (the same certificate that signs documents)."""

    key: rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate


def _timestamp(security: etree._Element, ids: str, now: datetime, ttl: timedelta) -> None:
    ts = etree.SubElement(security, f"{{{WSU}}}Timestamp", nsmap={"wsu": WSU})
    ts.set(f"{{{WSU}}}Id", f"TS-{ids}")
    _sub(ts, WSU, "Created", _stamp(now))
    _sub(ts, WSU, "Expires", _stamp(now + ttl))


def _signature(security: etree._Element, to_id: str, token_id: str) -> etree._Element:
    sig = etree.SubElement(security, f"{{{DS}}}Signature", nsmap={"ds": DS})
    info = _sub(sig, DS, "SignedInfo")
    c14n = _sub(info, DS, "CanonicalizationMethod", Algorithm=EC)
    etree.SubElement(
        c14n,
        f"{{{EC}}}InclusiveNamespaces",
        PrefixList=" ".join(SIGNED_INFO_PREFIXES),
        nsmap={"ec": EC},
    )
    _sub(info, DS, "SignatureMethod", Algorithm=RSA_SHA256)
    ref = _sub(info, DS, "Reference", URI=f"#{to_id}")
    transform = _sub(_sub(ref, DS, "Transforms"), DS, "Transform", Algorithm=EC)
    etree.SubElement(
        transform,
        f"{{{EC}}}InclusiveNamespaces",
        PrefixList=" ".join(REFERENCE_PREFIXES),
        nsmap={"ec": EC},
    )
    _sub(ref, DS, "DigestMethod", Algorithm=SHA256)
    _sub(ref, DS, "DigestValue")
    _sub(sig, DS, "SignatureValue")
    key_info = _sub(sig, DS, "KeyInfo")
    str_ = etree.SubElement(key_info, f"{{{WSSE}}}SecurityTokenReference", nsmap={"wsse": WSSE})
    _sub(str_, WSSE, "Reference", URI=f"#{token_id}", ValueType=X509V3)
    return sig


def build_envelope(
    operation: str,
    params: list[tuple[str, str]],
    *,
    to: str,
    credentials: Credentials | None,
    clock: Clock,
    ttl: timedelta = timedelta(minutes=5),
    new_id: Callable[[], str] = random_id,
) -> bytes:
    """A signed request for `operation`; `credentials=None` yields an unsigned one (tests)."""
    env = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP, "wcf": WCF})
    header = etree.SubElement(env, f"{{{SOAP}}}Header", nsmap={"wsa": WSA})
    security = etree.SubElement(header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE, "wsu": WSU})
    security.set(f"{{{SOAP}}}mustUnderstand", "true")
    ids = new_id()
    _timestamp(security, ids, clock(), ttl)
    _sub(header, WSA, "Action", ACTION_BASE + operation)
    # Declare wsu on wsa:To itself: siblings do not inherit declarations (SPEC §4.2).
    to_el = etree.SubElement(header, f"{{{WSA}}}To", nsmap={"wsu": WSU})
    to_el.set(f"{{{WSU}}}Id", f"id-{ids}")
    to_el.text = to
    body = _sub(_sub(env, SOAP, "Body"), WCF, operation)
    for name, value in params:
        _sub(body, WCF, name, value)
    data = etree.tostring(env, encoding="UTF-8")
    if credentials is None:
        return bytes(data)
    # Sign a re-parsed copy: lxml's exclusive C14N of an element built in memory omits the
    # inherited namespaces named in InclusiveNamespaces, while a parsed tree (what the
    # server sees) includes them — the digest must be computed on the latter.
    parsed = etree.fromstring(data, PARSER)
    security, to_el = parsed[0][0], parsed[0].find(f"{{{WSA}}}To")
    assert to_el is not None
    _sign(security, to_el, ids, credentials)
    return bytes(etree.tostring(parsed, encoding="UTF-8"))


def _sign(
    security: etree._Element, to_el: etree._Element, ids: str, credentials: Credentials
) -> None:
    token_id = f"X509-{ids}"
    token = etree.Element(
        f"{{{WSSE}}}BinarySecurityToken", EncodingType=BASE64_BINARY, ValueType=X509V3
    )
    token.set(f"{{{WSU}}}Id", token_id)
    token.text = base64.b64encode(credentials.certificate.public_bytes(Encoding.DER)).decode()
    security.insert(1, token)
    sig = _signature(security, to_el.get(f"{{{WSU}}}Id", ""), token_id)
    digest = hashlib.sha256(_c14n(to_el, REFERENCE_PREFIXES)).digest()
    sig.find(f".//{{{DS}}}DigestValue").text = base64.b64encode(digest).decode()
    info = sig.find(f"{{{DS}}}SignedInfo")
    assert info is not None
    value = credentials.key.sign(
        _c14n(info, SIGNED_INFO_PREFIXES), padding.PKCS1v15(), hashes.SHA256()
    )
    sig.find(f"{{{DS}}}SignatureValue").text = base64.b64encode(value).decode()

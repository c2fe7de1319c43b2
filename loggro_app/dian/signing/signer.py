"""XAdES-EPES signatures as DIAN expects them (SPEC §3), on top of signxml's XAdESSigner.

The key and certificate are loaded once into a `Signer` and reused for many documents;
each document gets a fresh signxml signer carrying the injected clock and ids derived
from the document's unique code (no random ids: golden files stay byte-identical).

Our own documents are signed by writing that same signature as text (`written`), at a
fraction of the cost; signxml's way remains for what the text writer does not support.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm
from signxml.util import SigningSettings
from signxml.xades import XAdESDataObjectFormat, XAdESSignaturePolicy, XAdESSigner

from loggro_app.core.clock import Clock, bogota_now
from loggro_app.core.errors import ValidationError
from loggro_app.dian.signing.certificate_parts import CertificateParts
from loggro_app.dian.signing.written import SLOT_BYTES, Profile, unsigned_forms
from loggro_app.dian.signing.written_tree import signed_document
from loggro_app.dian.xmlns import DS, XADES

POLICY = XAdESSignaturePolicy(
    Identifier="https://facturaelectronica.dian.gov.co/politicadefirma/v2/politicadefirmav2.pdf",
    Description="Política de firma para facturas electrónicas de la República de Colombia",
    DigestMethod=DigestAlgorithm.SHA256,
    DigestValue="dMoMvtcG5aIzgYo0tIsSQeVJBDnUnfSOfBpxXrmor0Y=",
)
DATA_OBJECT_FORMAT = XAdESDataObjectFormat(Description="Documento electrónico DIAN")


_DS_TAGS: dict[str, str] = {}
SIGNATURE_TAG = f"{{{DS}}}Signature"
# The filled slot serialized alone: the tag, the namespaces in scope, then its attributes.
_SIGNATURE_APEX = re.compile(
    rb'(<ds:Signature)(?: xmlns(?::[^\s=]+)?="[^"]*")*((?: [^\s=:]+="[^"]*")*)'
)


class DianXAdESSigner(XAdESSigner):
    """signxml's XAdESSigner with the DIAN profile (SPEC §3.4 pitfalls 1-3 fixed)."""

    def __init__(
        self, *, clock: Clock, id_seed: str, parts: CertificateParts, role: str = "supplier"
    ) -> None:
        super().__init__(
            signature_policy=POLICY,
            claimed_roles=[role],
            data_object_format=DATA_OBJECT_FORMAT,
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,  # pitfall 1: not C14N 1.1
        )
        self.namespaces.update(ds=DS, xades=XADES)
        self._clock = clock
        self._id_seed = id_seed
        self._parts = parts
        self._counter = 0
        self._adopted: etree._Element | None = None
        self._document_c14n: bytes | None = None
        self._unsigned_bytes: bytes | None = None  # the document as serialized, slot included
        self._signature: etree._Element | None = None  # the slot being filled

    def get_root(self, data: Any) -> etree._Element:
        # signxml re-parses a defensive copy of the input twice: once as the output tree and
        # once as the digest input. Our builders hand over a fresh root nobody else holds, so
        # the output is that tree itself; the digest input is that tree too, because its
        # canonical form is taken right here, before the signature grows (see `_c14n`).
        if isinstance(data, etree._Element) and data.getparent() is None:
            if self._adopted is None:
                self._document_c14n = self._c14n_without_slot(data)
                self._adopted = data
                if all(data.nsmap.get(prefix) == uri for prefix, uri in self.namespaces.items()):
                    # The root already declares ds and xades (SPEC §2.1): passing them again
                    # on each signature element only costs lxml a check and a lookup apiece.
                    self.namespaces = {}
                return data
            if data is self._adopted:
                return data if self._document_c14n is not None else copy.deepcopy(data)
        return super().get_root(data)  # type: ignore[no-any-return]

    def _c14n_without_slot(self, root: etree._Element) -> bytes | None:
        """What the enveloped-signature transform digests: `root` minus its empty slot.

        Taken from the plain serialization of `root` with the slot's bytes cut out (see
        `c14n.canonicalize`); that serialization is kept, so that once signed the document
        is written by splicing the signature into it (`serialized`). Outside what
        `canonicalize` supports, libxml2's C14N of `root` with the slot lifted out and put
        back (lxml drops the namespace declarations it copied onto the lifted element),
        instead of deep-copying the whole document and canonicalizing the copy once the
        signature is half built.
        """
        if root.nsmap.get("ds") == DS:
            unsigned = unsigned_forms(root)
            if unsigned is not None:
                self._unsigned_bytes = unsigned.serialized
                return unsigned.canonical
        slot = next(root.iter(SIGNATURE_TAG), None)
        if slot is None or slot.get("Id") != "placeholder" or len(slot) or slot.tail:
            return None
        parent = slot.getparent()
        assert parent is not None
        index = parent.index(slot)
        parent.remove(slot)
        try:
            return self._c14n(root, algorithm=self.c14n_alg)
        finally:
            parent.insert(index, slot)

    def _c14n(
        self, nodes: Any, algorithm: Any, inclusive_ns_prefixes: list[str] | None = None
    ) -> bytes:
        if nodes is self._adopted and self._document_c14n is not None:
            return self._document_c14n
        # The signature's parts are small: libxml2's C14N is as quick as mending them.
        return super()._c14n(nodes, algorithm, inclusive_ns_prefixes)  # type: ignore[no-any-return]

    def _build_sig(self, sig_root: etree._Element, *args: Any, **kwargs: Any) -> Any:
        self._signature = sig_root
        return super()._build_sig(sig_root, *args, **kwargs)

    def serialized(self, signed: etree._Element) -> bytes:
        """`etree.tostring(signed, encoding="UTF-8")`, by splicing the signature's bytes into
        the document's, written once already to canonicalize it (a sixth of the cost)."""
        unsigned = self._unsigned_bytes
        signature = self._signature
        if signed is self._adopted and unsigned is not None and signature is not None:
            text = etree.tostring(signature, encoding="UTF-8", with_tail=False)
            # On its own the signature declares every namespace in scope on its start tag; in
            # the document it declares none (none below the root did, see `canonicalize`).
            apex_end = text.index(b">")
            match = _SIGNATURE_APEX.fullmatch(text, 0, apex_end)
            if match is not None:
                head, _, tail = unsigned.partition(SLOT_BYTES)
                return b"".join((head, match.group(1), match.group(2), text[apex_end:], tail))
        return etree.tostring(signed, encoding="UTF-8")

    def _get_token(self, length: int = 4) -> str:
        # Deterministic ids: unique per document because the seed is its CUFE/CUDE.
        self._counter += 1
        return f"-{self._id_seed}-{self._counter}"

    def add_signing_time(
        self,
        signed_signature_properties: etree._Element,
        sig_root: etree._Element,
        signing_settings: SigningSettings,
    ) -> None:
        # Pitfall 3: Colombian local time from the injected clock (FAD09e/AAD09e).
        node = etree.SubElement(signed_signature_properties, f"{{{XADES}}}SigningTime")
        node.text = bogota_now(self._clock).isoformat(timespec="seconds")

    def add_signing_certificate(
        self,
        signed_signature_properties: etree._Element,
        sig_root: etree._Element,
        signing_settings: SigningSettings,
    ) -> None:
        # Pitfall 2: only XAdES 1.3.2 SigningCertificate v1 (SHA-256 digest + IssuerSerial).
        signing_cert = etree.SubElement(
            signed_signature_properties, f"{{{XADES}}}SigningCertificate"
        )
        for digest_b64, issuer_name, serial in self._parts.signing_certificates:
            node = etree.SubElement(signing_cert, f"{{{XADES}}}Cert")
            digest = etree.SubElement(node, f"{{{XADES}}}CertDigest")
            etree.SubElement(
                digest, f"{{{DS}}}DigestMethod", Algorithm=DigestAlgorithm.SHA256.value
            )
            etree.SubElement(digest, f"{{{DS}}}DigestValue").text = digest_b64
            issuer_serial = etree.SubElement(node, f"{{{XADES}}}IssuerSerial")
            etree.SubElement(issuer_serial, f"{{{DS}}}X509IssuerName").text = issuer_name
            etree.SubElement(issuer_serial, f"{{{DS}}}X509SerialNumber").text = serial

    def _add_key_info(self, sig_root: etree._Element, signing_settings: SigningSettings) -> None:
        # signxml's own, minus the per-document PEM export: KeyValue then X509Data.
        key_info = etree.SubElement(sig_root, f"{{{DS}}}KeyInfo")
        self._serialize_key_value(signing_settings.key, key_info)
        x509_data = etree.SubElement(key_info, f"{{{DS}}}X509Data")
        for certificate_b64 in self._parts.certificates:
            etree.SubElement(x509_data, f"{{{DS}}}X509Certificate").text = certificate_b64

    def _serialize_key_value(self, key: object, key_info_node: etree._Element) -> None:
        key_value = etree.SubElement(key_info_node, f"{{{DS}}}KeyValue")
        rsa_key_value = etree.SubElement(key_value, f"{{{DS}}}RSAKeyValue")
        etree.SubElement(rsa_key_value, f"{{{DS}}}Modulus").text = self._parts.modulus
        etree.SubElement(rsa_key_value, f"{{{DS}}}Exponent").text = self._parts.exponent

    def _ds_tag(self, tag: str) -> str:
        # signxml builds a QName per element; the Clark string means the same to lxml.
        return _DS_TAGS.get(tag) or _DS_TAGS.setdefault(tag, f"{{{DS}}}{tag}")


@dataclass(frozen=True)
class Signer:
    """A loaded signing identity: RSA key + leaf certificate (+ chain). Reuse it."""

    key: rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    parts: CertificateParts = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = CertificateParts.of(self.key, (self.certificate, *self.chain))
        object.__setattr__(self, "parts", parts)  # frozen: set once, here

    @classmethod
    def from_pkcs12(cls, data: bytes, password: bytes | None) -> Signer:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password)
        except ValueError:
            raise ValidationError(
                {
                    "certificado": "certificado: no se pudo abrir el archivo "
                    "PKCS#12 (contraseña incorrecta o archivo dañado)."
                }
            ) from None
        if not isinstance(key, rsa.RSAPrivateKey) or cert is None:
            raise ValidationError(
                {
                    "certificado": "certificado: el PKCS#12 debe contener una "
                    "clave RSA y su certificado."
                }
            )
        return cls(key=key, certificate=cert, chain=tuple(extra or ()))

    @classmethod
    def from_file(cls, path: str | Path, password_env: str) -> Signer:
        """Load a .p12 whose password is in the environment variable `password_env`."""
        password = os.environ.get(password_env)
        if password is None:
            raise ValidationError(
                {
                    "certificado": f"certificado: defina la variable de entorno "
                    f"{password_env} con la contraseña del certificado."
                }
            )
        return cls.from_pkcs12(Path(path).read_bytes(), password.encode())

    def sign(
        self, root: etree._Element, *, clock: Clock, id_seed: str, role: str = "supplier"
    ) -> etree._Element:
        """Sign `root` in place, at its <ds:Signature Id="placeholder"/> slot; returns it."""
        if self._write(root, clock=clock, id_seed=id_seed, role=role) is not None:
            return root
        signer = DianXAdESSigner(clock=clock, id_seed=id_seed, parts=self.parts, role=role)
        signed: Any = signer.sign(root, key=self.key, cert=[self.certificate, *self.chain])
        return signed  # type: ignore[no-any-return]

    def sign_and_serialize(
        self, root: etree._Element, *, clock: Clock, id_seed: str, role: str = "supplier"
    ) -> tuple[etree._Element, bytes]:
        """`sign`, and the signed tree as `etree.tostring(tree, encoding="UTF-8")` gives it."""
        text = self._write(root, clock=clock, id_seed=id_seed, role=role)
        if text is not None:
            return root, text
        signer = DianXAdESSigner(clock=clock, id_seed=id_seed, parts=self.parts, role=role)
        signed: Any = signer.sign(root, key=self.key, cert=[self.certificate, *self.chain])
        return signed, signer.serialized(signed)

    def _write(
        self, root: etree._Element, *, clock: Clock, id_seed: str, role: str
    ) -> bytes | None:
        """The signed document serialized, by writing its signature as text (`written`);
        None when that does not apply and signxml must sign it."""
        now = bogota_now(clock).isoformat(timespec="seconds")
        profile = Profile(self.key, self.parts, id_seed, now, role, POLICY, DATA_OBJECT_FORMAT)
        return signed_document(root, profile)

"""What a signature says about its signing identity, derived once per certificate."""

from __future__ import annotations

from base64 import b64encode
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding
from signxml.util import long_to_bytes, strip_pem_header


def _b64(data: bytes) -> str:
    return b64encode(data).decode()


@dataclass(frozen=True)
class CertificateParts:
    """The texts a signature carries about its signing identity, derived once per `Signer`.

    They are the same in every document it signs; deriving them per document (PEM export,
    SHA-256 fingerprint, RFC 4514 issuer name, modulus in base64) cost a tenth of signing.
    """

    modulus: str
    exponent: str
    certificates: tuple[str, ...]  # X509Certificate texts, leaf first (signxml's format)
    signing_certificates: tuple[tuple[str, str, str], ...]  # (SHA-256 digest, issuer, serial)

    @classmethod
    def of(cls, key: rsa.RSAPrivateKey, chain: tuple[x509.Certificate, ...]) -> CertificateParts:
        numbers = key.public_key().public_numbers()
        return cls(
            modulus=_b64(long_to_bytes(numbers.n)),
            exponent=_b64(long_to_bytes(numbers.e)),
            certificates=tuple(strip_pem_header(c.public_bytes(Encoding.PEM)) for c in chain),
            signing_certificates=tuple(
                (
                    _b64(c.fingerprint(hashes.SHA256())),
                    c.issuer.rfc4514_string(),
                    str(c.serial_number),
                )
                for c in chain
            ),
        )

"""Self-signed development certificates (PKCS#12) for a demo organization.

DIAN rejects self-signed certificates (SPEC §3.3): these are for local builds, tests and
the sandbox only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID


def create_dev_p12(
    *,
    nit: str,
    organization: str,
    password: bytes,
    not_before: datetime,
    days: int = 730,
    key_size: int = 2048,
    serial: int | None = None,
) -> bytes:
    """A PKCS#12 holding an RSA key and a self-signed cert whose subject carries the NIT.

    `not_before` is injected (no wall clock in the core); the serial defaults to a random
    positive 64-bit number as X.509 requires unique serials per issuer.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(
                NameOID.ORGANIZATIONAL_UNIT_NAME, "Desarrollo (no válido ante la DIAN)"
            ),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, nit),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organization} NIT {nit}"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=organization.encode(),
        key=key,
        cert=cert,
        cas=None,
        encryption_algorithm=BestAvailableEncryption(password),
    )

"""The organization's signing certificate: upload (PKCS#12 + password), what it says,
and the loaded signer. Both the file and its password are stored encrypted."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from cryptography import x509
from cryptography.x509.oid import NameOID
from sqlmodel import Session, select

from loggro_app.core.clock import BOGOTA, Clock, aware, system_clock, to_utc
from loggro_app.core.errors import NotFoundError, PermissionDenied, ValidationError
from loggro_app.core.nit import compute_dv
from loggro_app.dian import Signer, create_dev_p12
from loggro_app.models import Organization, OrgCertificate
from loggro_app.services.scope import Scope
from loggro_app.services.secrets import secret_box

WARN_DAYS = 30
MAX_P12_BYTES = 200_000


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    nit: str
    serial: str
    not_before: datetime
    not_after: datetime
    days_left: int

    @property
    def warning(self) -> str:
        if self.days_left < 0:
            return "El certificado está vencido: sube uno vigente para poder firmar."
        if self.days_left <= WARN_DAYS:
            return f"El certificado vence en {self.days_left} días: renuévalo a tiempo."
        return ""

    @property
    def holder(self) -> str:
        """Who the certificate names, as a person reads it: 'Empresa S.A.S. · NIT 9001-2'."""
        try:
            name = x509.Name.from_rfc4514_string(self.subject)
        except ValueError:
            return self.subject
        # O is the legal name; a CN often repeats it with the NIT ("Empresa NIT 900…")
        names = [str(a.value) for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME)
                 for a in name.get_attributes_for_oid(oid)]
        holder = re.sub(r"\s*NIT\s*[\d.\-]+\s*$", "", (names or [self.subject])[0])
        return f"{holder} · NIT {self.nit}-{compute_dv(self.nit)}" if self.nit else holder


def _nit_in(subject_values: list[str], organization_nit: str) -> str:
    for value in subject_values:
        digits = re.sub(r"\D", "", value)
        if organization_nit and organization_nit in digits:
            return organization_nit
    return ""


def store_certificate(*, session: Session, scope: Scope, p12: bytes, password: str,
                      clock: Clock = system_clock) -> CertificateInfo:
    if scope.role != "admin":
        raise PermissionDenied("Solo un administrador puede cambiar el certificado de firma.")
    if not p12:
        raise ValidationError({"certificate": "Selecciona el archivo .p12 o .pfx del certificado."})
    if len(p12) > MAX_P12_BYTES:
        raise ValidationError({"certificate": "El archivo es demasiado grande para un .p12."})
    try:
        signer = Signer.from_pkcs12(p12, password.encode("utf-8") if password else None)
    except ValidationError:
        raise ValidationError({"password": (
            "No se pudo abrir el certificado: la contraseña no corresponde o el archivo no es "
            "un PKCS#12 válido.")}) from None
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    cert = signer.certificate
    values = [str(a.value) for a in cert.subject]
    nit = _nit_in(values, org.nit)
    if not nit:
        raise ValidationError({"certificate": (
            f"El certificado no pertenece a la organización: su titular no lleva el NIT "
            f"{org.nit}.")})
    row = session.exec(select(OrgCertificate).where(
        OrgCertificate.organization_id == scope.organization_id)).first() or OrgCertificate(
        organization_id=scope.organization_id, p12_sealed=b"", password_sealed="", subject="",
        serial="", not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        uploaded_at=to_utc(clock()))
    box = secret_box()
    row.p12_sealed, row.password_sealed = box.seal(p12), box.seal_text(password)
    row.subject = cert.subject.rfc4514_string()[:300]
    row.nit, row.serial = nit, format(cert.serial_number, "X")
    row.not_before, row.not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    row.uploaded_at = to_utc(clock())
    session.add(row)
    session.commit()
    return _info(row, clock)


def _info(row: OrgCertificate, clock: Clock) -> CertificateInfo:
    days = (aware(row.not_after) - to_utc(clock())).days
    return CertificateInfo(row.subject, row.nit, row.serial, aware(row.not_before),
                           aware(row.not_after), days)


def certificate_info(*, session: Session, organization_id: int,
                     clock: Clock = system_clock) -> CertificateInfo | None:
    row = session.exec(select(OrgCertificate).where(
        OrgCertificate.organization_id == organization_id)).first()
    return None if row is None else _info(row, clock)


def load_signer(*, session: Session, organization_id: int) -> Signer:
    row = session.exec(select(OrgCertificate).where(
        OrgCertificate.organization_id == organization_id)).first()
    if row is None:
        raise NotFoundError("La organización no tiene certificado de firma.")
    assert row.id is not None
    return _signer(row.id, row.serial, row.uploaded_at, row.p12_sealed, row.password_sealed)


@lru_cache(maxsize=64)
def _signer(_row_id: int, _serial: str, _uploaded_at: datetime, p12_sealed: bytes,
            password_sealed: str) -> Signer:
    """Opening a PKCS#12 costs a key derivation and an RSA key load: done once per
    certificate and process (a new upload changes the key), not on every document."""
    box = secret_box()
    password = box.open_text(password_sealed)
    return Signer.from_pkcs12(box.open(p12_sealed), password.encode() if password else None)


def install_development_certificate(*, session: Session, scope: Scope,
                                    clock: Clock = system_clock) -> CertificateInfo:
    """A self-signed certificate for the sandbox: DIAN's real services refuse it."""
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    password = secrets.token_urlsafe(18)
    p12 = create_dev_p12(nit=org.nit, organization=org.legal_name,
                         password=password.encode(), not_before=clock().astimezone(BOGOTA)
                         - timedelta(minutes=5))
    return store_certificate(session=session, scope=scope, p12=p12, password=password,
                             clock=clock)



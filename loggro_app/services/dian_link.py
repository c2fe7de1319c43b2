"""How the app reaches DIAN: environment, endpoint, the provider's software, and the
organization as a DIAN party. Real DIAN endpoints are configuration only.

    LOGGRO_DIAN_ENV          sandbox (default) | habilitacion | produccion
    LOGGRO_DIAN_URL          endpoint override (the local sandbox's port, for instance)
    LOGGRO_DIAN_TIMEOUT_SECONDS  how long to wait for DIAN's answer (default 30)
    LOGGRO_SOFTWARE_ID / LOGGRO_SOFTWARE_PIN / LOGGRO_PROVIDER_NIT
                             the technology provider's registered software; the sandbox
                             defaults are its preloaded demo software
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlmodel import Session

from loggro_app.core.clock import system_clock
from loggro_app.dian import Address, Party, Software, demo
from loggro_app.dian.client import ClientConfig, DianClient
from loggro_app.models import Organization
from loggro_app.services.certificates import load_signer


@dataclass(frozen=True)
class DianLink:
    environment: str = "sandbox"
    url: str | None = None
    software_id: str = demo.SOFTWARE_ID
    software_pin: str = field(default=demo.SOFTWARE_PIN, repr=False)
    provider_nit: str = demo.SOFTWARE_PROVIDER_NIT
    timeout_seconds: float = 30.0

    @classmethod
    def from_env(cls) -> DianLink:
        env = os.environ
        return cls(
            environment=env.get("LOGGRO_DIAN_ENV") or "sandbox",
            url=env.get("LOGGRO_DIAN_URL") or None,
            software_id=env.get("LOGGRO_SOFTWARE_ID") or demo.SOFTWARE_ID,
            software_pin=env.get("LOGGRO_SOFTWARE_PIN") or demo.SOFTWARE_PIN,
            provider_nit=env.get("LOGGRO_PROVIDER_NIT") or demo.SOFTWARE_PROVIDER_NIT,
            timeout_seconds=float(env.get("LOGGRO_DIAN_TIMEOUT_SECONDS") or 30),
        )

    @property
    def is_sandbox(self) -> bool:
        return self.environment == "sandbox"

    @property
    def software(self) -> Software:
        return Software(self.provider_nit, self.software_id, self.software_pin)

    @property
    def dian_environment_code(self) -> str:
        """DIAN's TipoAmbiente: 1 producción, 2 pruebas (habilitación and the sandbox)."""
        return "1" if self.environment == "produccion" else "2"

    def client(self, *, session: Session, organization_id: int) -> DianClient:
        signer = load_signer(session=session, organization_id=organization_id)
        config = ClientConfig(environment=self.environment, url=self.url,
                              timeout=self.timeout_seconds)
        return DianClient(signer=signer, clock=system_clock, config=config)


def organization_party(org: Organization) -> Party:
    responsibilities = tuple(c for c in org.tax_responsibilities.split(";") if c) or ("R-99-PN",)
    return Party(
        name=org.legal_name, id_type="31", id_number=org.nit, dv=org.dv,
        organization_type=org.person_type, responsibilities=responsibilities,
        tax_regime=org.tax_regime, tax_scheme="01",
        address=Address(org.address or "Sin dirección", municipality_code=org.municipality_code,
                        postal_code=org.postal_code or None),
        email=org.email or None, phone=org.phone or None, trade_name=org.trade_name or None,
    )


def dian_ranges(link: DianLink, *, session: Session, organization_id: int) -> list:  # type: ignore[type-arg]
    """The organization's numbering ranges as DIAN reports them (GetNumberingRange)."""
    from datetime import date

    from loggro_app.core.errors import DianRejected
    from loggro_app.core.numbering import Resolution
    from loggro_app.services.numbering import DianRange

    org = session.get(Organization, organization_id)
    assert org is not None
    with link.client(session=session, organization_id=organization_id) as client:
        # accountCode: the issuer; accountCodeT: the technology provider owning the software
        result = client.get_numbering_range(org.nit, link.provider_nit, link.software_id)
    if not result.ok:
        raise DianRejected(f"La DIAN respondió: {result.description}",
                           [(result.operation_code, result.description)])
    return [DianRange(Resolution(r.resolution_number, r.prefix, r.from_number, r.to_number,
                                 date.fromisoformat(r.valid_from),
                                 date.fromisoformat(r.valid_to)), r.technical_key)
            for r in result.ranges]

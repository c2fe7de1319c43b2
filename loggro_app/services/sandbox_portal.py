"""What a business does on DIAN's own portal, done against the local DIAN sandbox.

Only offered when the DIAN environment is the sandbox: request a numbering resolution,
register the provider's software as an operation mode, get a TestSetId, associate the
prefix (refused earlier than 2 hours after the resolution, as DIAN does) and, since a demo
cannot wait two hours, let the sandbox's clock run forward.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlmodel import Session

from loggro_app.core.clock import BOGOTA, Clock, readable_moments, system_clock
from loggro_app.core.errors import ConflictError, DianUnavailable, PermissionDenied
from loggro_app.dian.client import ENDPOINTS
from loggro_app.models import Organization
from loggro_app.services.dian_link import DianLink
from loggro_app.services.numbering import list_numberings
from loggro_app.services.scope import Scope

SOFTWARE_NAME = "Loggro FE"
TWO_HOURS_HINT = ("Para no esperar, usa «Simular el paso de 2 horas» en Acciones del sandbox "
                  "DIAN y vuelve a asociar el prefijo.")


@dataclass(frozen=True)
class SandboxPortal:
    base_url: str  # the sandbox's origin, e.g. http://127.0.0.1:8765

    @classmethod
    def for_link(cls, link: DianLink) -> SandboxPortal:
        if not link.is_sandbox:
            raise ConflictError("Estas acciones se hacen en el portal de la DIAN.")
        parts = urlsplit(link.url or ENDPOINTS["sandbox"])
        return cls(f"{parts.scheme}://{parts.netloc}")

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        try:
            answer = httpx.request(method, self.base_url + path, json=payload, timeout=15)
        except httpx.HTTPError:
            raise DianUnavailable("No se pudo contactar el sandbox de la DIAN.") from None
        body = answer.json() if answer.content else {}
        if answer.status_code >= 400:  # dates in the answer as people read them, not ISO
            raise ConflictError(readable_moments(
                str(body.get("error") or body.get("detail") or body)))
        return body

    def taxpayer(self, nit: str) -> dict[str, Any] | None:
        try:
            return self._call("GET", f"/admin/taxpayers/{nit}")  # type: ignore[no-any-return]
        except ConflictError:
            return None

    def ensure_taxpayer(self, org: Organization) -> dict[str, Any]:
        return self.taxpayer(org.nit) or self._call(
            "POST", "/admin/taxpayers", {"nit": org.nit, "name": org.legal_name})

    def register_software(self, org: Organization, link: DianLink) -> dict[str, Any]:
        self.ensure_taxpayer(org)
        current = {m["software_id"]: m["state"] for m in self.ensure_taxpayer(org)["modes"]}
        if link.software_id in current:
            return self.ensure_taxpayer(org)
        return self._call("POST", "/admin/software", {  # type: ignore[no-any-return]
            "nit": org.nit, "software_id": link.software_id, "pin": link.software_pin,
            "provider_nit": link.provider_nit, "name": SOFTWARE_NAME})

    def request_resolution(self, org: Organization, clock: Clock,
                           rng: random.Random | None = None) -> dict[str, Any]:
        self.ensure_taxpayer(org)
        today = clock().astimezone(BOGOTA).date()
        number = f"1876{(rng or random.Random()).randrange(10**9, 10**10)}"
        return self._call("POST", "/admin/resolutions", {  # type: ignore[no-any-return]
            "nit": org.nit, "number": number, "prefix": "FE", "range_from": 1,
            "range_to": 5000, "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=365)).isoformat()})

    def new_test_set(self, org: Organization, link: DianLink) -> str:
        self.register_software(org, link)
        body = self._call("POST", "/admin/test-sets", {"nit": org.nit,
                                                        "software_id": link.software_id})
        return str(body["test_set_id"])

    def associate_prefix(self, org: Organization, link: DianLink, resolution: str,
                         prefix: str) -> dict[str, Any]:
        try:
            return self._call("POST", "/admin/associations", {  # type: ignore[no-any-return]
                "nit": org.nit, "prefix": prefix, "software_id": link.software_id,
                "resolution": resolution})
        except ConflictError as exc:
            if "2 horas" not in exc.message:
                raise
            raise ConflictError(f"{exc.message} {TWO_HOURS_HINT}") from None

    def now_for(self, nit: str) -> datetime:
        """The sandbox's business clock as this taxpayer sees it (legal terms run on it)."""
        body = self._call("GET", f"/admin/clock/{nit}")
        return datetime.fromisoformat(str(body["now"]))

    def buyer_event(self, document_key: str, code: str, claim_reason: str = "") -> dict[str, Any]:
        """The invoice's buyer sends event `code` (030-033) through the sandbox."""
        return self._call("POST", f"/admin/documents/{document_key}/events",  # type: ignore[no-any-return]
                          {"code": code, "claim_reason": claim_reason})

    def supplier_invoice(self, nit: str, name: str, address: str) -> dict[str, Any]:
        """The sandbox's simulated supplier invoices `nit` and mails it to `address`."""
        return self._call("POST", "/admin/supplier-invoices",  # type: ignore[no-any-return]
                          {"buyer_nit": nit, "buyer_name": name, "address": address})

    def advance_clock(self, org: Organization, hours: float) -> dict[str, Any]:
        # Only this taxpayer's portal clock: the sandbox is shared by every organization.
        return self._call("POST", "/admin/clock",  # type: ignore[no-any-return]
                          {"advance_seconds": hours * 3600, "nit": org.nit})


ONLY_ADMIN = ("Solo el usuario principal o un administrador puede hacer los trámites de "
              "habilitación ante la DIAN.")


def require_admin(scope: Scope) -> None:
    """Everything that changes the organization's standing at DIAN is for its admins."""
    if scope.role != "admin":
        raise PermissionDenied(ONLY_ADMIN)


def _portal(session: Session, scope: Scope, link: DianLink) -> tuple[SandboxPortal, Organization]:
    require_admin(scope)
    portal = SandboxPortal.for_link(link)
    org = session.get(Organization, scope.organization_id)
    assert org is not None  # a session's organization always exists
    return portal, org


def request_resolution(*, session: Session, scope: Scope, link: DianLink,
                       clock: Clock = system_clock) -> dict[str, Any]:
    portal, org = _portal(session, scope, link)
    return portal.request_resolution(org, clock)


def register_software(*, session: Session, scope: Scope, link: DianLink) -> dict[str, Any]:
    portal, org = _portal(session, scope, link)
    return portal.register_software(org, link)


def new_test_set(*, session: Session, scope: Scope, link: DianLink) -> str:
    portal, org = _portal(session, scope, link)
    return portal.new_test_set(org, link)


def associate_prefix(*, session: Session, scope: Scope, link: DianLink) -> str:
    """Associate the prefix of the first invoice consecutive; returns the prefix."""
    portal, org = _portal(session, scope, link)
    rows = [r for r in list_numberings(session=session, scope=scope) if r.document_kind == "FE"]
    if not rows:
        raise ConflictError("Registra primero la resolución en un consecutivo.")
    portal.associate_prefix(org, link, rows[0].resolution_number, rows[0].prefix)
    return rows[0].prefix


def advance_clock(*, session: Session, scope: Scope, link: DianLink,
                  hours: float = 2.05) -> dict[str, Any]:
    portal, org = _portal(session, scope, link)
    return portal.advance_clock(org, hours)


def software_state(*, session: Session, scope: Scope, link: DianLink) -> str:
    """'Aceptado', 'en pruebas' or '' as the operation-mode list of the portal shows it."""
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    found = SandboxPortal.for_link(link).taxpayer(org.nit)
    modes = {m["software_id"]: m["state"] for m in (found or {}).get("modes", [])}
    return str(modes.get(link.software_id, ""))




@dataclass(frozen=True)
class PortalRecords:
    """What the DIAN portal shows the taxpayer: its resolutions and TestSetIds, newest first."""

    resolutions: list[dict[str, Any]]
    test_set_ids: list[str]


def portal_records(*, session: Session, scope: Scope, link: DianLink) -> PortalRecords:
    """Read back from the sandbox what its actions gave, so it survives a reload."""
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    found = SandboxPortal.for_link(link).taxpayer(org.nit) or {}
    return PortalRecords(list(found.get("resolutions", [])),
                         [str(t["test_set_id"]) for t in found.get("test_sets", [])])


def resolution_text(resolution: dict[str, Any]) -> str:
    """'Resolución 1876… · prefijo FE · rango 1 a 5000 · vigencia 01/12/2026 a 01/12/2027'."""
    start, end = (f"{date.fromisoformat(resolution[k]):%d/%m/%Y}"
                  for k in ("valid_from", "valid_to"))
    return (f"Resolución {resolution['number']} · prefijo {resolution['prefix']} · rango "
            f"{resolution['range_from']} a {resolution['range_to']} · vigencia {start} a {end}")


def simulate_buyer_event(*, session: Session, scope: Scope, link: DianLink, document_id: int,
                         code: str, claim_reason: str = "") -> str:
    """*Simular comprador*: the invoice's buyer sends `code` to the sandbox DIAN; returns
    the sandbox's answer as the buyer would read it."""
    from loggro_app.services.sales import get_document

    row = get_document(session=session, scope=scope, document_id=document_id)
    if row.kind != "FE" or row.status != "accepted":
        raise ConflictError("El comprador solo responde a una factura aceptada por la DIAN.")
    answer = SandboxPortal.for_link(link).buyer_event(row.document_key, code, claim_reason)
    if not answer.get("accepted"):
        raise ConflictError("La DIAN no registró el evento del comprador: "
                            + " ".join(str(e) for e in answer.get("errors", [])))
    return str(answer.get("message", ""))


def advance_days(*, session: Session, scope: Scope, link: DianLink, days: int) -> str:
    """Let the organization's sandbox clock run `days` ahead (legal terms such as the
    buyer's 3 business days); returns the sandbox's new date as people read it."""
    if not 1 <= days <= 30:
        raise ConflictError("Avanza entre 1 y 30 días.")
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    state = SandboxPortal.for_link(link).advance_clock(org, days * 24.0)
    return readable_moments(str(state.get("now", "")))

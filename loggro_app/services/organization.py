"""The organization's own data and its electronic-invoicing parameters.

Turning on *facturación electrónica con validación previa* is irreversible: DIAN expects
every later document of the organization to go through validation, so the service refuses
to turn it off whoever asks, and the UI asks for explicit confirmation first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from loggro_app.core import geo
from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.core.email import validate_email
from loggro_app.core.errors import ConflictError, PermissionDenied, ValidationError
from loggro_app.core.limits import MAX_ADDRESS, MAX_NAME, check_phone, check_text
from loggro_app.models import Organization
from loggro_app.services.scope import Scope

VERSION_PRIOR_VALIDATION = "validacion_previa"
VERSIONS = {VERSION_PRIOR_VALIDATION: "Con Validación Previa"}
IRREVERSIBLE = ("La facturación electrónica con validación previa no se puede desactivar una "
                "vez activada.")
RESPONSIBILITIES = {"O-13": "Gran contribuyente", "O-15": "Autorretenedor",
                    "O-23": "Agente de retención IVA", "O-47": "Régimen simple de tributación",
                    "R-99-PN": "No aplica – Otros"}
REGIMES = {"48": "Responsable de IVA", "49": "No responsable de IVA"}
SECTORS = ("Comercio", "Industria", "Servicios", "Agropecuario", "Construcción", "Transporte",
           "Turismo y hotelería", "Otro")


def _admin(scope: Scope) -> None:
    if scope.role != "admin":
        raise PermissionDenied("Solo un administrador puede cambiar la organización.")


def get_organization(*, session: Session, scope: Scope) -> Organization:
    org = session.get(Organization, scope.organization_id)
    assert org is not None  # a session's organization always exists
    return org


@dataclass(frozen=True)
class GeneralInfo:
    legal_name: str
    trade_name: str
    person_type: str
    tax_regime: str
    tax_responsibilities: str
    economic_sector: str
    economic_activity: str
    address: str
    municipality_code: str
    email: str
    phone: str

    @classmethod
    def parse(cls, *, municipality_text: str = "", **raw: str) -> GeneralInfo:
        """Check every field at once; `municipality_text` is what the page shows, named in
        the message when it selects no municipality."""
        errors: dict[str, str] = {}
        clean: dict[str, str] = {}

        def take(field: str, check: Callable[[], str]) -> None:
            try:
                clean[field] = check()
            except ValidationError as exc:
                errors.update(exc.errors)

        take("legal_name", lambda: check_text(
            raw.get("legal_name"), field="legal_name", label="La razón social",
            maximum=MAX_NAME, required="Escribe la razón social."))
        take("trade_name", lambda: check_text(raw.get("trade_name"), field="trade_name",
                                              label="El nombre comercial", maximum=MAX_NAME))
        if raw.get("person_type") not in ("1", "2"):
            errors["person_type"] = "Indica si es persona jurídica o natural."
        if raw.get("tax_regime") not in REGIMES:
            errors["tax_regime"] = "Selecciona el régimen de IVA."
        codes = [c for c in raw.get("tax_responsibilities", "").split(";") if c]
        if not codes or any(c not in RESPONSIBILITIES for c in codes):
            errors["tax_responsibilities"] = "Selecciona las responsabilidades fiscales del RUT."
        sector = raw.get("economic_sector", "")
        if sector and sector not in SECTORS:
            errors["economic_sector"] = "Selecciona el sector económico de la lista."
        activity = raw.get("economic_activity", "").strip()
        if activity and not (activity.isascii() and activity.isdigit() and len(activity) == 4):
            errors["economic_activity"] = "La actividad económica es un código CIIU de 4 dígitos."
        take("address", lambda: check_text(raw.get("address"), field="address",
                                           label="La dirección", maximum=MAX_ADDRESS,
                                           required="Escribe la dirección."))
        take("municipality_code", lambda: _municipality(raw.get("municipality_code", ""),
                                                        municipality_text))
        take("email", lambda: validate_email(raw.get("email", "")))
        take("phone", lambda: check_phone(raw.get("phone")))
        if errors:
            raise ValidationError(errors)
        return cls(clean["legal_name"], clean["trade_name"], raw["person_type"],
                   raw["tax_regime"], ";".join(codes), sector, activity, clean["address"],
                   clean["municipality_code"], clean["email"], clean["phone"])


def _municipality(code: str, shown: str) -> str:
    try:
        return geo.municipality(code).code
    except ValidationError:
        if shown.strip():
            raise ValidationError({"municipality_code": (
                f"«{shown.strip()[:60]}» no es un municipio de la lista de la DIAN: elige "
                "uno de las sugerencias, p. ej. «Medellín (Antioquia)».")}) from None
        raise ValidationError({"municipality_code": (
            "Selecciona el municipio de la organización.")}) from None


def update_general(*, session: Session, scope: Scope, info: GeneralInfo) -> Organization:
    _admin(scope)
    org = get_organization(session=session, scope=scope)
    for field, value in info.__dict__.items():
        setattr(org, field, value)
    org.postal_code = geo.derive_postal_code(info.municipality_code)
    session.add(org)
    session.commit()
    return org


def set_e_invoicing(*, session: Session, scope: Scope, enabled: bool, confirmed: bool,
                    version: str = VERSION_PRIOR_VALIDATION,
                    clock: Clock = system_clock) -> Organization:
    """Turn on electronic invoicing (once, with confirmation). Turning it off is refused."""
    _admin(scope)
    org = get_organization(session=session, scope=scope)
    if not enabled:
        if org.e_invoicing_enabled:
            raise ConflictError(IRREVERSIBLE)
        return org
    if org.e_invoicing_enabled:
        return org
    if version not in VERSIONS:
        raise ValidationError({"version": "Selecciona la versión Con Validación Previa."})
    if not confirmed:
        raise ValidationError({"confirm": (
            "Confirma que entiendes que activar la facturación electrónica no se puede "
            "revertir.")})
    org.e_invoicing_enabled, org.e_invoicing_version = True, version
    org.e_invoicing_enabled_at = to_utc(clock())
    session.add(org)
    session.commit()
    return org


def confirm_provider(*, session: Session, scope: Scope) -> Organization:
    _admin(scope)
    org = get_organization(session=session, scope=scope)
    org.provider_confirmed = True
    session.add(org)
    session.commit()
    return org

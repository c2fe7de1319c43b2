"""Crear cuenta: a new organization with its principal user and a starting plan."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from loggro_app.core import geo
from loggro_app.core.clock import BOGOTA, Clock, system_clock, to_utc
from loggro_app.core.email import validate_email
from loggro_app.core.errors import ValidationError
from loggro_app.core.nit import validate_nit
from loggro_app.core.passwords import hash_password, password_problem
from loggro_app.core.plans import default_catalog
from loggro_app.models import Organization, Subscription, User
from loggro_app.services.scope import Scope


def sign_up(*, session: Session, legal_name: str, nit: str, dv: str, municipality_code: str,
            address: str, full_name: str, email: str, password: str, plan_code: str,
            clock: Clock = system_clock) -> Scope:
    errors: dict[str, str] = {}
    digits, check = "", 0
    try:
        digits, check = validate_nit(nit, dv or None)
    except ValidationError as exc:
        errors.update({"dv" if k == "dv" else "nit": v for k, v in exc.errors.items()})
    if not legal_name.strip():
        errors["legal_name"] = "Escribe la razón social de la empresa."
    if not full_name.strip():
        errors["full_name"] = "Escribe tu nombre."
    if not address.strip():
        errors["address"] = "Escribe la dirección de la empresa."
    try:
        geo.municipality(municipality_code)
    except ValidationError:
        errors["municipality_code"] = "Selecciona el municipio de la empresa."
    try:
        email = validate_email(email)
    except ValidationError as exc:
        errors["email"] = exc.message
    if problem := password_problem(password):
        errors["password"] = problem
    if plan_code not in {p.code for p in default_catalog().plans}:
        errors["plan"] = "Selecciona un plan."
    if digits and session.exec(select(Organization).where(Organization.nit == digits)).first():
        errors["nit"] = "Ya existe una cuenta para ese NIT. Ingresa con tu usuario."
    if "email" not in errors and session.exec(select(User).where(User.email == email)).first():
        errors["email"] = "Ya existe un usuario con ese correo."
    if errors:
        raise ValidationError(errors)
    now = clock()
    try:
        org = Organization(nit=digits, dv=check, legal_name=legal_name.strip(),
                           address=address.strip(), municipality_code=municipality_code,
                           postal_code=geo.derive_postal_code(municipality_code), email=email,
                           created_at=to_utc(now))
        session.add(org)
        session.flush()
        assert org.id is not None
        user = User(organization_id=org.id, email=email, full_name=full_name.strip(),
                    password_hash=hash_password(password), role="admin", is_principal=True,
                    created_at=to_utc(now))
        session.add(user)
        session.add(Subscription(organization_id=org.id, plan_code=plan_code,
                                 anchor_date=now.astimezone(BOGOTA).date()))
        session.commit()
    except IntegrityError:
        session.rollback()
        raise ValidationError({"email": "Ya existe una cuenta con esos datos."}) from None
    assert user.id is not None
    return Scope(org.id, user.id, "admin", True)

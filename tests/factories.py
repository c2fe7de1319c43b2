"""Small builders for test data (organizations with their principal user)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from sqlmodel import Session

from loggro_app.core.nit import compute_dv
from loggro_app.core.passwords import hash_password
from loggro_app.models import Organization, User
from loggro_app.services.scope import Scope

T0 = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@lru_cache(maxsize=8)
def cheap_hash(password: str) -> str:
    """A valid but low-cost hash: tests stay fast, and a login upgrades it like an old one."""
    return hash_password(password, n=2**14)


def make_org(session: Session, nit: str, email: str, password: str = "Clave2026*",
             role: str = "admin") -> Scope:
    org = Organization(nit=nit, dv=compute_dv(nit), legal_name=f"Empresa {nit}",
                       municipality_code="05001", created_at=T0)
    session.add(org)
    session.flush()
    assert org.id is not None
    user = User(organization_id=org.id, email=email, full_name="Usuaria Prueba",
                password_hash=cheap_hash(password), role=role, is_principal=True,
                created_at=T0)
    session.add(user)
    session.commit()
    assert user.id is not None
    return Scope(org.id, user.id, role, True)

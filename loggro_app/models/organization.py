"""Organizations (tenants), their users, sessions and cash registers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class Organization(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    nit: str = Field(max_length=20, unique=True, index=True)
    dv: int
    legal_name: str = Field(max_length=200)
    trade_name: str = Field(default="", max_length=200)
    # DIAN TipoOrganizacion: 1 persona jurídica, 2 persona natural
    person_type: str = Field(default="1", max_length=2)
    # DIAN RegimenFiscal: 48 responsable de IVA, 49 no responsable
    tax_regime: str = Field(default="48", max_length=4)
    # DIAN TipoResponsabilidad codes joined by ';' (e.g. "O-13;O-15")
    tax_responsibilities: str = Field(default="R-99-PN", max_length=200)
    address: str = Field(default="", max_length=200)
    municipality_code: str = Field(max_length=5)
    postal_code: str = Field(default="", max_length=6)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    economic_sector: str = Field(default="", max_length=30)
    economic_activity: str = Field(default="", max_length=10)  # CIIU code
    # Facturación electrónica con validación previa: once on, never off (DIAN's rule).
    e_invoicing_enabled: bool = False
    e_invoicing_version: str = Field(default="", max_length=30)
    e_invoicing_enabled_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    provider_confirmed: bool = False  # Loggro confirmed as technology provider
    # The message that carries each document to the buyer, as the organization words it;
    # empty parts take the Spanish defaults.
    mail_greeting: str = Field(default="", max_length=200)
    mail_text: str = Field(default="", max_length=2000)
    mail_closing: str = Field(default="", max_length=200)
    # As buyer: send the acuse de recibo (030) of each received invoice on registering it,
    # in the name of the person last named as receiver (JSON, kept from the last 030/032).
    auto_acknowledge: bool = False
    receiver_person: str = Field(default="", max_length=1000)
    created_at: datetime = utc_datetime_field()


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    email: str = Field(max_length=200, unique=True, index=True)
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=300)
    role: str = Field(max_length=20)  # admin | seller | accountant
    is_principal: bool = False
    is_active: bool = True
    created_at: datetime = utc_datetime_field()


class UserSession(SQLModel, table=True):
    """A login session; only the SHA-256 of its token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = utc_datetime_field()
    last_seen_at: datetime = utc_datetime_field()
    expires_at: datetime = utc_datetime_field()
    revoked: bool = False


class LoginAttempt(SQLModel, table=True):
    """Every login attempt, kept to throttle guessing per (email, address) and per address."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=200, index=True)
    address: str = Field(default="", max_length=64, index=True)  # the client's IP address
    succeeded: bool
    at: datetime = utc_datetime_field(index=True)


class CashRegister(SQLModel, table=True):
    """A *caja*: a point of sale assigned to a user."""

    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    code: str = Field(max_length=20)
    name: str = Field(max_length=100)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    is_active: bool = True

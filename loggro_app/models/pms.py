"""The hotel PMS (*Loggro Alojamientos*) connection of an organization: its tokens, the
documents it sent (one per PMS id and kind, for idempotency) and every notice sent back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class PmsConnection(SQLModel, table=True):
    """One property (the organization's hotel) and where its PMS listens."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    property_id: str = Field(max_length=40, unique=True)  # public, stable
    enabled: bool = False
    pms_url: str = Field(default="", max_length=300)
    # The current token and webhook secret, encrypted: *Reenviar token* pushes them again.
    # Authentication never reads them: it looks the token up by its SHA-256 (PmsToken).
    token_sealed: str = Field(default="", max_length=500)
    webhook_secret_sealed: str = Field(default="", max_length=500)
    # The push of the current token to the PMS: pending | delivered | failed | revoked
    push_state: str = Field(default="", max_length=12)
    push_round: int = 0  # each push (activation, resend, rotation, revocation) is a round
    push_attempts: int = 0
    push_error: str = Field(default="", max_length=300)
    pushed_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    updated_at: datetime = utc_datetime_field()


class PmsToken(SQLModel, table=True):
    """A bearer token of a property, kept only as its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    connection_id: int = Field(foreign_key="pmsconnection.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = utc_datetime_field()
    # a rotated token stays valid until then; None while it is the current one
    valid_until: datetime | None = utc_datetime_field(default=None, nullable=True)
    revoked: bool = False


class PmsIntake(SQLModel, table=True):
    """A document the PMS sent: the same (property, PMS id, kind) is one document for ever."""

    __table_args__ = (
        UniqueConstraint("connection_id", "pms_document_id", "kind"),
        UniqueConstraint("connection_id", "idempotency_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    # no index of its own: the unique (connection, PMS id, kind) begins with it
    connection_id: int = Field(foreign_key="pmsconnection.id")
    pms_document_id: str = Field(max_length=64)
    kind: str = Field(max_length=20)  # invoice | credit_note | debit_note | support_document
    idempotency_key: str | None = Field(default=None, max_length=100)
    body_hash: str = Field(max_length=64)  # SHA-256 of the canonical body
    document_id: int = Field(foreign_key="salesdocument.id", unique=True)
    received_at: datetime = utc_datetime_field()


class PmsNotice(SQLModel, table=True):
    """One webhook to the PMS (its id is the event id the PMS deduplicates with) and how
    its deliveries went."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    event_id: str = Field(max_length=120, unique=True)
    event_type: str = Field(max_length=40)
    document_id: int | None = Field(default=None, foreign_key="salesdocument.id", index=True)
    body: str = Field(sa_type=Text)
    state: str = Field(default="pending", max_length=12)  # pending | delivered | gave_up
    attempts: int = 0
    last_status: int | None = None
    last_error: str = Field(default="", max_length=300)
    created_at: datetime = utc_datetime_field()
    delivered_at: datetime | None = utc_datetime_field(default=None, nullable=True)


class PmsNoticeAttempt(SQLModel, table=True):
    """One try at delivering a notice, recorded whatever the PMS answered."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    notice_id: int = Field(foreign_key="pmsnotice.id", index=True)
    at: datetime = utc_datetime_field()
    status: int | None = None  # the PMS's HTTP status; None when it could not be reached
    error: str = Field(default="", max_length=300)

"""Plans, the document ledger, pack purchases and the payment events that confirm them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class Subscription(SQLModel, table=True):
    """An organization's plan. `lock_version` is bumped first in every ledger transaction:
    that UPDATE is the portable row lock that serializes concurrent consumers (SQLite's
    write lock, PostgreSQL's row lock)."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    plan_code: str = Field(max_length=30)
    anchor_date: date
    status: str = Field(default="activa", max_length=20)  # activa | extraccion | inactividad
    lock_version: int = 0
    # Running counters of the ledger (quota.Standing), advanced in the transaction that
    # appends each movement; the movements remain the truth they are checked against.
    purchased: int = 0  # purchased documents left
    held: int = 0  # units held by documents in flight


class LedgerMovement(SQLModel, table=True):
    """One append-only movement of the document quota; the balance is derived from them."""

    __table_args__ = (
        # One consumption per document and one credit per payment, whatever the retries.
        Index("ux_ledger_consumption", "organization_id", "document_key", unique=True,
              sqlite_where=text("kind IN ('plan_consume', 'pack_consume')"),
              postgresql_where=text("kind IN ('plan_consume', 'pack_consume')")),
        Index("ux_ledger_credit", "organization_id", "payment_reference", unique=True,
              sqlite_where=text("kind = 'pack_credit'"),
              postgresql_where=text("kind = 'pack_credit'")),
        # A document's movements, and one kind's movements in a period (plan use, months).
        Index("ix_ledger_document", "organization_id", "document_key"),
        Index("ix_ledger_kind_at", "organization_id", "kind", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    kind: str = Field(max_length=20)
    at: datetime = utc_datetime_field()
    quantity: int = 1
    document_key: str | None = Field(default=None, max_length=120)
    document_kind: str | None = Field(default=None, max_length=30)
    payment_reference: str | None = Field(default=None, max_length=60)
    reason: str = Field(default="", max_length=300)


class PackPurchase(SQLModel, table=True):
    """A purchase of extra document packs and the state of its payment."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    user_id: int = Field(foreign_key="app_user.id")
    reference: str = Field(max_length=60, unique=True)
    pack_size: int
    pack_count: int
    documents: int
    unit_price: Decimal = Field(max_digits=18, decimal_places=2)
    total: Decimal = Field(max_digits=18, decimal_places=2)
    method: str = Field(max_length=10)  # card | pse | cash
    status: str = Field(default="pending", max_length=10)  # pending|approved|declined|expired
    provider: str = Field(default="", max_length=20)
    provider_payment_id: str = Field(default="", max_length=120, index=True)
    payment_code: str = Field(default="", max_length=60)  # what the payer quotes at the bank
    terms_accepted_at: datetime = utc_datetime_field()
    created_at: datetime = utc_datetime_field()
    expires_at: datetime = utc_datetime_field()
    confirmed_at: datetime | None = utc_datetime_field(default=None, nullable=True)


class PaymentEventLog(SQLModel, table=True):
    """Every webhook received, kept even when it credits nothing (unknown or expired)."""

    __table_args__ = (UniqueConstraint("provider", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(max_length=20)
    event_id: str = Field(max_length=120)
    provider_payment_id: str = Field(max_length=120)
    status: str = Field(max_length=10)
    outcome: str = Field(max_length=30)
    received_at: datetime = utc_datetime_field()

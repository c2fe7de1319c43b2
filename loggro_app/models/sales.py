"""Sales documents (*Ventas*): drafts, their numbering, what DIAN answered, every attempt."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, LargeBinary, Text
from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class SalesDocument(SQLModel, table=True):
    """An FE, NC, ND, DS or its nota de ajuste, from draft to DIAN's answer.

    A number, once taken, belongs to this row for good (the unique constraint): a rejected
    document is corrected and re-sent under the same number, so no number is ever lost.
    """

    __table_args__ = (
        UniqueConstraint("numbering_id", "number"),
        # the grid: one organization's documents by issue date
        Index("ix_salesdocument_org_issued", "organization_id", "issued_at"),
        Index("ix_salesdocument_org_total", "organization_id", "total"),  # sort by total
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    kind: str = Field(max_length=2)  # FE | NC | ND | DS | NA (core.sales.KINDS)
    # draft | queued | sending | pending (DIAN unreachable, retried) | contingency (type 04
    # delivered, to transmit) | accepted | rejected
    status: str = Field(default="draft", max_length=12, index=True)
    step: str = Field(default="", max_length=40)  # what the issuing work is doing now
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    reference_id: int | None = Field(default=None, foreign_key="salesdocument.id")
    form_json: str = Field(default="{}", sa_type=Text)  # the form as typed (resumable draft)
    numbering_id: int | None = Field(default=None, foreign_key="numbering.id")
    prefix: str = Field(default="", max_length=4)
    number: int | None = None
    invoice_type: str = Field(default="01", max_length=2)  # 01 venta, 02 export, 04 contingency
    issued_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    document_key: str = Field(default="", max_length=96, index=True)  # CUFE / CUDE / CUDS
    total: Decimal = Field(default=Decimal("0.00"), max_digits=18, decimal_places=2)
    currency: str = Field(default="COP", max_length=3)
    customer_name: str = Field(default="", max_length=200)  # for the lists, as issued
    zip_name: str = Field(default="", max_length=80)
    signed_xml: bytes | None = Field(default=None, sa_type=LargeBinary)
    signed_zip: bytes | None = Field(default=None, sa_type=LargeBinary)
    dian_response: bytes | None = Field(default=None, sa_type=LargeBinary)
    dian_messages: str = Field(default="[]", sa_type=Text)  # [[code, text], ...]
    pdf: bytes | None = Field(default=None, sa_type=LargeBinary)
    attached_document: bytes | None = Field(default=None, sa_type=LargeBinary)
    attempts: int = 0
    issue_round: int = 0  # each Corregir y reenviar issues the same number again
    next_attempt_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = utc_datetime_field()
    updated_at: datetime = utc_datetime_field()
    accepted_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    contingency_since: datetime | None = utc_datetime_field(default=None, nullable=True)
    # What the buyer answered (RADIAN): "" | acuse | recibido | aceptado | reclamado |
    # confirmado_cliente | confirmado_auto
    buyer_status: str = Field(default="", max_length=20, index=True)
    # When DIAN was last asked for the buyer's events: the check spaces them by age
    events_checked_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    # Where the document came from: "" typed in Ventas | "alojamientos" sent by the PMS
    origin: str = Field(default="", max_length=20)


class IssueAttempt(SQLModel, table=True):
    """One try at sending a document to DIAN, recorded before the network is touched."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    document_id: int = Field(foreign_key="salesdocument.id", index=True)
    started_at: datetime = utc_datetime_field()
    # sending (no answer yet) | accepted | rejected | unavailable | duplicate
    outcome: str = Field(default="sending", max_length=12)
    detail: str = Field(default="", max_length=500)


class ExecutorHeartbeat(SQLModel, table=True):
    """A backend process that runs durable work, and when it was last seen alive."""

    executor_id: str = Field(primary_key=True, max_length=120)
    seen_at: datetime = utc_datetime_field()
    started_at: datetime = utc_datetime_field()


class DocumentMovement(SQLModel, table=True):
    """One thing that happened to a sales document, kept for ever: rows are only added."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    document_id: int = Field(foreign_key="salesdocument.id", index=True)
    at: datetime = utc_datetime_field()
    kind: str = Field(max_length=20)  # services.history.KINDS
    email: str = Field(default="", max_length=254)
    detail: str = Field(default="", max_length=1000)


class MailDelivery(SQLModel, table=True):
    """One message of a document to one recipient in one round (the first delivery or a
    resend), with the SMTP server's last answer. A recipient already answered (accepted or
    refused) is never mailed again in that round."""

    __table_args__ = (UniqueConstraint("document_id", "round_name", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    document_id: int = Field(foreign_key="salesdocument.id")
    round_name: str = Field(max_length=40)  # "entrega" | "reenvio-N"
    email: str = Field(max_length=254)
    source: str = Field(max_length=12)  # cliente | dian | manual
    status: str = Field(default="pending", max_length=10)  # pending|accepted|refused|deferred
    attempts: int = 0
    code: int | None = None
    reply: str = Field(default="", max_length=500)
    updated_at: datetime = utc_datetime_field()


class DocumentEvent(SQLModel, table=True):
    """A RADIAN event about an invoice (030-034) as registered at DIAN, its signed XML kept
    as evidence. One per code and document: DIAN registers each event once."""

    __table_args__ = (UniqueConstraint("document_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    document_id: int = Field(foreign_key="salesdocument.id")
    code: str = Field(max_length=3)
    event_key: str = Field(max_length=96, unique=True, index=True)  # the event's CUDE
    sender_id: str = Field(max_length=20)
    issued_at: datetime = utc_datetime_field()  # the event's own date (032: the receipt)
    recorded_at: datetime = utc_datetime_field()
    source: str = Field(default="dian", max_length=10)  # dian | carga | enviado (our 034)
    xml: bytes = Field(sa_type=LargeBinary)

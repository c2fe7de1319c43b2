"""Suppliers' electronic invoices received (*Compras → Facturas recibidas*): every message
or upload kept as it came, and the invoices that passed verification."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, LargeBinary, Text
from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class ReceivedMessage(SQLModel, table=True):
    """What arrived, byte for byte: the evidence of what the supplier sent and when, whatever
    the verification said about it."""

    __table_args__ = (
        Index("ix_receivedmessage_org_outcome", "organization_id", "outcome", "received_at"),
        # A mail read twice (a crash between the commit and the Seen flag, two polls
        # overlapping) is recognised by its key and not stored again.
        UniqueConstraint("organization_id", "mail_key", name="uq_receivedmessage_org_mail_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    source: str = Field(max_length=8)  # correo (mailbox) | carga (uploaded by hand)
    sender: str = Field(default="", max_length=254)  # From of a mail, the user of an upload
    subject: str = Field(default="", max_length=300)  # Subject of a mail, file name of an upload
    received_at: datetime = utc_datetime_field()
    raw: bytes = Field(sa_type=LargeBinary)
    # registered | quarantined | duplicate
    outcome: str = Field(max_length=12)
    reasons: str = Field(default="[]", sa_type=Text)  # JSON list of Spanish sentences
    notes: str = Field(default="[]", sa_type=Text)  # JSON: said out loud, not failures
    document_number: str = Field(default="", max_length=40)  # as read, even when refused
    supplier_name: str = Field(default="", max_length=450)
    # Which mail and attachment this was (Message-ID or the local server's id, then "#n");
    # None for an upload by hand.
    mail_key: str | None = Field(default=None, max_length=320)


class ReceptionMailbox(SQLModel, table=True):
    """Where an organization receives its suppliers' invoices: the address DIAN and the
    suppliers know and, when it is read over IMAP, the mailbox's server and account."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True, index=True)
    address: str = Field(max_length=254, index=True)
    host: str = Field(default="", max_length=253)  # empty: not read over IMAP
    port: int = 993
    tls: bool = True
    user: str = Field(default="", max_length=254)
    # Fernet (services/secrets); empty: LOGGRO_IMAP_PASSWORD from the environment.
    password_sealed: str = Field(default="", sa_type=Text)
    last_polled_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    last_error: str = Field(default="", max_length=500)  # Spanish, shown to the admin


class ReceivedInvoice(SQLModel, table=True):
    """A supplier's invoice or note verified as DIAN-validated and addressed to us. One per
    CUFE and organization: the unique constraint, not a prior lookup, decides duplicates."""

    __table_args__ = (
        UniqueConstraint("organization_id", "cufe", name="uq_receivedinvoice_org_cufe"),
        Index("ix_receivedinvoice_org_issued", "organization_id", "issued_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    message_id: int = Field(foreign_key="receivedmessage.id", index=True)
    supplier_customer_id: int | None = Field(default=None, foreign_key="customer.id",
                                             index=True)
    supplier_nit: str = Field(max_length=20)
    supplier_dv: str = Field(default="", max_length=1)
    supplier_name: str = Field(max_length=450)
    number: str = Field(max_length=40)  # cbc:ID: prefix and consecutive together
    prefix: str = Field(default="", max_length=10)
    type_code: str = Field(max_length=2)  # 01-04 invoices, 91 credit note, 92 debit note
    cufe: str = Field(max_length=96)  # CUFE (CUDE of notes), lowercase
    environment: str = Field(default="1", max_length=1)  # 1 production, 2 habilitación
    issued_on: date
    due_on: date | None = None
    currency: str = Field(default="COP", max_length=3)
    line_extension: Decimal = Field(max_digits=18, decimal_places=2)
    tax_exclusive: Decimal = Field(max_digits=18, decimal_places=2)
    tax_inclusive: Decimal = Field(max_digits=18, decimal_places=2)
    allowances: Decimal = Field(default=Decimal("0.00"), max_digits=18, decimal_places=2)
    charges: Decimal = Field(default=Decimal("0.00"), max_digits=18, decimal_places=2)
    prepaid: Decimal = Field(default=Decimal("0.00"), max_digits=18, decimal_places=2)
    payable: Decimal = Field(max_digits=18, decimal_places=2)
    tax_total: Decimal = Field(default=Decimal("0.00"), max_digits=18, decimal_places=2)
    taxes: str = Field(default="{}", sa_type=Text)  # JSON {scheme: "amount"}: exact strings
    withholdings: str = Field(default="{}", sa_type=Text)
    lines: str = Field(default="[]", sa_type=Text)  # JSON list of {description, quantity, ...}
    document_xml: bytes = Field(sa_type=LargeBinary)  # the supplier's signed XML
    response_xml: bytes | None = Field(default=None, sa_type=LargeBinary)  # DIAN's answer
    container_xml: bytes = Field(sa_type=LargeBinary)  # the AttachedDocument
    pdf: bytes | None = Field(default=None, sa_type=LargeBinary)
    pdf_name: str = Field(default="", max_length=200)
    # validada (DIAN validated it), then our last registered event: acuse, recibido,
    # aceptada, reclamada (core.purchase_events.STATUS_BY_CODE)
    status: str = Field(default="validada", max_length=20, index=True)
    registered_at: datetime = utc_datetime_field()


class PurchaseEvent(SQLModel, table=True):
    """A RADIAN event the organization, as buyer, sent about a received invoice (030-033):
    asked for, then sent and answered by DIAN. One per invoice and code: a refused one is
    sent again on the same row, and its XML kept is the last one sent."""

    __table_args__ = (
        UniqueConstraint("invoice_id", "code", name="uq_purchaseevent_invoice_code"),
        Index("ix_purchaseevent_org_state", "organization_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    invoice_id: int = Field(foreign_key="receivedinvoice.id")
    code: str = Field(max_length=3)  # 030 | 032 | 033 | 031
    claim_reason: str = Field(default="", max_length=2)  # 031: DIAN's 01-04
    person: str = Field(default="", sa_type=Text)  # JSON: who received (030/032)
    note: str = Field(default="", max_length=2000)
    state: str = Field(default="pending", max_length=10)  # pending | accepted | rejected
    attempt: int = 1  # a rejected event sent again is a new attempt (a new workflow)
    cude: str = Field(default="", max_length=96)
    dian_message: str = Field(default="", sa_type=Text)
    xml: bytes | None = Field(default=None, sa_type=LargeBinary)  # the signed event
    requested_by: str = Field(default="", max_length=200)
    requested_at: datetime = utc_datetime_field()
    sent_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    answered_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    # On the 032: the last day to claim that a reminder was mailed for (one mail per term).
    reminded_for: date | None = None

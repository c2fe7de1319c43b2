"""DIAN enablement: the organization's certificate, numbering (consecutivos) with their
resolutions, and the test-set runs that certify the software."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class OrgCertificate(SQLModel, table=True):
    """The organization's signing certificate; the PKCS#12 and its password are encrypted."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    p12_sealed: bytes = Field(sa_type=LargeBinary)
    password_sealed: str = Field(max_length=500)
    subject: str = Field(max_length=300)
    nit: str = Field(default="", max_length=20)
    serial: str = Field(max_length=80)
    not_before: datetime = utc_datetime_field()
    not_after: datetime = utc_datetime_field()
    uploaded_at: datetime = utc_datetime_field()


class Numbering(SQLModel, table=True):
    """A *consecutivo*: numbering of one document kind and channel under a DIAN resolution."""

    __table_args__ = (UniqueConstraint("organization_id", "document_kind", "channel", "prefix"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=100)
    document_kind: str = Field(max_length=4)  # FE | NC | ND | DS | NA (core.numbering.KINDS)
    channel: str = Field(max_length=12)  # POS | NO_POS | EXTERNA
    resolution_number: str = Field(default="", max_length=30)
    prefix: str = Field(default="", max_length=4)
    range_from: int = 0
    range_to: int = 0
    valid_from: date | None = None
    valid_to: date | None = None
    technical_key_sealed: str = Field(default="", max_length=500)
    next_number: int = 0  # the next number to issue; numbers below it were used
    dian_checked_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    dian_message: str = Field(default="", max_length=300)


class TestSetRun(SQLModel, table=True):
    """One certification run of a DIAN test set (TestSetId); resumable after a restart."""

    __test__ = False  # not a pytest test class, despite its name

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    test_set_id: str = Field(max_length=60)
    status: str = Field(default="running", max_length=12)  # running|accepted|rejected|failed
    total: int = 0
    started_at: datetime = utc_datetime_field()
    finished_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    message: str = Field(default="", max_length=500)


class TestSetItem(SQLModel, table=True):
    """One document of a test-set run and what DIAN answered about it."""

    __test__ = False

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    run_id: int = Field(foreign_key="testsetrun.id", index=True)
    position: int
    document_kind: str = Field(max_length=4)
    number: str = Field(max_length=30)
    status: str = Field(default="pending", max_length=12)  # pending|sent|accepted|rejected
    track_id: str = Field(default="", max_length=120)  # DIAN's ZipKey of the send
    document_key: str = Field(default="", max_length=96)  # the document's CUFE/CUDE
    messages: str = Field(default="", max_length=4000)  # JSON list of [rule, text]
    claimed_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    # The signed zip as first sent: a document that may have reached DIAN is re-sent
    # byte for byte (same CUFE), never rebuilt under the same number.
    zip_name: str = Field(default="", max_length=120)
    signed_zip: bytes | None = Field(default=None, sa_type=LargeBinary, nullable=True)

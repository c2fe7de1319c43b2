"""What the PMS sends and what it gets back: the intake API's bodies (docs/pms-api.md).

Every bound is here, so a body that passes validation can be stored and issued without a
crash: lengths, counts, amounts with at most 2 decimals, closed lists of codes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

KIND_CODES = {"invoice": "FE", "credit_note": "NC", "debit_note": "ND",
              "support_document": "DS"}
KIND_NAMES = {kind: name for name, kind in KIND_CODES.items()}
Kind = Literal["invoice", "credit_note", "debit_note", "support_document"]
Category = Literal["lodging", "breakfast", "food", "minibar", "service", "other"]
Tax = Literal["IVA_19", "IVA_5", "IVA_0", "INC_8", "EXCLUIDO"]
State = Literal["received", "issuing", "accepted", "rejected", "failed"]

Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), max_digits=14,
                                 decimal_places=2)]
Quantity = Annotated[Decimal, Field(gt=0, le=Decimal("999999999"), max_digits=15,
                                    decimal_places=6)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
PmsId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,64}$")]


class _Body(BaseModel):
    # Unknown fields are refused: a typo in a field name must not silently drop data.
    model_config = ConfigDict(extra="forbid")


class CustomerIn(_Body):
    id_type: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}$")] = Field(
        description="Tipo de identificación DIAN: 13 cédula, 31 NIT, 22 cédula de "
                    "extranjería, 41 pasaporte, 42 documento de identificación extranjero")
    id_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                max_length=20)]
    dv: Annotated[int, Field(ge=0, le=9)] | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                           max_length=200)]
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    country_code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "CO"
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    municipality_code: Annotated[str, StringConstraints(pattern=r"^([0-9]{5})?$")] = ""
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class LineIn(_Body):
    category: Category = "other"
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = ""
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=300)]
    quantity: Quantity
    unit_price: Money
    tax: Tax
    unit_code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")] = "94"
    discount: Money | None = None


class ExemptionIn(_Body):
    """Why lodging to a foreign non-resident guest carries no IVA (the evidence kept)."""

    passport_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3,
                                                      max_length=20)]
    entry_date: date
    migration_document: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                         max_length=60)] = Field(
        description="Sello de ingreso o Tarjeta Migratoria: su número o referencia")


class PaymentIn(_Body):
    form: Literal["1", "2"] = "1"
    means: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,3}$")] = "10"
    due_date: date | None = None


class ReferenceIn(_Body):
    pms_document_id: PmsId
    concept: Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}$")]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                                  max_length=500)]


class PmsDocumentIn(_Body):
    """A document sent by the PMS."""

    pms_document_id: PmsId
    kind: Kind
    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{0,4}$")]
    number: Annotated[int, Field(ge=0, le=9_999_999_999)]
    issue_date: date
    currency: Literal["COP", "USD", "EUR"] = "COP"
    exchange_rate: Annotated[Decimal, Field(gt=0, le=100000, decimal_places=2)] | None = None
    customer: CustomerIn | None = None
    lines: Annotated[list[LineIn], Field(min_length=1, max_length=200)]
    tip: Money | None = None
    exemption: ExemptionIn | None = None
    payment: PaymentIn = PaymentIn()
    reference: ReferenceIn | None = None
    notes: Annotated[str, StringConstraints(max_length=1000)] = ""


class RuleOut(BaseModel):
    code: str
    message: str


class LinksOut(BaseModel):
    status: str
    xml: str | None = None
    pdf: str | None = None


class PmsDocumentStatus(BaseModel):
    """Where a PMS document stands, here and at DIAN."""

    pms_document_id: str
    kind: Kind
    state: State
    dian_state: str = Field(description="Lo que dijo la DIAN, en palabras")
    prefix: str
    number: int
    cufe: str | None = None
    total: Decimal
    rules: list[RuleOut] = []
    links: LinksOut
    received_at: datetime
    updated_at: datetime

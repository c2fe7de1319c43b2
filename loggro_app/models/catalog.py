"""Customers, items and payment methods: the catalog an organization sells with."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, UniqueConstraint

from loggro_app.models.common import utc_datetime_field


class Customer(SQLModel, table=True):
    __table_args__ = (
        # also the index of the organization's customers (its first column)
        UniqueConstraint("organization_id", "identification_type", "identification_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    # DIAN TipoIdFiscal code: 13 cédula, 31 NIT, ...
    identification_type: str = Field(max_length=3)
    identification_number: str = Field(max_length=20, index=True)
    dv: int | None = None
    person_type: str = Field(default="2", max_length=2)
    name: str = Field(max_length=200, index=True)
    trade_name: str = Field(default="", max_length=200)
    tax_regime: str = Field(default="49", max_length=4)
    tax_responsibilities: str = Field(default="R-99-PN", max_length=200)
    address: str = Field(default="", max_length=200)
    # ISO 3166 alpha-2 (DIAN Paises list); a buyer abroad has a city name instead of a
    # DIVIPOLA municipality and postal code, which stay "" for it.
    country_code: str = Field(default="CO", max_length=2)
    city_name: str = Field(default="", max_length=100)
    municipality_code: str = Field(max_length=5)
    neighborhood: str = Field(default="", max_length=120)
    postal_code: str = Field(max_length=6)
    phone: str = Field(default="", max_length=40)
    send_xml_email: bool = True
    # The reception mailbox the buyer registered at DIAN (GetAcquirer), refreshed on each issue.
    dian_email: str = Field(default="", max_length=254)
    dian_email_checked_at: datetime | None = utc_datetime_field(default=None, nullable=True)
    created_at: datetime = utc_datetime_field()


class CustomerEmail(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("customer_id", "email"),  # also the index the cascade deletes use
        # a customer's addresses, by organization first (as every tenant query asks)
        Index("ix_customeremail_org_customer", "organization_id", "customer_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    email: str = Field(max_length=200)
    position: int = 0


class Item(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    code: str = Field(max_length=50)
    name: str = Field(max_length=300, index=True)
    unit_code: str = Field(default="94", max_length=5)  # DIAN UnidadesMedida (94 = unidad)
    price: Decimal = Field(max_digits=18, decimal_places=2)
    tax_code: str = Field(default="IVA_19", max_length=10)  # IVA_0 | IVA_5 | IVA_19 | INC_8
    created_at: datetime = utc_datetime_field()


class PaymentMethod(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    name: str = Field(max_length=100)
    form_code: str = Field(max_length=2)  # DIAN FormasPago: 1 contado, 2 crédito
    means_code: str = Field(max_length=4)  # DIAN MediosPago, e.g. 10 efectivo
    is_active: bool = True

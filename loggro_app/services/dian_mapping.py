"""The app's rows as DIAN document parts (parties, lines, resolution, payment)."""

from __future__ import annotations

from decimal import Decimal

from loggro_app.core.customer_rules import is_abroad
from loggro_app.dian import Address, Line, Party, Payment, Resolution, TaxRate
from loggro_app.dian.codes import TAX_OPTIONS
from loggro_app.models import Customer, Item, Numbering, PaymentMethod
from loggro_app.services.numbering import technical_key


def customer_address(customer: Customer) -> Address:
    """Colombian: DIVIPOLA municipality and postal code; abroad: country and city name only
    (SPEC §2.6)."""
    if is_abroad(customer.country_code):
        return Address(customer.address, country_code=customer.country_code,
                       city_name=customer.city_name)
    return Address(customer.address, municipality_code=customer.municipality_code,
                   postal_code=customer.postal_code)


def customer_party(customer: Customer, emails: list[str]) -> Party:
    responsibilities = tuple(c for c in customer.tax_responsibilities.split(";") if c)
    return Party(
        name=customer.name, id_type=customer.identification_type,
        id_number=customer.identification_number, dv=customer.dv,
        organization_type=customer.person_type, responsibilities=responsibilities or ("R-99-PN",),
        tax_regime=customer.tax_regime, tax_scheme="01" if customer.tax_regime == "48" else "ZZ",
        address=customer_address(customer),
        email=emails[0] if emails else None, phone=customer.phone or None,
        trade_name=customer.trade_name or None,
    )


def item_line(item: Item, quantity: Decimal = Decimal("1")) -> Line:
    _label, scheme, rate = TAX_OPTIONS[item.tax_code]
    return Line(item.code, item.name, quantity, item.price, unit_code=item.unit_code,
                taxes=(TaxRate(scheme, rate),))


def numbering_resolution(row: Numbering) -> Resolution:
    assert row.valid_from is not None and row.valid_to is not None
    return Resolution(row.resolution_number, row.prefix, row.range_from, row.range_to,
                      row.valid_from, row.valid_to, technical_key(row))


def payment(method: PaymentMethod) -> Payment:
    return Payment(method.form_code, method.means_code)

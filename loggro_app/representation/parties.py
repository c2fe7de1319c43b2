"""Parties as printed: name, identification with DV, address, contact, regime."""

from __future__ import annotations

from dataclasses import dataclass

from loggro_app.core import geo, nit
from loggro_app.dian import Address, Party, codes


@dataclass(frozen=True)
class PartyView:
    role: str  # "Adquiriente", "Vendedor o prestador del servicio", ...
    name: str
    trade_name: str | None
    identification: str  # "NIT 900123456-8", "Cédula de ciudadanía 1020304050"
    address_lines: tuple[str, ...]
    phone: str | None
    email: str | None
    regime: str  # "Responsable de IVA · Persona jurídica"
    responsibilities: str  # "O-13 Gran contribuyente, O-15 Autorretenedor"


def identification(party: Party) -> str:
    if party.is_final_consumer:
        return f"Consumidor final {party.id_number}"
    if party.id_type == nit.NIT_TYPE:
        return f"NIT {party.id_number}-{party.dv}"
    return f"{nit.IDENTIFICATION_TYPES[party.id_type]} {party.id_number}"


def address_lines(address: Address | None) -> tuple[str, ...]:
    if address is None:
        return ()
    if address.is_colombian and address.municipality_code:
        place = geo.municipality_label(address.municipality_code)
    else:
        place = address.city
    lines = [address.street, f"{place}, {address.country_name}"]
    if address.postal_code:
        lines.append(f"Código postal {address.postal_code}")
    return tuple(lines)


def party_view(party: Party, role: str) -> PartyView:
    regime = (
        f"{codes.TAX_REGIMES[party.tax_regime]} · "
        f"{codes.ORGANIZATION_TYPES[party.organization_type]}"
    )
    responsibilities = ", ".join(
        f"{code} {codes.RESPONSIBILITIES[code]}" for code in party.responsibilities
    )
    return PartyView(
        role=role,
        name=party.name,
        trade_name=party.trade_name if party.trade_name != party.name else None,
        identification=identification(party),
        address_lines=address_lines(party.address),
        phone=party.phone,
        email=party.email,
        regime=regime,
        responsibilities=responsibilities,
    )

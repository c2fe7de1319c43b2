"""JSON description -> Document (format documented in docs/dian-json.md).

JSON numbers are parsed as Decimal from their literal text (never float); unknown keys
are refused so a typo cannot silently drop a field.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from loggro_app.core.errors import ValidationError
from loggro_app.core.money import to_decimal
from loggro_app.dian.model.lines import AllowanceCharge, Line, TaxRate, Withholding
from loggro_app.dian.model.parties import Address, Party, Resolution, Software

Obj = dict[str, Any]


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError({field: f"{field}: {message}"})


def _obj(value: Any, field: str, allowed: set[str]) -> Obj:
    if not isinstance(value, dict):
        raise _bad(field, "debe ser un objeto JSON.")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _bad(field, f"claves desconocidas: {', '.join(unknown)}.")
    return value


def _dec(value: Any, field: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return to_decimal(value, field)
    except ValueError as exc:
        raise _bad(field, str(exc)) from None


def _date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _bad(field, f"'{value}' no es una fecha AAAA-MM-DD.") from None


def _str(value: Any) -> Any:
    """Numbers written without quotes in JSON (ids, codes) are accepted as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def parse_address(raw: Any, field: str) -> Address:
    data = _obj(
        raw, field, {"street", "country_code", "municipality_code", "postal_code", "city_name"}
    )
    return Address(
        street=data.get("street", ""),
        country_code=data.get("country_code", "CO"),
        municipality_code=_str(data.get("municipality_code")),
        postal_code=_str(data.get("postal_code")),
        city_name=data.get("city_name"),
    )


PARTY_KEYS = {
    "name",
    "id_type",
    "id_number",
    "dv",
    "organization_type",
    "responsibilities",
    "tax_regime",
    "tax_scheme",
    "address",
    "email",
    "phone",
    "trade_name",
}


def parse_party(raw: Any, field: str) -> Party:
    data = _obj(raw, field, PARTY_KEYS)
    address = parse_address(data["address"], f"{field}.address") if data.get("address") else None
    dv = data.get("dv")
    return Party(
        name=data.get("name", ""),
        id_type=_str(data.get("id_type", "31")),
        id_number=_str(data.get("id_number", "")),
        dv=int(dv) if dv is not None else None,
        organization_type=_str(data.get("organization_type", "1")),
        responsibilities=tuple(data.get("responsibilities", ["R-99-PN"])),
        tax_regime=_str(data.get("tax_regime", "48")),
        tax_scheme=_str(data.get("tax_scheme", "01")),
        address=address,
        email=data.get("email"),
        phone=data.get("phone"),
        trade_name=data.get("trade_name"),
    )


def parse_line(raw: Any, field: str) -> Line:
    data = _obj(
        raw,
        field,
        {
            "code",
            "description",
            "quantity",
            "unit_price",
            "unit_code",
            "taxes",
            "withholdings",
            "allowances",
            "brand",
            "model",
        },
    )
    taxes = tuple(
        TaxRate(
            _str(_obj(t, f"{field}.taxes", {"scheme", "percent"}).get("scheme")),
            _dec(t.get("percent"), f"{field}.taxes.percent"),
        )
        for t in data.get("taxes", [])
    )
    held = tuple(
        Withholding(
            _str(_obj(w, f"{field}.withholdings", {"scheme", "percent"}).get("scheme")),
            _dec(w.get("percent"), f"{field}.withholdings.percent"),
        )
        for w in data.get("withholdings", [])
    )
    return Line(
        code=_str(data.get("code", "")),
        description=data.get("description", ""),
        quantity=_dec(data.get("quantity"), f"{field}.quantity"),
        unit_price=_dec(data.get("unit_price"), f"{field}.unit_price"),
        unit_code=_str(data.get("unit_code", "94")),
        taxes=taxes,
        withholdings=held,
        allowances=parse_allowances(data.get("allowances", []), f"{field}.allowances"),
        brand=data.get("brand"),
        model=data.get("model"),
    )


def parse_allowances(raw: Any, field: str) -> tuple[AllowanceCharge, ...]:
    items = [_obj(a, field, {"amount", "reason", "is_charge"}) for a in raw]
    return tuple(
        AllowanceCharge(
            _dec(a.get("amount"), f"{field}.amount"),
            a.get("reason", ""),
            bool(a.get("is_charge", False)),
        )
        for a in items
    )


def parse_resolution(raw: Any) -> Resolution:
    data = _obj(
        raw,
        "resolution",
        {"number", "prefix", "from", "to", "valid_from", "valid_to", "technical_key"},
    )
    return Resolution(
        number=_str(data.get("number", "")),
        prefix=data.get("prefix", ""),
        range_from=int(data.get("from", 0)),
        range_to=int(data.get("to", 0)),
        valid_from=_date(data.get("valid_from"), "resolution.valid_from"),
        valid_to=_date(data.get("valid_to"), "resolution.valid_to"),
        technical_key=data.get("technical_key", ""),
    )


def parse_software(raw: Any) -> Software:
    data = _obj(raw, "software", {"provider_nit", "software_id", "pin"})
    return Software(
        _str(data.get("provider_nit", "")), data.get("software_id", ""), _str(data.get("pin", ""))
    )

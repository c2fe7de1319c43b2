"""Numbering (*consecutivos*) under a DIAN resolution: validation, state, warnings (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from loggro_app.core.errors import ValidationError
from loggro_app.core.limits import NUMBERING_RANGE, RESOLUTION_NUMBER_DIGITS, parse_int

KINDS = {"FE": "Factura electrónica de venta", "NC": "Nota crédito", "ND": "Nota débito",
         "DS": "Documento soporte", "NA": "Nota de ajuste al documento soporte"}
CHANNELS = {"POS": "POS", "NO_POS": "No POS", "EXTERNA": "Venta Externa No POS"}
ACTIVE, EXPIRED, EXHAUSTED, PENDING, NOT_STARTED = (
    "Activo", "Vencido", "Agotado", "Pendiente de asociar", "No vigente aún")
WARN_USED_FRACTION = 0.9
WARN_DAYS_BEFORE_EXPIRY = 30
_PREFIX = re.compile(r"[A-Z0-9]{0,4}")  # DIAN: up to 4 letters or digits


@dataclass(frozen=True)
class Resolution:
    number: str
    prefix: str
    range_from: int
    range_to: int
    valid_from: date
    valid_to: date


def _int(raw: str | int, field: str, label: str, errors: dict[str, str]) -> int:
    try:
        return parse_int(raw, field=field, label=label, allowed=NUMBERING_RANGE)
    except ValidationError as exc:
        errors.update(exc.errors)
        return 0


def _date(raw: str | date | None, field: str, label: str, errors: dict[str, str]) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        # the page's date picker shows día/mes/año whatever it sends, so say it that way
        errors[field] = f"Elige en el calendario la fecha {label} (día, mes y año)."
        return date.min


def parse_resolution(*, number: str, prefix: str, range_from: str | int, range_to: str | int,
                     valid_from: str | date | None, valid_to: str | date | None) -> Resolution:
    errors: dict[str, str] = {}
    number = (number or "").strip()
    if not number.isascii() or not number.isdigit():
        errors["resolution_number"] = "El número de resolución solo tiene dígitos."
    elif len(number) > RESOLUTION_NUMBER_DIGITS:
        errors["resolution_number"] = (
            f"El número de resolución tiene máximo {RESOLUTION_NUMBER_DIGITS} dígitos; "
            f"escribiste {len(number)}.")
    prefix = (prefix or "").strip().upper()
    if not _PREFIX.fullmatch(prefix):
        errors["prefix"] = (f"El prefijo tiene máximo 4 letras o dígitos, sin espacios ni "
                            f"símbolos; escribiste «{prefix[:20]}».")
    low = _int(range_from, "range_from", "La numeración inicial", errors)
    high = _int(range_to, "range_to", "La numeración final", errors)
    if "range_from" not in errors and "range_to" not in errors and high < low:
        errors["range_to"] = "La numeración final debe ser mayor o igual que la inicial."
    start = _date(valid_from, "valid_from", "de inicio de la vigencia", errors)
    end = _date(valid_to, "valid_to", "final de la vigencia", errors)
    if "valid_from" not in errors and "valid_to" not in errors and end < start:
        errors["valid_to"] = "La vigencia debe terminar después de empezar."
    if errors:
        raise ValidationError(errors)
    return Resolution(number, prefix, low, high, start, end)


def check_edit(old: Resolution, new: Resolution, next_number: int) -> None:
    """Numbers already issued can never be issued again, whatever the edit."""
    issued = next_number > old.range_from
    if not issued:
        return
    last = next_number - 1
    if new.prefix != old.prefix:
        raise ValidationError({"prefix": (
            f"Ya se emitieron documentos con el prefijo {old.prefix or '(sin prefijo)'}: "
            "crea un consecutivo nuevo para otro prefijo.")})
    if new.range_to < last:
        raise ValidationError({"range_to": (
            f"Ya se emitió hasta el número {last}: la numeración final no puede ser menor.")})


def state(resolution: Resolution, *, next_number: int, verified: bool, today: date) -> str:
    if not verified:
        return PENDING
    if today > resolution.valid_to:
        return EXPIRED
    if today < resolution.valid_from:
        return NOT_STARTED
    if next_number > resolution.range_to:
        return EXHAUSTED
    return ACTIVE


def warnings(resolution: Resolution, *, next_number: int, today: date) -> list[str]:
    found = []
    size = resolution.range_to - resolution.range_from + 1
    used = max(0, next_number - resolution.range_from)
    if used >= WARN_USED_FRACTION * size and next_number <= resolution.range_to:
        left = resolution.range_to - next_number + 1
        found.append(f"Se ha usado el {100 * used // size} % de la numeración: quedan {left}.")
    if today <= resolution.valid_to <= today + timedelta(days=WARN_DAYS_BEFORE_EXPIRY):
        days = (resolution.valid_to - today).days
        found.append(f"La resolución vence en {days} días ({resolution.valid_to:%d/%m/%Y}).")
    return found


def mismatch(local: Resolution, dian: Resolution) -> dict[str, str]:
    """Fields where what the user typed differs from what DIAN has, in Spanish."""
    labels = {"number": ("resolution_number", "el número de resolución"),
              "prefix": ("prefix", "el prefijo"), "range_from": ("range_from",
              "la numeración inicial"), "range_to": ("range_to", "la numeración final"),
              "valid_from": ("valid_from", "el inicio de la vigencia"),
              "valid_to": ("valid_to", "el final de la vigencia")}
    found = {}
    for attr, (field, label) in labels.items():
        mine, theirs = getattr(local, attr), getattr(dian, attr)
        if mine != theirs:
            found[field] = (f"No coincide {label} con la DIAN: registraste {mine}, "
                            f"la DIAN tiene {theirs}.")
    return found

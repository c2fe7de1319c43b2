"""Email addresses typed by users: validation and normalization (pure, no DNS lookups).

The check is the practical subset of RFC 5321/5322 that mail servers accept for
notification addresses: an ASCII dot-atom local part, one "@", and a domain of at least two
labels whose last one is alphabetic. Quoted local parts and IP-literal domains are refused
on purpose: no real customer uses them, and they are typical of typing mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from loggro_app.core.errors import ValidationError

_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DOMAIN_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_MAX_LOCAL = 64  # RFC 5321 §4.5.3.1.1
_MAX_ADDRESS = 254  # RFC 5321 path limit (256) minus the angle brackets
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


def _problem(address: str) -> str | None:
    """Why `address` (already stripped and lowercased) is not valid, or None if it is."""
    if address.count("@") != 1:
        return "falta la @" if "@" not in address else "tiene más de una @"
    local, domain = address.split("@")
    if not address.isascii():
        return "tiene tildes, eñes u otros caracteres no permitidos"
    if not local or not _LOCAL_PART.fullmatch(local) or len(local) > _MAX_LOCAL:
        return "la parte antes de la @ no es válida"
    labels = domain.split(".")
    if len(labels) < 2:
        return "al dominio le falta la extensión (por ejemplo .com o .co)"
    if not all(_DOMAIN_LABEL.fullmatch(label) for label in labels):
        return "el dominio después de la @ no es válido"
    if not _TOP_LEVEL.fullmatch(labels[-1]):
        return f"«.{labels[-1]}» no es una extensión de dominio válida"
    if len(address) > _MAX_ADDRESS:
        return f"tiene más de {_MAX_ADDRESS} caracteres"
    return None


def validate_email(text: str, field: str = "email") -> str:
    """The address, stripped and lowercased; ValidationError({field: message}) otherwise."""
    address = str(text).strip().lower()
    if not address:
        raise ValidationError({field: "Escribe un correo electrónico."})
    problem = _problem(address)
    if problem is not None:
        raise ValidationError(
            {field: f"«{str(text).strip()}» no es un correo electrónico válido: {problem}."}
        )
    return address


def parse_emails(values: Iterable[str] | str, field: str = "emails") -> tuple[str, ...]:
    """Every address in `values`, normalized, once each, in the order first given.

    Items may hold several addresses separated by commas, semicolons or spaces (what users
    paste from their mail client). All invalid addresses are reported together. How many
    addresses are required is the caller's rule, so an empty input gives an empty tuple.
    """
    items = [values] if isinstance(values, str) else list(values)
    found: dict[str, None] = {}
    problems: list[str] = []
    for item in items:
        for candidate in _LIST_SEPARATORS.split(str(item)):
            if not candidate:
                continue
            try:
                found.setdefault(validate_email(candidate), None)
            except ValidationError as error:
                problems.append(error.message)
    if problems:
        raise ValidationError({field: " ".join(problems)})
    return tuple(found)

"""Email validation and lists of notification addresses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loggro_app.core.email import parse_emails, validate_email
from loggro_app.core.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("facturacion@empresa.com.co", "facturacion@empresa.com.co"),
        ("  Juan.Perez@Empresa.CO ", "juan.perez@empresa.co"),
        ("recepcion+fe@mi-empresa.co", "recepcion+fe@mi-empresa.co"),
        ("o'brien@example.org", "o'brien@example.org"),
        ("user@xn--empres-pta.co", "user@xn--empres-pta.co"),
    ],
)
def test_valid_addresses_are_normalized(typed: str, expected: str) -> None:
    assert validate_email(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("juan.empresa.co", "falta la @"),
        ("juan@@empresa.co", "tiene más de una @"),
        ("juan@empresa", "al dominio le falta la extensión (por ejemplo .com o .co)"),
        ("juan@empresa.c0", "«.c0» no es una extensión de dominio válida"),
        ("juan..perez@empresa.co", "la parte antes de la @ no es válida"),
        (".juan@empresa.co", "la parte antes de la @ no es válida"),
        ("@empresa.co", "la parte antes de la @ no es válida"),
        ("juan perez@empresa.co", "la parte antes de la @ no es válida"),
        ("juan@-empresa.co", "el dominio después de la @ no es válido"),
        ("juan@empresa..co", "el dominio después de la @ no es válido"),
        ("josé@empresa.co", "tiene tildes, eñes u otros caracteres no permitidos"),
        ("a" * 65 + "@empresa.co", "la parte antes de la @ no es válida"),
    ],
)
def test_invalid_addresses_say_why(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_email(typed)
    assert caught.value.errors == {
        "email": f"«{typed}» no es un correo electrónico válido: {reason}."
    }


def test_blank_address() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_email("   ")
    assert caught.value.errors == {"email": "Escribe un correo electrónico."}


def test_too_long_address() -> None:
    typed = "a@" + ".".join(["b" * 60] * 5) + ".co"
    with pytest.raises(ValidationError, match="tiene más de 254 caracteres"):
        validate_email(typed)


def test_field_name_can_be_chosen() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_email("x", field="reception_email")
    assert set(caught.value.errors) == {"reception_email"}


def test_parse_emails_dedupes_in_order() -> None:
    typed = ["b@empresa.co", "A@Empresa.co; b@EMPRESA.co", "c@empresa.co, a@empresa.co", ""]
    assert parse_emails(typed) == ("b@empresa.co", "a@empresa.co", "c@empresa.co")


def test_parse_emails_accepts_one_pasted_string_and_nothing() -> None:
    assert parse_emails("x@a.co y@b.co\nz@c.co") == ("x@a.co", "y@b.co", "z@c.co")
    assert parse_emails([]) == ()
    assert parse_emails(["  ", ";"]) == ()


def test_parse_emails_reports_every_bad_address() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_emails(["ok@empresa.co", "malo", "otro@"])
    assert caught.value.errors == {
        "emails": "«malo» no es un correo electrónico válido: falta la @. "
        "«otro@» no es un correo electrónico válido: al dominio le falta la extensión "
        "(por ejemplo .com o .co)."
    }


@given(
    st.from_regex(r"[a-z0-9]([a-z0-9._+-]{0,20}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,15}(\.[a-z0-9]{1,15}){0,2}\.[a-z]{2,6}", fullmatch=True),
)
def test_plain_addresses_round_trip(local: str, domain: str) -> None:
    if ".." in local:
        return
    address = f"{local}@{domain}"
    assert validate_email(address.upper()) == address
    assert parse_emails([address, address.upper()]) == (address,)

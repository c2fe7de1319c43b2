"""The reminder that the term to claim a received invoice is ending."""

from __future__ import annotations

import pytest

from loggro_app.core.errors import ValidationError
from loggro_app.mail.reminder import build_claim_reminder


def test_it_names_the_invoice_the_day_and_the_page() -> None:
    message = build_claim_reminder(recipient="compras@fogon.example", number="LCFE7",
                                   supplier="Tienda La Ceiba S.A.S.", last_day="09/12/2026",
                                   page_url="https://app.example/compras/recibidas/7")
    assert message["To"] == "compras@fogon.example"
    assert message["Subject"] == "Vence el plazo para reclamar la factura LCFE7"
    body = message.get_content()
    assert "LCFE7 de Tienda La Ceiba S.A.S." in body and "vence el 09/12/2026" in body
    assert "https://app.example/compras/recibidas/7" in body
    assert "aceptada tácitamente" in body


def test_a_bad_address_is_refused_in_spanish() -> None:
    with pytest.raises(ValidationError):
        build_claim_reminder(recipient="no-es-correo", number="X", supplier="Y",
                             last_day="09/12/2026", page_url="https://app.example")

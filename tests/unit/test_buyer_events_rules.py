"""Buyer events: the 3-business-day term (Colombian holidays), the order of events, and
the sworn statement of the aceptación tácita."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from loggro_app.core.business_days import (
    add_business_days,
    is_business_day,
    tacit_acceptance_from,
)
from loggro_app.core.buyer_events import STATUS_LABELS, order_error, status_after
from loggro_app.core.clock import BOGOTA
from loggro_app.dian.ubl.events import tacit_note


def test_weekend_days_are_not_business_days() -> None:
    assert is_business_day(date(2026, 12, 4))  # Friday
    assert not is_business_day(date(2026, 12, 5))  # Saturday
    assert not is_business_day(date(2026, 12, 6))  # Sunday


def test_colombian_holidays_are_not_business_days() -> None:
    assert not is_business_day(date(2026, 12, 8))  # Inmaculada Concepción (Tuesday)
    assert not is_business_day(date(2026, 11, 16))  # Independencia de Cartagena, moved
    assert is_business_day(date(2026, 11, 11))  # the real date: the law moves it to Monday


def test_term_skips_a_weekend_and_a_holiday() -> None:
    # 032 on Friday 4 Dec 2026: Mon 7 (1), Tue 8 holiday, Wed 9 (2), Thu 10 (3).
    assert add_business_days(date(2026, 12, 4), 3) == date(2026, 12, 10)
    received = datetime(2026, 12, 4, 16, 30, tzinfo=BOGOTA)
    assert tacit_acceptance_from(received) == datetime(2026, 12, 11, 0, 0, tzinfo=BOGOTA)


def test_term_on_plain_weekdays() -> None:
    received = datetime(2026, 12, 14, 9, 0, tzinfo=BOGOTA)  # Monday
    assert tacit_acceptance_from(received) == datetime(2026, 12, 18, tzinfo=BOGOTA)


def test_term_counts_in_bogota_time_not_utc() -> None:
    # 02:00 UTC on Saturday is still Friday 21:00 in Bogotá: the Friday receipt's term.
    from datetime import UTC

    late_friday = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert tacit_acceptance_from(late_friday) == datetime(2026, 12, 11, tzinfo=BOGOTA)


def test_term_needs_at_least_one_day() -> None:
    with pytest.raises(ValueError):
        add_business_days(date(2026, 12, 4), 0)


@pytest.mark.parametrize(("done", "code"), [
    ((), "030"), (("030",), "032"), (("030", "032"), "033"), (("030", "032"), "031"),
    (("030", "032"), "034"),
])
def test_events_in_dian_order_are_accepted(done: tuple[str, ...], code: str) -> None:
    assert order_error(done, code) is None


@pytest.mark.parametrize(("done", "code", "message"), [
    ((), "032", "requiere antes el acuse de recibo (030)"),
    ((), "033", "requiere antes el acuse de recibo (030)"),
    (("030",), "033", "requiere antes el recibo del bien o servicio (032)"),
    (("030",), "031", "requiere antes el recibo del bien o servicio (032)"),
    (("030",), "034", "requiere antes el recibo del bien o servicio (032)"),
    (("030",), "030", "ya estaba registrado"),
    (("030", "032", "033"), "031", "ya tiene aceptación expresa (033)"),
    (("030", "032", "031"), "034", "ya tiene reclamo (031)"),
    (("030", "032", "034"), "033", "ya tiene aceptación tácita (034)"),
    ((), "035", "no es un evento del comprador"),
])
def test_events_out_of_order_are_refused(done: tuple[str, ...], code: str,
                                         message: str) -> None:
    problem = order_error(done, code)
    assert problem is not None and message in problem


def test_status_after_each_event_has_its_label() -> None:
    statuses = [status_after(c) for c in ("030", "032", "031", "033", "034")]
    assert statuses == ["acuse", "recibido", "reclamado", "confirmado_cliente",
                        "confirmado_auto"]
    assert [STATUS_LABELS[s] for s in statuses[-2:]] == [
        "Confirmado por el Cliente", "Confirmado Automáticamente"]


def test_tacit_note_names_the_receipt_event_and_the_buyer() -> None:
    note = tacit_note(receipt="EVC2", receipt_cude="c" * 96,
                      buyer="Comercializadora Andina", nit="800199436")
    assert note == (
        "Manifiesto bajo la gravedad de juramento que transcurridos 3 días hábiles contados "
        "desde la creación del Recibo de bienes y servicios EVC2 con CUDE " + "c" * 96 +
        ", el adquirente Comercializadora Andina identificado con NIT 800199436 no manifestó "
        "expresamente la aceptación o rechazo de la referida factura, ni reclamó en contra "
        "de su contenido.")


def test_checks_of_a_waiting_invoice_are_spaced_out_with_its_age() -> None:
    from datetime import timedelta

    from loggro_app.core.buyer_events import CHECK_WINDOW, recheck_every

    assert recheck_every(timedelta(minutes=9)) == timedelta(0)
    assert recheck_every(timedelta(minutes=10)) == timedelta(minutes=1)
    assert recheck_every(timedelta(hours=2)) == timedelta(minutes=10)
    assert recheck_every(timedelta(days=3)) == timedelta(hours=1)
    assert recheck_every(timedelta(days=59)) == timedelta(hours=6)
    assert recheck_every(CHECK_WINDOW) is None
    spacings = [recheck_every(timedelta(hours=h)) for h in range(0, 24 * 60, 7)]
    assert all(a is not None and b is not None and a <= b
               for a, b in zip(spacings, spacings[1:], strict=False))

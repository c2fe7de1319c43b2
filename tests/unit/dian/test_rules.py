"""Local DIAN rules: numbering range, resolution validity, dates — with rule codes."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from loggro_app.core.clock import FixedClock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import samples
from loggro_app.dian.build import build_document
from loggro_app.dian.rules.document import check_document
from loggro_app.dian.totals import compute_totals
from tests.unit.dian.conftest import ISSUED_AT

SAME_DAY = ISSUED_AT.date()


def _violations(document, signing_date: date = SAME_DAY):  # type: ignore[no-untyped-def]
    return check_document(document, compute_totals(document), signing_date=signing_date)


def test_sample_invoice_has_no_violation() -> None:
    assert _violations(samples.invoice(ISSUED_AT)) == []


def test_number_above_range_is_fad05c() -> None:
    document = samples.invoice(ISSUED_AT, number=995000001)
    codes = [v.code for v in _violations(document)]
    assert codes == ["FAD05c"]
    with pytest.raises(ValidationError) as exc:
        build_document(document, signer=None, clock=FixedClock(ISSUED_AT))
    assert "FAD05c" in exc.value.errors
    assert "supera el final del rango autorizado (995000000)" in exc.value.errors["FAD05c"]


def test_number_below_range_is_fad05b() -> None:
    assert [v.code for v in _violations(samples.invoice(ISSUED_AT, number=1))] == ["FAD05b"]


def test_expired_resolution_is_fab07b() -> None:
    document = samples.invoice(ISSUED_AT)
    expired = dataclasses.replace(document.resolution, valid_to=date(2026, 1, 31))
    violations = _violations(dataclasses.replace(document, resolution=expired))
    assert [v.code for v in violations] == ["FAB07b"]
    assert "La resolución venció el 2026-01-31" in violations[0].message
    assert violations[0].hint  # every violation carries a fix hint


def test_resolution_not_yet_valid_is_fab07a() -> None:
    document = samples.invoice(ISSUED_AT)
    future = dataclasses.replace(
        document.resolution, valid_from=date(2027, 1, 1), valid_to=date(2028, 1, 1)
    )
    assert [v.code for v in _violations(dataclasses.replace(document, resolution=future))] == [
        "FAB07a"
    ]


def test_signing_on_another_day_is_fad09e() -> None:
    later = ISSUED_AT + timedelta(days=1)
    assert [v.code for v in _violations(samples.invoice(ISSUED_AT), later.date())] == ["FAD09e"]


def test_clock_in_utc_is_converted_to_bogota_for_fad09e() -> None:
    # 2026-11-23 02:00 UTC is still 2026-11-22 21:00 in Bogotá: same day, no violation.
    from datetime import UTC

    clock = FixedClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    built = build_document(samples.invoice(ISSUED_AT), signer=None, clock=clock)
    assert built.unique_code


def test_wrong_prefix_has_no_dian_code_but_a_hint() -> None:
    document = dataclasses.replace(samples.invoice(ISSUED_AT), prefix="FE")
    [violation] = _violations(document)
    assert violation.code is None
    assert "Use el prefijo autorizado" in violation.hint


def test_due_date_before_issue() -> None:
    document = samples.invoice(ISSUED_AT)
    early = dataclasses.replace(document.payment, due_date=date(2026, 1, 1))
    [violation] = _violations(dataclasses.replace(document, payment=early))
    assert "anterior a la emisión" in violation.message


def test_buyer_without_email_is_flagged() -> None:
    document = samples.invoice(ISSUED_AT)
    no_mail = dataclasses.replace(document.counterparty, email=None)
    [violation] = _violations(dataclasses.replace(document, counterparty=no_mail))
    assert "correo" in violation.message

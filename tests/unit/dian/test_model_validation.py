"""Bad input gives a precise Spanish ValidationError, never a broken document."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.core.errors import ValidationError
from loggro_app.core.nit import compute_dv, dv_matches
from loggro_app.dian import samples
from loggro_app.dian.build import build_document
from loggro_app.dian.model.lines import AllowanceCharge, Line, TaxRate, Withholding
from loggro_app.dian.model.parties import Address, Party
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import FIXTURES, ISSUED_AT

D = Decimal


def _line(**changes: object) -> Line:
    base = {"code": "A", "description": "Item", "quantity": D("1"), "unit_price": D("100")}
    return Line(**{**base, **changes})  # type: ignore[arg-type]


def test_nit_check_digit_vectors() -> None:
    import json

    cases = json.loads((FIXTURES / "test_vectors.json").read_text())["nit_check_digit"]["cases"]
    assert {nit: compute_dv(nit) for nit in cases} == cases
    assert compute_dv("900123456") == 8
    assert dv_matches("800197268", 4) and not dv_matches("800197268", 5)
    with pytest.raises(ValueError):
        compute_dv("900.123.456")


def test_negative_quantity() -> None:
    with pytest.raises(ValidationError) as exc:
        _line(quantity=D("-1"))
    assert exc.value.errors == {"cantidad": "cantidad: no puede ser negativo (regla VLR01)."}


def test_zero_quantity() -> None:
    with pytest.raises(ValidationError, match="cantidad: debe ser mayor que cero"):
        _line(quantity=D("0"))


def test_unknown_tax_rate() -> None:
    with pytest.raises(ValidationError) as exc:
        TaxRate("01", D("16"))
    assert (
        exc.value.errors["tarifa"]
        == "tarifa: 16% no es una tarifa de IVA permitida (use 0, 5, 19)."
    )


def test_unknown_tax_scheme() -> None:
    with pytest.raises(ValidationError, match="'02' no es un código de impuesto"):
        TaxRate("02", D("8"))


def test_reteiva_rate_and_requires_iva() -> None:
    with pytest.raises(ValidationError, match="ReteIVA admite 15% o 100%"):
        Withholding("05", D("50"))
    with pytest.raises(ValidationError, match="ReteIVA requiere IVA"):
        _line(withholdings=(Withholding("05", D("15")),))


def test_missing_buyer_nit() -> None:
    with pytest.raises(ValidationError) as exc:
        dataclasses.replace(samples.buyer(), id_number="")
    assert "identificacion" in exc.value.errors
    assert "obligatorio" in exc.value.errors["identificacion"]


def test_wrong_dv_names_the_right_one() -> None:
    with pytest.raises(ValidationError) as exc:
        dataclasses.replace(samples.buyer(), dv=7)
    assert exc.value.errors == {
        "dv": "dv: el dígito de verificación 7 no corresponde al NIT "
        "800199436; debería ser 4 (regla FAK24)."
    }


def test_unknown_municipality() -> None:
    with pytest.raises(ValidationError, match="'99999' no es un código DIVIPOLA"):
        Address("Calle 1", municipality_code="99999")


@pytest.mark.parametrize("bad", ["Caf\udce9", "line\x00break", "bell\x07"])
def test_non_utf8_or_control_text(bad: str) -> None:
    with pytest.raises(ValidationError) as exc:
        _line(description=bad)
    assert "descripcion" in exc.value.errors


def test_float_money_is_refused() -> None:
    with pytest.raises(ValidationError, match="debe ser un número decimal"):
        _line(unit_price=100.5)


def test_discount_larger_than_line() -> None:
    line = _line(allowances=(AllowanceCharge(D("150.00"), "Exceso"),))
    document = dataclasses.replace(samples.invoice(ISSUED_AT), lines=(line,))
    with pytest.raises(ValidationError, match="los descuentos superan el valor de la línea"):
        build_document(document, signer=None, clock=FixedClock(ISSUED_AT))


def test_credit_requires_due_date() -> None:
    from loggro_app.dian.model.document import Payment

    with pytest.raises(ValidationError, match="fecha_vencimiento: es obligatoria"):
        Payment(form="2")


def test_notes_need_concept_and_reference_or_period() -> None:
    note = samples.credit_note(ISSUED_AT, "a" * 96)
    with pytest.raises(ValidationError, match="periodo de facturación"):
        dataclasses.replace(note, reference=None)
    with pytest.raises(ValidationError, match="'9' no es un concepto de nota crédito"):
        dataclasses.replace(note, correction=dataclasses.replace(note.correction, concept="9"))


def test_foreign_currency_needs_rate() -> None:
    with pytest.raises(ValidationError, match="tasa_cambio: es obligatoria para documentos en USD"):
        dataclasses.replace(samples.invoice(ISSUED_AT), currency="USD")


def test_issue_time_must_be_colombian() -> None:
    with pytest.raises(ValidationError, match="hora de Colombia"):
        dataclasses.replace(samples.invoice(ISSUED_AT), issued_at=ISSUED_AT.replace(tzinfo=None))


def test_xml_special_characters_are_escaped_and_round_trip() -> None:
    tricky = 'Tornillo 3/8" <acero> & "galvanizado" \'x\' ]]> ñ'
    document = dataclasses.replace(samples.invoice(ISSUED_AT), lines=(_line(description=tricky),))
    built = build_document(document, signer=None, clock=FixedClock(ISSUED_AT))
    root = etree.fromstring(built.xml_bytes)
    assert (
        root.xpath("string(//cac:InvoiceLine/cac:Item/cbc:Description)", namespaces=XPATH_NS)
        == tricky
    )
    assert b"<acero>" not in built.xml_bytes


def test_unsigned_draft_has_no_signature_slot_but_is_valid() -> None:
    built = build_document(samples.invoice(ISSUED_AT), signer=None, clock=FixedClock(ISSUED_AT))
    root = etree.fromstring(built.xml_bytes)
    assert not built.signed
    assert len(root.xpath("ext:UBLExtensions/ext:UBLExtension", namespaces=XPATH_NS)) == 1


def test_secrets_are_not_in_repr() -> None:
    document = samples.invoice(ISSUED_AT)
    text = repr(document)
    assert document.resolution is not None
    assert document.resolution.technical_key not in text
    assert f"pin='{document.software.pin}'" not in text


def test_party_requires_known_responsibility() -> None:
    with pytest.raises(ValidationError, match="'O-99' no es un código de responsabilidad"):
        Party(name="X", id_type="13", id_number="123", responsibilities=("O-99",))

"""What the representation prints, mapped from the sample documents (SPEC §7)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from lxml import etree

from loggro_app.core.clock import FixedClock
from loggro_app.dian import build_document, compute_totals, samples
from loggro_app.representation import GraphicData
from loggro_app.representation.data import CONTINGENCY_LEGENDS
from loggro_app.representation.view import document_view
from tests.unit.representation.conftest import ISSUED_AT, PROVIDER, SIGNED_AT, graphic_data

STS = "dian:gov:co:facturaelectronica:Structures-2-1"


@pytest.fixture(scope="module")
def invoice_code() -> str:
    invoice = samples.invoice(ISSUED_AT)
    return build_document(invoice, signer=None, clock=FixedClock(ISSUED_AT)).unique_code


def test_invoice_header_parties_and_resolution() -> None:
    view = document_view(graphic_data(samples.invoice(ISSUED_AT)))
    assert (view.title, view.number) == ("Factura electrónica de venta", "SETP990000001")
    assert view.issuer.identification == "NIT 900123456-8"
    assert view.counterparty.identification == "NIT 800199436-4"
    assert view.counterparty.role == "Adquiriente"
    assert view.counterparty.address_lines == (
        "Calle 10 # 43-12", "Medellín (Antioquia), Colombia", "Código postal 050021",
    )
    assert view.issuer.responsibilities == "O-13 Gran contribuyente, O-15 Autorretenedor"
    assert view.resolution_text == (
        "Numeración autorizada por la DIAN: Resolución N° 18760000001 del 19/01/2019, "
        "prefijo SETP del 990000000 al 995000000, vigencia desde el 19/01/2019 hasta el "
        "19/01/2030."
    )
    assert view.environment_banner is not None  # the samples are habilitación documents


def test_dates_payment_and_status_rows() -> None:
    info = {r.label: r.value for r in document_view(graphic_data(samples.invoice(ISSUED_AT))).info}
    assert info["Fecha y hora de generación"] == "22/11/2026 10:30:00"
    assert info["Fecha y hora de firma"] == "22/11/2026 10:30:02"
    assert info["Fecha y hora de validación DIAN"] == "22/11/2026 10:30:09"
    assert info["Estado DIAN"] == "Aceptado por la DIAN"
    assert (info["Forma de pago"], info["Medio de pago"]) == ("Crédito", "Consignación bancaria")
    assert info["Fecha de vencimiento"] == "15/01/2027"


def test_times_are_printed_in_bogota_whatever_zone_they_come_in() -> None:
    from datetime import UTC

    data = replace(graphic_data(samples.invoice(ISSUED_AT)), signed_at=SIGNED_AT.astimezone(UTC))
    info = {r.label: r.value for r in document_view(data).info}
    assert info["Fecha y hora de firma"] == "22/11/2026 10:30:02"


def test_validation_time_is_pending_until_dian_accepts() -> None:
    data = graphic_data(samples.invoice(ISSUED_AT), validated=False)
    info = {r.label: r.value for r in document_view(data).info}
    assert info["Fecha y hora de validación DIAN"] == "Pendiente"


def test_tax_summary_has_one_row_per_tax_and_rate() -> None:
    view = document_view(graphic_data(samples.invoice(ISSUED_AT, line_count=10)))
    rows = [(t.name, t.rate, t.base, t.amount) for t in view.taxes]
    assert rows == [
        ("IVA", "0 %", "$ 90.000,00", "$ 0,00"),
        ("IVA", "5 %", "$ 87.602,00", "$ 4.380,10"),
        ("IVA", "19 %", "$ 348.000,00", "$ 66.120,00"),
        ("INC", "8 %", "$ 120.000,00", "$ 9.600,00"),
    ]
    assert [(w.name, w.rate, w.amount) for w in view.withholdings] == [
        ("ReteFuente", "4 %", "$ 9.600,00")
    ]
    assert view.withholding_total == "$ 9.600,00"


def test_totals_are_those_of_compute_totals() -> None:
    document = samples.invoice(ISSUED_AT)
    totals = compute_totals(document)
    view = document_view(graphic_data(document))
    rows = {r.label: r.value for r in view.totals}
    assert rows == {
        "Valor bruto": "$ 324.301,00",
        "Descuentos": "-$ 1.500,00",
        "Subtotal": "$ 322.801,00",
        "IVA": "$ 35.250,05",
        "INC": "$ 4.800,00",
    }
    assert totals.payable == Decimal("362851.05")
    assert view.payable == "$ 362.851,05"
    assert view.amount_words == (
        "TRESCIENTOS SESENTA Y DOS MIL OCHOCIENTOS CINCUENTA Y UN PESOS "
        "CON CINCO CENTAVOS M/CTE"
    )


def test_lines_show_code_unit_discount_tax_and_total() -> None:
    first, *_, last = document_view(graphic_data(samples.invoice(ISSUED_AT))).lines
    assert (first.code, first.quantity, first.unit, first.unit_price) == (
        "P-001", "3", "unidad", "18.500,00",
    )
    assert (first.discount, first.taxes, first.total) == ("1.500,00", "IVA 19 %", "54.000,00")
    assert first.detail == "Descuento por volumen"
    assert (last.quantity, last.total) == ("1,5", "120.000,00")


def test_credit_note_prints_the_corrected_invoice_and_concept(invoice_code: str) -> None:
    view = document_view(graphic_data(samples.credit_note(ISSUED_AT, invoice_code)))
    assert view.title == "Nota crédito electrónica"
    assert view.unique_code_label == "CUDE"
    assert view.resolution_text is None
    assert {r.label: r.value for r in view.reference} == {
        "Documento referenciado": "SETP990000001",
        "CUFE del documento referenciado": invoice_code,
        "Fecha de emisión del referenciado": "22/11/2026",
        "Concepto de corrección": "1 · Devolución parcial de los bienes y/o no aceptación "
        "parcial del servicio",
        "Descripción de la corrección": "Devolución parcial de mercancía",
    }


def test_debit_note_concept_comes_from_the_debit_list(invoice_code: str) -> None:
    view = document_view(graphic_data(samples.debit_note(ISSUED_AT, invoice_code)))
    assert view.title == "Nota débito electrónica"
    assert dict((r.label, r.value) for r in view.reference)["Concepto de corrección"] == (
        "1 · Intereses"
    )


def test_support_document_swaps_roles_and_prints_cuds() -> None:
    view = document_view(graphic_data(samples.support_document(ISSUED_AT)))
    assert view.title.startswith("Documento soporte en adquisiciones efectuadas a sujetos no")
    assert view.unique_code_label == "CUDS"
    assert view.issuer.role == "Adquiriente (emisor)"
    assert view.counterparty.identification == "Cédula de ciudadanía 1020304050"
    assert view.resolution_text is not None
    adjustment = samples.support_adjustment(ISSUED_AT, "a" * 96)
    adjusted = document_view(graphic_data(adjustment))
    assert adjusted.title.startswith("Nota de ajuste al documento soporte")
    assert adjusted.reference[1].label == "CUDS del documento referenciado"


def test_contingency_legend_only_for_contingency_invoices() -> None:
    contingency = replace(samples.invoice(ISSUED_AT), invoice_type="04")
    view = document_view(graphic_data(contingency, validated=False))
    assert view.contingency_legend == CONTINGENCY_LEGENDS["04"]
    assert "contingencia" in view.contingency_legend and "48 horas" in view.contingency_legend
    assert view.unique_code_label == "CUFE"
    assert document_view(graphic_data(samples.invoice(ISSUED_AT))).contingency_legend is None


def test_export_invoice_prints_currency_rate_and_pesos() -> None:
    view = document_view(graphic_data(samples.export_invoice(ISSUED_AT)))
    assert view.title == "Factura electrónica de exportación"
    assert view.payable == "USD 13.778,75"
    assert view.amount_words.endswith("DÓLARES ESTADOUNIDENSES CON 75/100")
    rows = {r.label: r.value for r in view.currency_rows}
    assert rows["Tasa de cambio"] == "1 USD = $ 4.012,35 COP (22/11/2026)"
    assert rows["Total en pesos"] == "$ 55.285.167,56"  # 13778.75 x 4012.35, to the cent
    info = {r.label: r.value for r in view.info}
    assert info["INCOTERM"] == "FOB · Franco a bordo, Puerto de Cartagena, Colombia"
    assert view.counterparty.identification == "NIT de otro país 981234567"
    assert view.lines[0].detail == "Marca: Loggro Origen · Modelo: Excelso EP 70 kg"


def test_final_consumer_is_named_as_such() -> None:
    from loggro_app.dian import Party

    consumer = Party("Consumidor final", "13", "222222222222")
    view = document_view(graphic_data(replace(samples.invoice(ISSUED_AT), counterparty=consumer)))
    assert view.counterparty.identification == "Consumidor final 222222222222"


def test_qr_text_is_the_one_signed_into_the_xml(signer_free_xml: bytes) -> None:
    data = graphic_data(samples.invoice(ISSUED_AT))
    qr = etree.fromstring(signer_free_xml).findtext(f".//{{{STS}}}QRCode")
    assert qr == data.qr_text
    assert data.qr_text.endswith("documentkey=" + data.unique_code)
    assert "ValTolFac: 362851.05" in data.qr_text.splitlines()


@pytest.fixture()
def signer_free_xml() -> bytes:
    document = samples.invoice(ISSUED_AT)
    return build_document(document, signer=None, clock=FixedClock(ISSUED_AT)).xml_bytes


def test_graphic_data_refuses_malformed_codes_and_naive_times() -> None:
    document = samples.invoice(ISSUED_AT)
    good = graphic_data(document)
    with pytest.raises(ValueError, match="unique_code"):
        replace(good, unique_code="ABC")
    with pytest.raises(ValueError, match="scheme_name"):
        replace(good, scheme_name="CUFE-SHA1")
    with pytest.raises(ValueError, match="signed_at"):
        replace(good, signed_at=SIGNED_AT.replace(tzinfo=None))
    assert GraphicData.of(
        document, unique_code=good.unique_code, scheme_name=good.scheme_name,
        signed_at=SIGNED_AT, provider=PROVIDER, dian_status="x",
    ).validated_at is None


def test_software_provider_line_carries_nit_with_dv() -> None:
    assert PROVIDER.line == (
        "Software: Loggro FE · Proveedor tecnológico: Loggro S.A.S. NIT 900123456-8"
    )

"""Each DIAN rule the core reports: a case that triggers it (code and field asserted) and a
case at its edge that passes. `rule_tests.py` indexes these tests by rule code."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree

from loggro_app.core.errors import ValidationError
from loggro_app.dian import demo, samples
from loggro_app.dian.model.document import Document
from loggro_app.dian.model.lines import AllowanceCharge, Line
from loggro_app.dian.model.parties import Party
from loggro_app.dian.rules import xml as xml_rules
from loggro_app.dian.rules.document import check_document, raise_for
from loggro_app.dian.rules.export import export_violations
from loggro_app.dian.rules.violations import Violation
from loggro_app.dian.signing.verify import total_errors, verify_xml
from loggro_app.dian.totals import Totals, compute_totals
from loggro_app.dian.ubl.documents import build_unsigned
from loggro_app.dian.xmlns import XPATH_NS
from tests.unit.dian.conftest import ISSUED_AT
from tests.unit.dian.test_golden import golden_path

D = Decimal
DAY = ISSUED_AT.date()
ONE_DAY = timedelta(days=1)
FIRST, LAST = demo.RESOLUTION_FROM, demo.RESOLUTION_TO


def _found(
    document: Document, signing_date: date = DAY, totals: Totals | None = None
) -> list[tuple[str | None, str | None]]:
    found = check_document(document, totals or compute_totals(document), signing_date=signing_date)
    return [(v.code, v.field) for v in found]


def _with_validity(valid_from: date, valid_to: date) -> Document:
    document = samples.invoice(ISSUED_AT)
    resolution = dataclasses.replace(document.resolution, valid_from=valid_from, valid_to=valid_to)
    return dataclasses.replace(document, resolution=resolution)


def _forced(instance: object, **values: object) -> object:
    """A copy with fields the model would refuse: what a document read from elsewhere (or
    built by an older version) may still carry, which the local rules must catch."""
    forced = copy.copy(instance)
    for name, value in values.items():
        object.__setattr__(forced, name, value)
    return forced


# --- numbering: FAD05b, FAD05c, FAB07a, FAB07b -------------------------------------------


def test_fad05b_number_below_the_range() -> None:
    assert _found(samples.invoice(ISSUED_AT, number=FIRST - 1)) == [("FAD05b", "numero")]
    assert _found(samples.invoice(ISSUED_AT, number=FIRST)) == []


def test_fad05c_number_above_the_range() -> None:
    assert _found(samples.invoice(ISSUED_AT, number=LAST + 1)) == [("FAD05c", "numero")]
    assert _found(samples.invoice(ISSUED_AT, number=LAST)) == []


def test_fab07a_issued_before_the_validity() -> None:
    far = date(2030, 1, 1)
    assert _found(_with_validity(DAY + ONE_DAY, far)) == [("FAB07a", "fecha_emision")]
    assert _found(_with_validity(DAY, far)) == []


def test_fab07b_issued_after_the_validity() -> None:
    old = date(2019, 1, 1)
    assert _found(_with_validity(old, DAY - ONE_DAY)) == [("FAB07b", "fecha_emision")]
    assert _found(_with_validity(old, DAY)) == []


def test_wrong_prefix_names_its_field() -> None:
    document = dataclasses.replace(samples.invoice(ISSUED_AT), prefix="SETT")
    assert _found(document) == [(None, "prefijo")]


def test_notes_are_not_checked_against_a_resolution() -> None:
    note = samples.credit_note(ISSUED_AT, "a" * 96, number=FIRST - 1)
    assert note.resolution is None and _found(note) == []
    with_resolution = _forced(note, resolution=samples.resolution())
    assert _found(with_resolution) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("number", "valid_from", "valid_to", "expected"),
    [
        (FIRST - 1, date(2019, 1, 1), date(2030, 1, 1), "[FAD05b] El número 989999999 es"),
        (LAST + 1, date(2019, 1, 1), date(2030, 1, 1), "[FAD05c] El número 995000001 sup"),
        (FIRST, DAY + ONE_DAY, date(2030, 1, 1), "[FAB07a] Emitido (2026-11-22) antes "),
        (LAST, date(2019, 1, 1), DAY - ONE_DAY, "[FAB07b] Emitido (2026-11-22) despu"),
        (FIRST, DAY, DAY, None),  # first number, one-day validity: all at the edge
        (LAST, DAY, DAY, None),
    ],
)
def test_numbering_rules_read_from_the_xml(
    number: int, valid_from: date, valid_to: date, expected: str | None
) -> None:
    document = _with_validity(valid_from, valid_to)
    root = build_unsigned(dataclasses.replace(document, number=number)).root
    errors = xml_rules.numbering_errors(root)
    if expected is None:
        assert errors == []
    else:
        [error] = errors
        assert error.startswith(expected)


def test_an_xml_number_without_the_authorised_prefix() -> None:
    root = build_unsigned(samples.invoice(ISSUED_AT)).root
    root.find("cbc:ID", XPATH_NS).text = "SETT990000001"  # type: ignore[union-attr]
    assert xml_rules.numbering_errors(root) == [
        "El número SETT990000001 no tiene el prefijo autorizado 'SETP'."
    ]
    root.find("cbc:ID", XPATH_NS).text = "SETP99000000X"  # type: ignore[union-attr]
    assert xml_rules.numbering_errors(root)[0].startswith("El número SETP99000000X no tiene")


# --- dates: FAD09e and ours ---------------------------------------------------------------


def test_fad09e_signed_on_another_day() -> None:
    document = samples.invoice(ISSUED_AT)
    assert _found(document, DAY + ONE_DAY) == [("FAD09e", "fecha_emision")]
    assert _found(document, DAY - ONE_DAY) == [("FAD09e", "fecha_emision")]
    assert _found(document, DAY) == []


def test_fad09e_read_from_the_xml_signing_time() -> None:
    root = build_unsigned(samples.invoice(ISSUED_AT)).root
    signing = etree.SubElement(root, "{http://uri.etsi.org/01903/v1.3.2#}SigningTime")
    signing.text = "2026-11-22T23:59:59-05:00"
    assert xml_rules.date_errors(root) == []
    signing.text = "2026-11-23T00:00:00-05:00"
    assert xml_rules.date_errors(root) == [
        "[FAD09e] Fecha de firma 2026-11-23 distinta de la fecha de emisión 2026-11-22."
    ]


def test_due_date_may_be_the_issue_date_but_not_before() -> None:
    document = samples.invoice(ISSUED_AT)
    for due, expected in ((DAY, []), (DAY - ONE_DAY, [(None, "pago.fecha_vencimiento")])):
        payment = dataclasses.replace(document.payment, due_date=due)
        assert _found(dataclasses.replace(document, payment=payment)) == expected


def test_exchange_rate_may_be_of_the_issue_date_but_not_later() -> None:
    document = samples.export_invoice(ISSUED_AT)
    for rate_date, expected in ((DAY, []), (DAY + ONE_DAY, [(None, "tasa_cambio_fecha")])):
        assert _found(dataclasses.replace(document, exchange_rate_date=rate_date)) == expected


def test_a_note_dated_before_its_referenced_document() -> None:
    note = samples.credit_note(ISSUED_AT, "a" * 96)
    for referenced, expected in ((DAY, []), (DAY + ONE_DAY, [(None, "referencia.fecha")])):
        reference = dataclasses.replace(note.reference, issue_date=referenced)
        assert _found(dataclasses.replace(note, reference=reference)) == expected


# --- parties: FAK61, DSAK24b, FAK24, FAL07 and ours ----------------------------------------


def test_fak61_natural_person_buyer_without_identification() -> None:
    document = samples.invoice(ISSUED_AT)
    natural = dataclasses.replace(document.counterparty, organization_type="2")
    assert _found(dataclasses.replace(document, counterparty=natural)) == []
    no_id = _forced(document, counterparty=_forced(natural, id_number=""))
    assert _found(no_id) == [("FAK61", "adquirente.identificacion")]  # type: ignore[arg-type]
    # A company without identification is not FAK61 (the model refuses it anyway).
    company = _forced(document, counterparty=_forced(document.counterparty, id_number=""))
    assert _found(company) == []  # type: ignore[arg-type]


def test_dsak24b_support_document_seller_nit_without_dv() -> None:
    document = samples.support_document(ISSUED_AT)
    nit_seller = dataclasses.replace(
        document.counterparty, id_type="31", id_number="800199436", dv=4
    )
    with_dv = dataclasses.replace(document, counterparty=nit_seller)
    assert _found(with_dv) == []
    no_dv = _forced(with_dv, counterparty=_forced(nit_seller, dv=None))
    assert _found(no_dv) == [("DSAK24b", "vendedor.dv")]  # type: ignore[arg-type]
    # On an invoice the same party is the buyer: no DSAK24b there.
    invoice = samples.invoice(ISSUED_AT)
    assert _found(_forced(invoice, counterparty=_forced(invoice.counterparty, dv=None))) == []  # type: ignore[arg-type]


def test_issuer_without_address() -> None:
    document = samples.invoice(ISSUED_AT)
    issuer = dataclasses.replace(document.issuer, address=None)
    assert _found(dataclasses.replace(document, issuer=issuer)) == [(None, "emisor.direccion")]


def test_buyer_email_is_required_on_invoices_only() -> None:
    invoice = samples.invoice(ISSUED_AT)
    no_mail = dataclasses.replace(invoice.counterparty, email=None)
    assert _found(dataclasses.replace(invoice, counterparty=no_mail)) == [
        (None, "adquirente.correo")
    ]
    note = samples.credit_note(ISSUED_AT, "a" * 96)
    assert _found(dataclasses.replace(note, counterparty=no_mail)) == []
    final = Party("Consumidor final", "13", "222222222222", organization_type="2")
    assert _found(dataclasses.replace(invoice, counterparty=final)) == []


def test_fak24_and_fal07_dv_of_a_nit() -> None:
    buyer = samples.buyer()
    with pytest.raises(ValidationError) as caught:
        dataclasses.replace(buyer, dv=5)
    assert list(caught.value.errors) == ["dv"] and "(regla FAK24)" in caught.value.errors["dv"]
    with pytest.raises(ValidationError) as caught:
        dataclasses.replace(buyer, dv=None)
    assert list(caught.value.errors) == ["dv"] and "(regla FAL07)" in caught.value.errors["dv"]
    assert dataclasses.replace(buyer, dv=4).dv == 4  # the right DV passes
    assert dataclasses.replace(buyer, id_type="13", dv=None).dv is None  # a cédula has none


def test_fak24_read_from_the_xml() -> None:
    root = build_unsigned(samples.invoice(ISSUED_AT)).root
    assert xml_rules.dv_errors(root) == []
    node = root.xpath("//*[@schemeName='31'][.='800199436']", namespaces=XPATH_NS)[0]
    node.set("schemeID", "5")
    assert xml_rules.dv_errors(root) == [
        f"[FAK24] El DV 5 no corresponde al NIT 800199436 ({etree.QName(node).localname})."
    ]


# --- totals: FAU02, FAU06, FAU14, VLR01 and ours --------------------------------------------


def test_fau02_lines_do_not_add_up() -> None:
    document = samples.invoice(ISSUED_AT)
    totals = compute_totals(document)
    assert _found(document, totals=totals) == []
    wrong = dataclasses.replace(totals, line_extension=totals.line_extension + D("0.01"))
    assert _found(document, totals=wrong) == [("FAU02", "lineas")]


def test_zero_payable_on_an_invoice_only() -> None:
    free = (Line("X", "Muestra gratis", D("1"), D("0")),)
    cent = (Line("X", "Casi gratis", D("1"), D("0.01")),)
    invoice = samples.invoice(ISSUED_AT)
    assert _found(dataclasses.replace(invoice, lines=free)) == [(None, "total")]
    assert _found(dataclasses.replace(invoice, lines=cent)) == []
    note = samples.credit_note(ISSUED_AT, "a" * 96)
    assert _found(dataclasses.replace(note, lines=free)) == []


def _amount(root: etree._Element, name: str) -> etree._Element:
    return root.xpath(f"cac:LegalMonetaryTotal/cbc:{name}", namespaces=XPATH_NS)[0]


def _add_cent(node: etree._Element) -> None:
    node.text = str(D(node.text or "0") + D("0.01"))


def test_fau02_fau06_fau14_read_from_the_xml() -> None:
    root = build_unsigned(samples.invoice(ISSUED_AT)).root
    assert total_errors(root) == []
    line = root.xpath("cac:InvoiceLine[1]/cbc:LineExtensionAmount", namespaces=XPATH_NS)[0]
    _add_cent(line)
    [error] = total_errors(root)
    assert error.startswith("[FAU02] La suma de las líneas (")
    _add_cent(_amount(root, "LineExtensionAmount"))  # lines add up again; taxes do not
    [error] = total_errors(root)
    assert error == "[FAU06] TaxInclusiveAmount no es la base más los impuestos."
    _add_cent(_amount(root, "TaxInclusiveAmount"))  # now the payable does not follow
    [error] = total_errors(root)
    assert error.startswith("[FAU14] PayableAmount (")
    _add_cent(_amount(root, "PayableAmount"))
    assert total_errors(root) == []
    _add_cent(_amount(root, "PayableAmount"))
    [error] = total_errors(root)
    assert error.startswith("[FAU14] PayableAmount (")


def test_vlr01_negative_amounts() -> None:
    line = Line("X", "Item", D("1"), D("100"), allowances=(AllowanceCharge(D("100.00"), "Todo"),))
    invoice = samples.invoice(ISSUED_AT)
    assert compute_totals(dataclasses.replace(invoice, lines=(line,))).payable == 0
    over = dataclasses.replace(line, allowances=(AllowanceCharge(D("100.01"), "Más"),))
    with pytest.raises(ValidationError) as caught:
        compute_totals(dataclasses.replace(invoice, lines=(line, over)))
    assert list(caught.value.errors) == ["lineas[2]"]
    assert "regla VLR01" in caught.value.errors["lineas[2]"]
    payable = compute_totals(invoice).payable
    assert compute_totals(dataclasses.replace(invoice, prepaid=payable)).payable == 0
    with pytest.raises(ValidationError) as caught:
        compute_totals(dataclasses.replace(invoice, prepaid=payable + D("0.01")))
    assert caught.value.errors == {"total": (
        "total: descuentos globales y anticipos superan el total del documento (regla VLR01).")}
    with pytest.raises(ValidationError) as caught:
        dataclasses.replace(line, quantity=D("-1"))
    assert caught.value.errors == {"cantidad": "cantidad: no puede ser negativo (regla VLR01)."}


# --- notes: CAE02, CAE04 ----------------------------------------------------------------------


def test_cae02_cae04_note_without_reference_needs_a_period() -> None:
    note = samples.debit_note(ISSUED_AT, "a" * 96)
    with pytest.raises(ValidationError) as caught:
        dataclasses.replace(note, reference=None)
    assert list(caught.value.errors) == ["periodo"]
    assert "(reglas CAE02/CAE04)" in caught.value.errors["periodo"]
    period = (DAY - timedelta(days=30), DAY)
    assert dataclasses.replace(note, reference=None, period=period).period == period


# --- environment: FAB36 -------------------------------------------------------------------------


def test_fab36_qr_of_another_document_or_environment() -> None:
    root = build_unsigned(dataclasses.replace(samples.invoice(ISSUED_AT), environment=1)).root
    assert xml_rules.environment_errors(root) == []
    qr = root.xpath("//sts:QRCode", namespaces=XPATH_NS)[0]
    uuid = root.find("cbc:UUID", XPATH_NS).text  # type: ignore[union-attr]
    qr.text = qr.text.replace(uuid, "0" * 96)
    assert xml_rules.environment_errors(root) == [
        "[FAB36] El código QR no contiene el CUFE/CUDE del documento."
    ]
    qr.text = qr.text.replace("0" * 96, uuid).replace("catalogo-vpfe.", "catalogo-vpfe-hab.")
    assert xml_rules.environment_errors(root) == [
        "[FAB36] El código QR no apunta al catálogo del ambiente 1."
    ]


def test_uuid_scheme_must_be_the_environment() -> None:
    root = build_unsigned(samples.invoice(ISSUED_AT)).root
    root.find("cbc:UUID", XPATH_NS).set("schemeID", "1")  # type: ignore[union-attr]
    assert xml_rules.environment_errors(root) == ["UUID/@schemeID no coincide con el ambiente 2."]


# --- unique codes: FAD06, CAD06, DAD06, DSAD06, AAD06 -------------------------------------------


@pytest.mark.parametrize(
    ("kind", "secret", "code"),
    [
        ("invoice", demo.TECHNICAL_KEY, "FAD06"),
        ("credit_note", demo.SOFTWARE_PIN, "CAD06"),
        ("debit_note", demo.SOFTWARE_PIN, "DAD06"),
        ("support_document", demo.SOFTWARE_PIN, "DSAD06"),
        ("support_adjustment", demo.SOFTWARE_PIN, "DSAD06"),
        ("application_response", demo.SOFTWARE_PIN, "AAD06"),
    ],
)
def test_unique_code_mismatch_per_document_type(kind: str, secret: str, code: str) -> None:
    data = golden_path(kind).read_bytes()
    assert verify_xml(data, secret=secret).errors == []
    assert verify_xml(data, secret=secret + "0").errors == [
        f"[{code}] El CUFE/CUDE/CUDS no corresponde a los valores del documento."
    ]


# --- how violations are grouped and raised -------------------------------------------------------


def test_check_document_runs_every_group() -> None:
    document = samples.export_invoice(ISSUED_AT, number=LAST + 1)
    issuer = dataclasses.replace(document.issuer, address=None)
    free = tuple(
        dataclasses.replace(line, unit_price=D("0"), allowances=()) for line in document.lines
    )
    broken = _forced(
        dataclasses.replace(document, issuer=issuer, lines=free), delivery_terms=None
    )
    assert _found(broken, DAY + ONE_DAY) == [  # type: ignore[arg-type]
        ("FAD05c", "numero"),
        ("FAD09e", "fecha_emision"),
        (None, "emisor.direccion"),
        (None, "total"),
        (None, "condiciones_entrega"),
    ]


def test_raise_for_keys_by_code_then_field_then_position() -> None:
    raise_for([])
    with pytest.raises(ValidationError) as caught:
        raise_for(
            [
                Violation("FAD05c", "Fuera de rango.", "Pida otra resolución.", "numero"),
                Violation(None, "Sin correo.", "Regístrelo.", "adquirente.correo"),
                Violation(None, "Otra.", "Corríjala."),
            ]
        )
    assert caught.value.errors == {
        "FAD05c": "[FAD05c] Fuera de rango. — Pida otra resolución.",
        "adquirente.correo": "Sin correo. — Regístrelo.",
        "regla_3": "Otra. — Corríjala.",
    }


# --- what the user reads: every message and hint, word for word ---------------------------


def _said(violations: list[Violation]) -> list[tuple[str, str | None]]:
    return [(str(v), v.field) for v in violations]


def test_document_rules_word_for_word() -> None:
    invoice = samples.invoice(ISSUED_AT, number=LAST + 1)
    buyer = _forced(invoice.counterparty, organization_type="2", id_number="", email=None)
    broken = _forced(
        invoice,
        resolution=dataclasses.replace(invoice.resolution, valid_to=DAY - ONE_DAY),
        payment=dataclasses.replace(invoice.payment, due_date=DAY - ONE_DAY),
        issuer=dataclasses.replace(invoice.issuer, address=None),
        counterparty=buyer,
        lines=(Line("X", "Gratis", D("1"), D("0")),),
    )
    totals = dataclasses.replace(compute_totals(broken), line_extension=D("0.01"))  # type: ignore[arg-type]
    found = check_document(broken, totals, signing_date=DAY + ONE_DAY)  # type: ignore[arg-type]
    assert _said(found) == [
        ("[FAD05c] El número 995000001 supera el final del rango autorizado (995000000). — "
         "Solicite una nueva resolución de numeración a la DIAN.", "numero"),
        ("[FAB07b] La resolución venció el 2026-11-21; la fecha de emisión es 2026-11-22. — "
         "Solicite una nueva resolución y asocie su prefijo al software.", "fecha_emision"),
        ("[FAD09e] La fecha de emisión (2026-11-22) difiere de la fecha de firma (2026-11-23)."
         " — Genere y firme el documento el mismo día.", "fecha_emision"),
        ("La fecha de vencimiento 2026-11-21 es anterior a la emisión. — "
         "Corrija la fecha de vencimiento del pago.", "pago.fecha_vencimiento"),
        ("[FAK61] Adquirente persona natural sin identificación. — "
         "Informe el documento de identidad del adquirente.", "adquirente.identificacion"),
        ("El emisor no tiene dirección. — Registre la dirección y el municipio del emisor.",
         "emisor.direccion"),
        ("El adquirente no tiene correo electrónico. — "
         "Registre el correo donde recibe facturas electrónicas.", "adquirente.correo"),
        ("El total a pagar es cero. — Revise precios, descuentos y anticipos.", "total"),
        ("[FAU02] El total de líneas no suma. — Error interno: reporte.", "lineas"),
    ]
    early = dataclasses.replace(
        samples.invoice(ISSUED_AT, number=1),
        prefix="SETT",
        resolution=dataclasses.replace(
            invoice.resolution, valid_from=DAY + ONE_DAY, valid_to=DAY + ONE_DAY
        ),
    )
    assert _said(check_document(early, compute_totals(early), signing_date=DAY)) == [
        ("El prefijo 'SETT' no es el de la resolución 'SETP'. — "
         "Use el prefijo autorizado en la resolución.", "prefijo"),
        ("[FAD05b] El número 1 es menor que el inicio del rango autorizado (990000000). — "
         "Use un consecutivo dentro del rango de la resolución.", "numero"),
        ("[FAB07a] La fecha de emisión 2026-11-22 es anterior a la vigencia de la resolución "
         "(2026-11-23). — Emita dentro de la vigencia de la resolución.", "fecha_emision"),
    ]


def test_date_and_seller_rules_word_for_word() -> None:
    export = samples.export_invoice(ISSUED_AT)
    late_rate = dataclasses.replace(export, exchange_rate_date=DAY + ONE_DAY)
    note = samples.credit_note(ISSUED_AT, "a" * 96)
    later = dataclasses.replace(note.reference, issue_date=DAY + ONE_DAY)
    support = samples.support_document(ISSUED_AT)
    no_dv = _forced(support, counterparty=_forced(support.counterparty, id_type="31", dv=None))
    found = [
        *check_document(late_rate, compute_totals(export), signing_date=DAY),
        *check_document(dataclasses.replace(note, reference=later), compute_totals(note),
                        signing_date=DAY),
        *check_document(no_dv, compute_totals(support), signing_date=DAY),  # type: ignore[arg-type]
    ]
    assert _said(found) == [
        ("La tasa de cambio es del 2026-11-23, posterior a la emisión (2026-11-22). — "
         "Use la tasa de cambio (TRM) vigente en la fecha de emisión o una anterior.",
         "tasa_cambio_fecha"),
        ("El documento referenciado es posterior a la nota. — "
         "Verifique la fecha de la factura referenciada.", "referencia.fecha"),
        ("[DSAK24b] Vendedor con NIT sin DV. — Informe el DV del NIT.", "vendedor.dv"),
    ]


def test_export_rules_word_for_word() -> None:
    export = samples.export_invoice(ISSUED_AT)
    first, second = export.lines
    everything = _forced(
        export,
        counterparty=_forced(export.counterparty, address=None, id_type="31"),
        currency="COP",
        delivery_terms=None,
        lines=(_forced(first, brand=None), _forced(second, model=" ")),
    )
    in_colombia = _forced(
        export,
        counterparty=_forced(export.counterparty, address=samples.buyer().address),
        exchange_rate=D("0"),
    )
    found = [*export_violations(everything), *export_violations(in_colombia)]  # type: ignore[arg-type]
    assert _said(found) == [
        ("La factura de exportación no tiene la dirección del adquirente. — Informe país "
         "(distinto de CO), ciudad y dirección del comprador del exterior.",
         "adquirente.direccion"),
        ("El adquirente se identifica con tipo 31 (NIT), que no es una identificación del "
         "exterior. — Use 50 (NIT de otro país), 42 (documento de identificación extranjero) "
         "o 41 (pasaporte).", "adquirente.tipo_identificacion"),
        ("La factura de exportación no informa la moneda extranjera y su tasa de cambio "
         "(cac:PaymentExchangeRate). — Informe la moneda pactada con el comprador (ej. USD) y "
         "la tasa de cambio en pesos por unidad (ej. 4012.35).", "moneda"),
        ("La factura de exportación no informa las condiciones de entrega (INCOTERMS, "
         "cac:DeliveryTerms). — Informe el INCOTERM pactado (ej. FOB, CIF, EXW) y, si aplica, "
         "el lugar.", "condiciones_entrega"),
        ("La línea 1 (CAF-EXP-70) no tiene marca (cbc:BrandName), obligatoria en las líneas de "
         "una factura de exportación. — Informe la marca del producto exportado en la línea 1.",
         "lineas[1].marca"),
        ("La línea 2 (ART-MOCH-01) no tiene modelo (cbc:ModelName), obligatorio en las líneas "
         "de una factura de exportación. — Informe el modelo del producto exportado en la "
         "línea 2.", "lineas[2].modelo"),
        ("El adquirente de una factura de exportación está en Colombia (país CO). — Registre el "
         "país del comprador del exterior, o emita una factura de venta nacional (tipo 01) si "
         "el comprador está en Colombia.", "adquirente.pais"),
        ("La tasa de cambio 0 no es positiva. — Informe cuántos pesos vale 1 unidad de la "
         "moneda (TRM del día).", "tasa_cambio"),
    ]
    # A foreign currency without its rate is the same violation as pesos.
    assert _said(export_violations(_forced(export, exchange_rate=None)))[0][1] == "moneda"  # type: ignore[arg-type]
    assert export_violations(samples.invoice(ISSUED_AT)) == []


def test_export_rules_read_from_the_xml() -> None:
    root = build_unsigned(samples.export_invoice(ISSUED_AT)).root
    assert xml_rules.export_errors(root) == []
    country = "cac:AccountingCustomerParty/cac:Party/cac:PhysicalLocation//cbc:IdentificationCode"
    root.xpath(country, namespaces=XPATH_NS)[0].text = "CO"
    root.find("cac:PaymentExchangeRate/cbc:SourceCurrencyCode", XPATH_NS).text = "EUR"  # type: ignore[union-attr]
    root.xpath("cac:InvoiceLine[1]/cac:Item/cbc:BrandName", namespaces=XPATH_NS)[0].text = ""
    assert xml_rules.export_errors(root) == [
        "Exportación: el adquirente no tiene un país del exterior.",
        "Exportación: falta la tasa de cambio de USD a COP.",
        "Exportación: la línea 1 no tiene BrandName.",
    ]
    country_node = root.xpath(country, namespaces=XPATH_NS)[0]
    country_node.getparent().remove(country_node)  # no country at all is not abroad either
    assert xml_rules.export_errors(root)[0] == (
        "Exportación: el adquirente no tiene un país del exterior.")
    root.find("cbc:InvoiceTypeCode", XPATH_NS).text = "01"  # type: ignore[union-attr]
    assert xml_rules.export_errors(root) == []  # a domestic invoice needs none of it


def test_an_exchange_rate_below_one_is_still_positive() -> None:
    export = samples.export_invoice(ISSUED_AT)
    for rate in (D("1"), D("0.27")):  # a currency worth less than a peso
        assert export_violations(dataclasses.replace(export, exchange_rate=rate)) == []


def test_fab36_checks_the_catalogue_host_not_its_path() -> None:
    root = build_unsigned(dataclasses.replace(samples.invoice(ISSUED_AT), environment=1)).root
    qr = root.xpath("//sts:QRCode", namespaces=XPATH_NS)[0]
    qr.text = qr.text.replace("/document/searchqr?", "/Document/ShowDocumentToPublic?")
    assert xml_rules.environment_errors(root) == []

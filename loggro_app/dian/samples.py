"""Sample documents of every kind for the demo issuer (tests, benchmark, sandbox).

Pure data: the caller passes `issued_at` (no wall clock here).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from loggro_app.dian import demo
from loggro_app.dian.model.document import BillingReference, Correction, Document, Kind, Payment
from loggro_app.dian.model.event import Event, Receiver
from loggro_app.dian.model.export import Delivery, DeliveryTerms
from loggro_app.dian.model.lines import AllowanceCharge, Line, TaxRate, Withholding
from loggro_app.dian.model.parties import Address, Party, Resolution, Software

D = Decimal


def issuer() -> Party:
    return Party(
        name=demo.ISSUER_NAME,
        id_type="31",
        id_number=demo.ISSUER_NIT,
        dv=demo.ISSUER_DV,
        responsibilities=("O-13", "O-15"),
        tax_regime="48",
        tax_scheme="01",
        address=Address(
            "Carrera 7 # 71-21", municipality_code=demo.ISSUER_MUNICIPALITY, postal_code="110221"
        ),
        email="facturacion@demo.loggro.co",
        phone="6015550100",
        trade_name="Loggro Demo",
    )


def buyer() -> Party:
    return Party(
        name="Comercializadora Andina & Cía <Ltda>",
        id_type="31",
        id_number="800199436",
        dv=4,
        responsibilities=("R-99-PN",),
        address=Address("Calle 10 # 43-12", municipality_code="05001", postal_code="050021"),
        email="recepcion@andina.example.co",
    )


def seller() -> Party:
    """A natural person not obliged to invoice (documento soporte counterparty)."""
    return Party(
        name="José Pérez Ñáñez",
        id_type="13",
        id_number="1020304050",
        organization_type="2",
        responsibilities=("R-99-PN",),
        tax_regime="49",
        tax_scheme="ZZ",
        address=Address("Vereda El Salitre", municipality_code="25175", postal_code="250001"),
        email="jose.perez@example.co",
    )


def resolution() -> Resolution:
    return Resolution(
        demo.RESOLUTION_NUMBER,
        demo.RESOLUTION_PREFIX,
        demo.RESOLUTION_FROM,
        demo.RESOLUTION_TO,
        demo.RESOLUTION_VALID_FROM,
        demo.RESOLUTION_VALID_TO,
        demo.TECHNICAL_KEY,
    )


def software() -> Software:
    return Software(demo.SOFTWARE_PROVIDER_NIT, demo.SOFTWARE_ID, demo.SOFTWARE_PIN)


def lines(count: int = 5) -> tuple[Line, ...]:
    """Mixed lines: IVA 19/5/0, INC 8, a discount, a withholding."""
    catalog = [
        Line(
            "P-001",
            "Café molido 500 g",
            D("3"),
            D("18500"),
            taxes=(TaxRate("01", D("19")),),
            allowances=(AllowanceCharge(D("1500.00"), "Descuento por volumen"),),
        ),
        Line("P-002", "Arroz 5 kg", D("2"), D("21900.50"), taxes=(TaxRate("01", D("5")),)),
        Line("S-010", "Almuerzo ejecutivo", D("4"), D("15000"), taxes=(TaxRate("04", D("8")),)),
        Line("P-003", "Libro de texto", D("1"), D("45000"), taxes=(TaxRate("01", D("0")),)),
        Line(
            "S-020",
            "Servicio de mantenimiento",
            D("1.5"),
            D("80000"),
            taxes=(TaxRate("01", D("19")),),
            withholdings=(Withholding("06", D("4")),),
        ),
    ]
    return tuple(catalog[i % len(catalog)] for i in range(count))


def invoice(issued_at: datetime, number: int = 990000001, line_count: int = 5) -> Document:
    return Document(
        kind=Kind.INVOICE,
        prefix=demo.RESOLUTION_PREFIX,
        number=number,
        issued_at=issued_at,
        issuer=issuer(),
        counterparty=buyer(),
        lines=lines(line_count),
        software=software(),
        environment=demo.ENVIRONMENT,
        resolution=resolution(),
        payment=Payment("2", "42", date(issued_at.year + 1, 1, 15)),
        notes=("Factura de prueba <habilitación> & demo",),
    )


def foreign_buyer() -> Party:
    """An importer in the United States (NIT de otro país, no DIVIPOLA, no DV)."""
    return Party(
        name="Andes Coffee Importers LLC",
        id_type="50",
        id_number="981234567",
        responsibilities=("R-99-PN",),
        tax_regime="49",
        tax_scheme="ZZ",
        address=Address("350 Fifth Avenue, Suite 5400", country_code="US", city_name="New York"),
        email="ap@andes-coffee.example.com",
    )


def export_lines() -> tuple[Line, ...]:
    """Exported goods in USD: IVA 0 % (exempt, art. 481 E.T.), brand and model per line."""
    return (
        Line(
            "CAF-EXP-70",
            "Café verde excelso, saco de 70 kg",
            D("40"),
            D("315.50"),
            taxes=(TaxRate("01", D("0")),),
            brand="Loggro Origen",
            model="Excelso EP 70 kg",
        ),
        Line(
            "ART-MOCH-01",
            "Mochila arhuaca tejida a mano",
            D("25"),
            D("48.75"),
            taxes=(TaxRate("01", D("0")),),
            allowances=(AllowanceCharge(D("60.00"), "Descuento comercial"),),
            brand="Tejidos de la Sierra",
            model="Arhuaca mediana",
        ),
    )


def export_invoice(issued_at: datetime, number: int = 990000201) -> Document:
    """Factura de exportación (02) in USD, FOB Cartagena, delivered in New Jersey."""
    return Document(
        kind=Kind.INVOICE,
        prefix=demo.RESOLUTION_PREFIX,
        number=number,
        issued_at=issued_at,
        issuer=issuer(),
        counterparty=foreign_buyer(),
        lines=export_lines(),
        software=software(),
        environment=demo.ENVIRONMENT,
        resolution=resolution(),
        invoice_type="02",
        payment=Payment("2", "47", date(issued_at.year + 1, 1, 15)),
        currency="USD",
        exchange_rate=D("4012.35"),
        delivery=Delivery(
            Address("Port Newark Container Terminal", country_code="US", city_name="Newark")
        ),
        delivery_terms=DeliveryTerms("FOB", "Puerto de Cartagena, Colombia"),
        notes=("Exportación de bienes exenta de IVA (art. 481 del Estatuto Tributario).",),
    )


def _reference(invoice_code: str, issued_at: datetime) -> BillingReference:
    return BillingReference(f"{demo.RESOLUTION_PREFIX}990000001", invoice_code, issued_at.date())


def credit_note(issued_at: datetime, invoice_code: str, number: int = 1) -> Document:
    return Document(
        kind=Kind.CREDIT_NOTE,
        prefix=demo.CREDIT_NOTE_PREFIX,
        number=number,
        issued_at=issued_at,
        issuer=issuer(),
        counterparty=buyer(),
        lines=lines(1),
        software=software(),
        environment=demo.ENVIRONMENT,
        reference=_reference(invoice_code, issued_at),
        correction=Correction("1", "Devolución parcial de mercancía"),
    )


def debit_note(issued_at: datetime, invoice_code: str, number: int = 1) -> Document:
    extra = Line("INT-1", "Intereses de mora", D("1"), D("12500"))
    return Document(
        kind=Kind.DEBIT_NOTE,
        prefix=demo.DEBIT_NOTE_PREFIX,
        number=number,
        issued_at=issued_at,
        issuer=issuer(),
        counterparty=buyer(),
        lines=(extra,),
        software=software(),
        environment=demo.ENVIRONMENT,
        reference=_reference(invoice_code, issued_at),
        correction=Correction("1", "Intereses por pago tardío"),
    )


def support_document(issued_at: datetime, number: int = 990000101) -> Document:
    purchase = Line(
        "C-100",
        "Compra de café pergamino",
        D("120"),
        D("9500"),
        unit_code="KGM",
        withholdings=(Withholding("06", D("1.5")),),
    )
    return Document(
        kind=Kind.SUPPORT_DOCUMENT,
        prefix=demo.RESOLUTION_PREFIX,
        number=number,
        issued_at=issued_at,
        issuer=issuer(),
        counterparty=seller(),
        lines=(purchase,),
        software=software(),
        environment=demo.ENVIRONMENT,
        resolution=resolution(),
    )


def support_adjustment(issued_at: datetime, support_code: str, number: int = 1) -> Document:
    adjust = Line("C-100", "Ajuste por peso", D("5"), D("9500"), unit_code="KGM")
    return Document(
        kind=Kind.SUPPORT_ADJUSTMENT,
        prefix=demo.SUPPORT_ADJUSTMENT_PREFIX,
        number=number,
        issued_at=issued_at,
        issuer=issuer(),
        counterparty=seller(),
        lines=(adjust,),
        software=software(),
        environment=demo.ENVIRONMENT,
        reference=BillingReference(
            f"{demo.RESOLUTION_PREFIX}990000101", support_code, issued_at.date(), "CUDS-SHA384"
        ),
        correction=Correction("1", "Devolución parcial"),
    )


def receipt_acknowledgement(issued_at: datetime, invoice_code: str, number: int = 1) -> Event:
    """Event 030 (acuse de recibo) sent by the buyer about the sample invoice."""
    return Event(
        code="030",
        prefix="AR",
        number=number,
        issued_at=issued_at,
        sender=buyer(),
        receiver_party=issuer(),
        invoice_number=f"{demo.RESOLUTION_PREFIX}990000001",
        invoice_uuid=invoice_code,
        software=software(),
        person=Receiver("13", "79123456", "Ana María", "Gómez", "Auxiliar", "Compras"),
    )

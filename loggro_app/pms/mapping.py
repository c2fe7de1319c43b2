"""A PMS document as a *Ventas* form and its customer (pure): the hotel's folio becomes the
same form a person would type, so it is issued by the same rules and the same workflow."""

from __future__ import annotations

from decimal import Decimal

from loggro_app.core.export_sale import HOTEL_ORIGIN
from loggro_app.core.nit import FINAL_CONSUMER_ID
from loggro_app.core.sales import DocumentForm, LineInput
from loggro_app.pms.schema import KIND_CODES, CustomerIn, PmsDocumentIn

FINAL_CONSUMER = CustomerIn(id_type="13", id_number=FINAL_CONSUMER_ID,
                            name="Consumidor final")
ORIGIN = HOTEL_ORIGIN
CATEGORY_CODES = {"lodging": "ALOJ", "breakfast": "DESAY", "food": "ALIM",
                  "minibar": "MINIB", "service": "SERV", "other": "OTRO"}


def _text(amount: Decimal | None) -> str:
    return "" if amount is None else format(amount, "f")


def customer_of(document: PmsDocumentIn) -> CustomerIn:
    """The buyer: the guest or company sent, or *consumidor final* when none is."""
    return document.customer or FINAL_CONSUMER


def form_of(document: PmsDocumentIn, *, customer_id: int,
            reference_id: int | None) -> DocumentForm:
    lines = tuple(
        LineInput(description=line.description, quantity=format(line.quantity, "f"),
                  unit_price=format(line.unit_price, "f"), tax=line.tax,
                  unit_code=line.unit_code, discount=_text(line.discount),
                  item_code=line.code or CATEGORY_CODES[line.category])
        for line in document.lines)
    notes = document.notes
    if document.exemption is not None:
        # The evidence of the exemption travels on the invoice itself, as DIAN's
        # inspectors expect to read it there.
        evidence = document.exemption
        notes = (f"{notes}\n" if notes else "") + (
            "Servicio exento de IVA a extranjero no residente (E.T. art. 481 lit. d). "
            f"Pasaporte {evidence.passport_number}, ingreso al país "
            f"{evidence.entry_date:%d/%m/%Y}, documento migratorio "
            f"{evidence.migration_document}.")
    payment = document.payment
    reference = document.reference
    return DocumentForm(
        kind=KIND_CODES[document.kind], customer_id=customer_id, lines=lines,
        payment_form=payment.form, payment_means=payment.means,
        due_date=payment.due_date.isoformat() if payment.due_date else "",
        notes=notes[:1000], currency=document.currency,
        exchange_rate=_text(document.exchange_rate), reference_id=reference_id,
        concept=reference.concept if reference else "",
        concept_description=reference.description if reference else "",
        tip=_text(document.tip),
    )

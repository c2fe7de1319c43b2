"""Build, sign and validate (without sending) a sample invoice with the organization's own
data: the last step before issuing, catching what DIAN would reject."""

from __future__ import annotations

from sqlmodel import Session, col, select

from loggro_app.core import numbering as rules
from loggro_app.core.clock import Clock, FixedClock, system_clock
from loggro_app.core.errors import ConflictError, ValidationError
from loggro_app.dian import Document, Kind, build_document
from loggro_app.models import Customer, CustomerEmail, Item, PaymentMethod
from loggro_app.services import numbering
from loggro_app.services.certificates import load_signer
from loggro_app.services.dian_link import DianLink, organization_party
from loggro_app.services.dian_mapping import (
    customer_party,
    item_line,
    numbering_resolution,
    payment,
)
from loggro_app.services.organization import get_organization
from loggro_app.services.scope import Scope


def prevalidate(*, session: Session, scope: Scope, link: DianLink,
                clock: Clock = system_clock) -> str:
    """The sample's CUFE when it passes; ValidationError (with DIAN rule codes) otherwise."""
    org_id = scope.organization_id
    active = [r for r in numbering.list_numberings(session=session, scope=scope)
              if r.document_kind == "FE" and numbering.state_of(r, clock)[0] == rules.ACTIVE]
    if not active:
        raise ConflictError("No hay un consecutivo de facturación activo.")
    row = active[0]
    customer = session.exec(select(Customer).join(
        CustomerEmail, col(CustomerEmail.customer_id) == col(Customer.id)).where(
        Customer.organization_id == org_id).order_by(col(Customer.id))).first()
    item = session.exec(select(Item).where(Item.organization_id == org_id)
                        .order_by(col(Item.id))).first()
    method = session.exec(select(PaymentMethod).where(PaymentMethod.organization_id == org_id)
                          .order_by(col(PaymentMethod.id))).first()
    if customer is None or item is None or method is None:
        raise ConflictError("Faltan clientes con correo, productos o formas de pago.")
    emails = [e.email for e in session.exec(select(CustomerEmail).where(
        CustomerEmail.customer_id == customer.id)).all()]
    now = clock()
    document = Document(
        kind=Kind.INVOICE, prefix=row.prefix, number=row.next_number, issued_at=now,
        issuer=organization_party(get_organization(session=session, scope=scope)),
        counterparty=customer_party(customer, emails), lines=(item_line(item),),
        software=link.software, environment=int(link.dian_environment_code),
        resolution=numbering_resolution(row), payment=payment(method),
    )
    try:
        built = build_document(document, signer=load_signer(session=session,
                                                            organization_id=org_id),
                               clock=FixedClock(now))
    except ValidationError as exc:
        raise ValidationError({k: f"{k}: {v}" for k, v in exc.errors.items()}) from None
    return built.unique_code

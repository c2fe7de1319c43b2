"""Demo data, loaded once: a demo organization, its principal user, customers and items.

Run with `python -m loggro_app.seed`; prints the demo credentials. Idempotent.
"""

from __future__ import annotations

import sys

from sqlmodel import Session, select

from loggro_app.core.clock import BOGOTA, Clock, system_clock, to_utc
from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.item_rules import ItemData, PaymentMethodData
from loggro_app.core.nit import compute_dv
from loggro_app.core.passwords import hash_password
from loggro_app.db import get_engine
from loggro_app.models import CashRegister, Organization, User
from loggro_app.services.certificates import install_development_certificate
from loggro_app.services.customers import save_customer
from loggro_app.services.items import save_item
from loggro_app.services.ledger import create_subscription
from loggro_app.services.payment_methods import save_payment_method
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings

DEMO_NIT = "900123456"
DEMO_EMAIL = "demo@loggro.co"
SELLER_EMAIL = "vendedor@loggro.co"
DEMO_PLAN = "fe_estandar"  # 45 documents a month

CUSTOMERS = [
    dict(identification_type="31", identification_number="860069804", name="Hotel Andino S.A.S.",
         address="Carrera 7 # 71-21", municipality_code="11001",
         emails=["facturas@hotelandino.example", "contabilidad@hotelandino.example"]),
    dict(identification_type="13", identification_number="1017123456",
         name="María Fernanda Restrepo", address="Calle 10 # 43-12",
         municipality_code="05001", emails=["mafe.restrepo@correo.example"]),
    dict(identification_type="13", identification_number="222222222222",
         name="Consumidor final", address="Sin dirección", municipality_code="05001",
         send_xml_email=False, emails=[]),
]
ITEMS = [
    ("CAF-250", "Café de origen 250 g", "94", "18500", "IVA_5"),
    ("ALM-001", "Almuerzo ejecutivo", "94", "22000", "INC_8"),
    ("ASE-HOR", "Asesoría contable (hora)", "HUR", "120000", "IVA_19"),
    ("ARR-1KG", "Arroz blanco 1 kg", "KGM", "4800", "IVA_0"),
]
PAYMENT_METHODS = [
    ("Efectivo", "1", "10"),
    ("Tarjeta crédito", "1", "48"),
    ("Transferencia bancaria", "1", "47"),
    ("Crédito 30 días", "2", "ZZZ"),
]


def load_demo(session: Session, *, password: str, clock: Clock = system_clock) -> bool:
    """Create the demo organization unless it exists. Returns True when it was created."""
    if session.exec(select(Organization).where(Organization.nit == DEMO_NIT)).first():
        return False
    now = to_utc(clock())
    org = Organization(
        nit=DEMO_NIT, dv=compute_dv(DEMO_NIT), legal_name="Comercializadora Demo S.A.S.",
        trade_name="Tienda Demo", tax_responsibilities="O-13;O-15", address="Calle 50 # 46-36",
        municipality_code="05001", postal_code="050001", email=DEMO_EMAIL, created_at=now,
    )
    session.add(org)
    session.flush()
    assert org.id is not None
    admin = User(organization_id=org.id, email=DEMO_EMAIL, full_name="Laura Gómez",
                 password_hash=hash_password(password), role="admin", is_principal=True,
                 created_at=now)
    seller = User(organization_id=org.id, email=SELLER_EMAIL, full_name="Andrés Pérez",
                  password_hash=hash_password(password), role="seller", created_at=now)
    session.add_all([admin, seller])
    session.flush()
    session.add(CashRegister(organization_id=org.id, code="CAJA-1", name="Caja principal",
                             user_id=admin.id))
    session.commit()
    assert admin.id is not None
    create_subscription(session=session, organization_id=org.id, plan_code=DEMO_PLAN,
                        anchor=clock().astimezone(BOGOTA).date().replace(day=1))
    scope = Scope(org.id, admin.id, "admin", True)
    for spec in CUSTOMERS:
        save_customer(session=session, scope=scope, data=CustomerData.parse(**spec), clock=clock)
    for code, name, unit, price, tax in ITEMS:
        save_item(session=session, scope=scope, clock=clock, data=ItemData.parse(
            code=code, name=name, unit_code=unit, price=price, tax_code=tax))
    for name, form, means in PAYMENT_METHODS:
        save_payment_method(session=session, scope=scope, data=PaymentMethodData.parse(
            name=name, form_code=form, means_code=means))
    # A self-signed certificate so the demo can sign against the sandbox DIAN.
    install_development_certificate(session=session, scope=scope, clock=clock)
    return True


def main() -> int:
    settings = get_settings()
    with Session(get_engine(settings.db_url)) as session:
        created = load_demo(session, password=settings.demo_password)
    state = "creados" if created else "ya existían"
    print(f"Datos de demostración {state}.")
    print(f"  Usuario principal: {DEMO_EMAIL}   Contraseña: {settings.demo_password}")
    print(f"  Vendedor:          {SELLER_EMAIL}   Contraseña: {settings.demo_password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Demo data, loaded once: two demo organizations, their principal users, customers and items.

*Tienda Demo* starts the DIAN enablement journey from the beginning; *La Ceiba*
is already habilitada at the local DIAN sandbox and can invoice at once.

Run with `python -m loggro_app.seed`; prints the demo credentials. Idempotent.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from loggro_app.core.clock import BOGOTA, Clock, system_clock, to_utc
from loggro_app.core.customer_rules import CustomerData
from loggro_app.core.item_rules import ItemData, PaymentMethodData
from loggro_app.core.nit import compute_dv
from loggro_app.core.numbering import Resolution
from loggro_app.core.passwords import hash_password
from loggro_app.db import get_engine
from loggro_app.dian import demo_enabled
from loggro_app.models import CashRegister, Organization, User
from loggro_app.services import test_set
from loggro_app.services.certificates import install_development_certificate
from loggro_app.services.customers import save_customer
from loggro_app.services.items import save_item
from loggro_app.services.ledger import create_subscription
from loggro_app.services.numbering import DianRange, save_numbering, verify_with_dian
from loggro_app.services.organization import (
    GeneralInfo,
    confirm_provider,
    set_e_invoicing,
    update_general,
)
from loggro_app.services.payment_methods import save_payment_method
from loggro_app.services.reception_mailbox import save_mailbox
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings

DEMO_NIT = "900123456"
DEMO_EMAIL = "demo@loggro.co"
SELLER_EMAIL = "vendedor@loggro.co"
DEMO_PLAN = "fe_estandar"  # 45 documents a month



def final_consumer(municipality_code: str) -> dict[str, Any]:
    """DIAN's *consumidor final* (222222222222): a sale to a buyer who gives no identity."""
    return dict(identification_type="13", identification_number="222222222222",
                name="Consumidor final", address="Sin dirección",
                municipality_code=municipality_code, send_xml_email=False, emails=[])


CUSTOMERS = [
    dict(identification_type="31", identification_number="860069804", name="Hotel Andino S.A.S.",
         address="Carrera 7 # 71-21", municipality_code="11001",
         emails=["facturas@hotelandino.example", "contabilidad@hotelandino.example"]),
    dict(identification_type="13", identification_number="1017123456",
         name="María Fernanda Restrepo", address="Calle 10 # 43-12",
         municipality_code="05001", emails=["mafe.restrepo@correo.example"]),
    final_consumer("05001"),
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


def load_catalog(session: Session, scope: Scope, *, customers: list[dict[str, Any]],
                 items: list[tuple[str, str, str, str, str]], clock: Clock) -> None:
    """Customers, items and the usual payment methods, through the services the pages use."""
    for spec in customers:
        save_customer(session=session, scope=scope, data=CustomerData.parse(**spec), clock=clock)
    for code, name, unit, price, tax in items:
        save_item(session=session, scope=scope, clock=clock, data=ItemData.parse(
            code=code, name=name, unit_code=unit, price=price, tax_code=tax))
    for name, form, means in PAYMENT_METHODS:
        save_payment_method(session=session, scope=scope, data=PaymentMethodData.parse(
            name=name, form_code=form, means_code=means))


def _organization(session: Session, org: Organization, *, email: str, full_name: str,
                  password: str, plan_code: str, clock: Clock) -> Scope:
    """Store the organization with its principal user, cash register and plan."""
    session.add(org)
    session.flush()
    assert org.id is not None
    admin = User(organization_id=org.id, email=email, full_name=full_name,
                 password_hash=hash_password(password), role="admin", is_principal=True,
                 created_at=org.created_at)
    session.add(admin)
    session.flush()
    session.add(CashRegister(organization_id=org.id, code="CAJA-1", name="Caja principal",
                             user_id=admin.id))
    session.commit()
    assert admin.id is not None
    create_subscription(session=session, organization_id=org.id, plan_code=plan_code,
                        anchor=clock().astimezone(BOGOTA).date().replace(day=1))
    return Scope(org.id, admin.id, "admin", True)


def _exists(session: Session, nit: str) -> bool:
    return session.exec(select(Organization).where(Organization.nit == nit)).first() is not None


def load_demo(session: Session, *, password: str, clock: Clock = system_clock) -> bool:
    """Create the demo organization unless it exists. Returns True when it was created."""
    if _exists(session, DEMO_NIT):
        return False
    org = Organization(
        nit=DEMO_NIT, dv=compute_dv(DEMO_NIT), legal_name="Comercializadora Demo S.A.S.",
        trade_name="Tienda Demo", tax_responsibilities="O-13;O-15", address="Calle 50 # 46-36",
        municipality_code="05001", postal_code="050001", email=DEMO_EMAIL,
        created_at=to_utc(clock()),
    )
    scope = _organization(session, org, email=DEMO_EMAIL, full_name="Laura Gómez",
                          password=password, plan_code=DEMO_PLAN, clock=clock)
    session.add(User(organization_id=scope.organization_id, email=SELLER_EMAIL,
                     full_name="Andrés Pérez", password_hash=hash_password(password),
                     role="seller", created_at=org.created_at))
    session.commit()
    load_catalog(session, scope, customers=CUSTOMERS, items=ITEMS, clock=clock)
    # A self-signed certificate so the demo can sign against the sandbox DIAN.
    install_development_certificate(session=session, scope=scope, clock=clock)
    return True


ENABLED_EMAIL = "habilitada@loggro.co"
# Where La Ceiba's suppliers mail their invoices; under `make run` the local SMTP server
# holds that mail and the app takes it from there (services/local_reception).
ENABLED_RECEPTION = "recepcion@laceiba.loggro.co"
# Loggro Pymes Premium (200 documents a month): the plan the hotel integration asks for
ENABLED_PLAN = "sac_premium"
ENABLED_ORGANIZATION = dict(
    legal_name=demo_enabled.LEGAL_NAME, trade_name="La Ceiba", person_type="1",
    tax_regime="48", tax_responsibilities="O-15;O-23", economic_sector="Comercio",
    economic_activity="4711", address="Carrera 15 # 93-47", municipality_code="11001",
    email=ENABLED_EMAIL, phone="+57 (601) 745-6020",
)
ENABLED_CUSTOMERS = [
    dict(identification_type="31", identification_number="830054320",
         name="Restaurante El Fogón S.A.S.", address="Calle 85 # 11-53",
         municipality_code="11001", emails=["compras@elfogon.example"]),
    dict(identification_type="13", identification_number="52345678",
         name="Carolina Duarte Ríos", address="Carrera 7 # 45-10 Apto 302",
         municipality_code="11001", emails=["carolina.duarte@correo.example"]),
    final_consumer("11001"),
]
ENABLED_ITEMS = [
    ("MUG-CER", "Mug de cerámica", "94", "35000", "IVA_19"),
    ("CAF-500", "Café molido 500 g", "94", "32000", "IVA_5"),
    # IVA 0 % is the code list's option for goods without IVA (excluded or exempt)
    ("HUE-030", "Huevos AA x 30", "94", "18000", "IVA_0"),
    ("ALM-EJE", "Almuerzo ejecutivo", "94", "24000", "INC_8"),
    ("CAT-HOR", "Servicio de catering (hora)", "HUR", "150000", "IVA_19"),
]


def enabled_ranges(resolutions: tuple[demo_enabled.DemoResolution, ...]) -> list[DianRange]:
    """What the sandbox's GetNumberingRange reports for these resolutions."""
    return [DianRange(Resolution(r.number, r.prefix, r.range_from, r.range_to, r.valid_from,
                                 r.valid_to), r.technical_key)
            for r in resolutions]


def enabled_demo_ranges() -> list[DianRange]:
    """What the sandbox's GetNumberingRange reports for the enabled demo organization."""
    return enabled_ranges(demo_enabled.RESOLUTIONS)


@dataclass(frozen=True)
class EnabledSeller:
    """An organization already habilitada at the sandbox: the demo's La Ceiba, or the many
    sellers a load drill needs (each with its own NIT, resolutions and test set)."""

    nit: str
    legal_name: str
    email: str
    full_name: str
    general: dict[str, Any]
    resolutions: tuple[demo_enabled.DemoResolution, ...]
    test_set_id: str
    reception: str = ""


ENABLED_SELLER = EnabledSeller(
    nit=demo_enabled.NIT, legal_name=demo_enabled.LEGAL_NAME, email=ENABLED_EMAIL,
    full_name="Camila Rojas", general=ENABLED_ORGANIZATION,
    resolutions=demo_enabled.RESOLUTIONS, test_set_id=demo_enabled.TEST_SET_ID,
    reception=ENABLED_RECEPTION)


def load_enabled_demo(session: Session, *, password: str, clock: Clock = system_clock) -> bool:
    """Create the organization that is already habilitada, unless it exists.

    Everything goes through the services the pages use, in the order a business takes;
    what happened at DIAN's portal meanwhile is preloaded in the sandbox from the same
    `dian.demo_enabled` values. Returns True when it was created.
    """
    return load_enabled_seller(session, ENABLED_SELLER, password=password, clock=clock) \
        is not None


def load_enabled_seller(session: Session, seller: EnabledSeller, *, password: str,
                        clock: Clock = system_clock) -> Scope | None:
    """Create `seller` with its catalog, certificate, confirmed consecutives and accepted
    test set, unless its NIT exists; the scope of its principal user when created."""
    if _exists(session, seller.nit):
        return None
    org = Organization(nit=seller.nit, dv=compute_dv(seller.nit), legal_name=seller.legal_name,
                       municipality_code="11001", created_at=to_utc(clock()))
    scope = _organization(session, org, email=seller.email, full_name=seller.full_name,
                          password=password, plan_code=ENABLED_PLAN, clock=clock)
    update_general(session=session, scope=scope, info=GeneralInfo.parse(**seller.general))
    set_e_invoicing(session=session, scope=scope, enabled=True, confirmed=True, clock=clock)
    confirm_provider(session=session, scope=scope)
    load_catalog(session, scope, customers=ENABLED_CUSTOMERS, items=ENABLED_ITEMS, clock=clock)
    install_development_certificate(session=session, scope=scope, clock=clock)
    # `make seed` runs before the sandbox starts: confirm against the ranges it preloads,
    # which the integration test checks against its GetNumberingRange answer.
    ranges = enabled_ranges(seller.resolutions)
    for resolution, dian in zip(seller.resolutions, ranges, strict=True):
        row = save_numbering(session=session, scope=scope, name=resolution.name,
                             document_kind=resolution.kind, channel=resolution.channel,
                             resolution=dian.resolution)
        assert row.id is not None
        verify_with_dian(session=session, scope=scope, numbering_id=row.id,
                         fetch_ranges=lambda: ranges, clock=clock)
    _accepted_test_set(session, scope, seller, clock)
    if seller.reception:
        save_mailbox(session=session, organization_id=scope.organization_id,
                     address=seller.reception)
    return scope


def _accepted_test_set(session: Session, scope: Scope, seller: EnabledSeller,
                       clock: Clock) -> None:
    """The habilitación run as the worker leaves it once DIAN accepted every document."""
    run = test_set.start_run(session=session, scope=scope, test_set_id=seller.test_set_id,
                             clock=clock, rng=random.Random(seller.nit))
    assert run.id is not None
    for item in test_set.items(session=session, run_id=run.id):
        item.status, item.messages = "accepted", "[]"
        session.add(item)
    session.commit()
    test_set.finish_if_done(session, run, clock)


def main() -> int:
    settings = get_settings()
    with Session(get_engine(settings.db_url)) as session:
        created = load_demo(session, password=settings.demo_password)
        created = load_enabled_demo(session, password=settings.demo_password) or created
    state = "creados" if created else "ya existían"
    print(f"Datos de demostración {state}.")
    print("  Tienda Demo (recorre la habilitación DIAN paso a paso):")
    print(f"    Usuario principal: {DEMO_EMAIL}   Contraseña: {settings.demo_password}")
    print(f"    Vendedor:          {SELLER_EMAIL}   Contraseña: {settings.demo_password}")
    print("  La Ceiba (ya habilitada en el sandbox DIAN, factura de inmediato):")
    print(f"    Usuario principal: {ENABLED_EMAIL}   Contraseña: {settings.demo_password}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Documents from the hotel PMS, at the service: stored once per (property, id, kind),
refused with the field and DIAN rule named, nothing stored when refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, func, select

from loggro_app.core.clock import BOGOTA, FixedClock
from loggro_app.core.errors import AuthError
from loggro_app.models import (
    Customer,
    PmsConnection,
    PmsIntake,
    PmsToken,
    SalesDocument,
    User,
)
from loggro_app.pms.schema import PmsDocumentIn
from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
from loggro_app.services import pms_connection, pms_intake
from loggro_app.services.pms_intake import Conflict, Refused
from loggro_app.services.scope import Scope

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=BOGOTA)
CLOCK = FixedClock(NOW)
BASE = "http://127.0.0.1:3000/api/pms/v1"


@pytest.fixture
def hotel(session: Session, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Scope, str]:
    from loggro_app.services.secrets import secret_box
    from loggro_app.settings import get_settings

    monkeypatch.setenv("LOGGRO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOGGRO_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    secret_box.cache_clear()
    assert load_enabled_demo(session, password="Demo2026*", clock=CLOCK)
    user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
    assert user.id is not None
    scope = Scope(user.organization_id, user.id, user.role, user.is_principal)
    saved = pms_connection.save_settings(session=session, scope=scope, enabled=True,
                                         pms_url="http://127.0.0.1:9", clock=CLOCK)
    assert saved.token is not None and saved.push_round == 1
    return scope, saved.token


def payload(**changes: Any) -> PmsDocumentIn:
    body: dict[str, Any] = {
        "pms_document_id": "FOLIO-1001", "kind": "invoice", "prefix": "HOT", "number": 17,
        "issue_date": NOW.date().isoformat(),
        "customer": {"id_type": "41", "id_number": "X1234567", "name": "Emma Johnson",
                     "country_code": "US", "city": "Boston", "address": "12 Beacon St",
                     "email": "emma@example.com"},
        "lines": [
            {"category": "lodging", "description": "Noche habitación doble", "quantity": 3,
             "unit_price": "280000", "tax": "IVA_0"},
            {"category": "breakfast", "description": "Desayuno", "quantity": 3,
             "unit_price": "25000", "tax": "INC_8"},
            {"category": "minibar", "description": "Minibar", "quantity": 1,
             "unit_price": "18000.50", "tax": "IVA_19"},
        ],
        "tip": "20000",
        "exemption": {"passport_number": "X1234567", "entry_date": "2026-11-28",
                      "migration_document": "Sello 55821"},
    }
    body.update(changes)
    return PmsDocumentIn.model_validate(body)


def connection(session: Session, token: str) -> Any:
    return pms_connection.authenticate(session=session, token=token, clock=CLOCK)


def test_a_foreign_guest_folio_becomes_one_queued_invoice(session: Session, hotel: Any) -> None:
    _, token = hotel
    received = pms_intake.receive(session=session, connection=connection(session, token),
                                  document=payload(), idempotency_key=None, base_url=BASE,
                                  clock=CLOCK)
    assert received.created and received.status.state == "issuing"
    row = session.get(SalesDocument, received.document_id)
    assert row is not None
    assert (row.kind, row.prefix, row.number, row.origin, row.status) == (
        "FE", "HOT", 17, "alojamientos", "queued")
    # lodging exempt, breakfast INC 8 %, minibar IVA 19 %, then the tip outside the base
    minibar_iva = (Decimal("18000.50") * Decimal("0.19")).quantize(Decimal("0.01"))
    assert row.total == Decimal("840000") + Decimal("75000") * Decimal("1.08") + Decimal(
        "18000.50") + minibar_iva + Decimal("20000")
    guest = session.get(Customer, row.customer_id)
    assert guest is not None and (guest.identification_type, guest.country_code) == ("41", "US")
    assert received.status.links.status == f"{BASE}/documents/FOLIO-1001?kind=invoice"


def test_the_same_document_twice_is_one_document(session: Session, hotel: Any) -> None:
    _, token = hotel
    first = pms_intake.receive(session=session, connection=connection(session, token),
                               document=payload(), idempotency_key=None, base_url=BASE,
                               clock=CLOCK)
    again = pms_intake.receive(session=session, connection=connection(session, token),
                               document=payload(), idempotency_key=None, base_url=BASE,
                               clock=CLOCK)
    assert not again.created and again.document_id == first.document_id
    with pytest.raises(Conflict):  # the same id with another body
        pms_intake.receive(session=session, connection=connection(session, token),
                           document=payload(notes="otra cosa"), idempotency_key=None,
                           base_url=BASE, clock=CLOCK)
    with pytest.raises(Conflict) as taken:  # another id with a number already used
        pms_intake.receive(session=session, connection=connection(session, token),
                           document=payload(pms_document_id="FOLIO-2"), idempotency_key=None,
                           base_url=BASE, clock=CLOCK)
    assert taken.value.field == "number"
    assert session.exec(select(func.count()).select_from(SalesDocument).where(
        SalesDocument.origin == "alojamientos")).one() == 1


@pytest.mark.parametrize(("changes", "field", "rule"), [
    ({"prefix": "HOTX"}, "prefix", "FAB10b"),
    ({"number": 0}, "number", "FAD05b"),
    ({"number": 5001}, "number", "FAD05c"),
    ({"issue_date": "2036-01-01"}, "issue_date", "FAB07b"),
    ({"issue_date": "2024-12-31"}, "issue_date", "FAB07a"),
    ({"issue_date": (NOW.date() - timedelta(days=1)).isoformat()}, "issue_date", "FAD09e"),
    ({"exemption": None}, "exemption", ""),
    ({"customer": None}, "lines.0.tax", ""),
    ({"kind": "debit_note"}, "kind", ""),
])
def test_each_rule_names_its_field_and_stores_nothing(session: Session, hotel: Any,
                                                      changes: dict[str, Any], field: str,
                                                      rule: str) -> None:
    _, token = hotel
    customers = session.exec(select(func.count()).select_from(Customer)).one()
    with pytest.raises(Refused) as refused:
        pms_intake.receive(session=session, connection=connection(session, token),
                           document=payload(**changes), idempotency_key=None, base_url=BASE,
                           clock=CLOCK)
    assert (field, rule) in {(e.field, e.rule) for e in refused.value.errors}
    assert session.exec(select(func.count()).select_from(PmsIntake)).one() == 0
    assert session.exec(select(func.count()).select_from(Customer)).one() == customers


def test_a_rotated_token_works_48_hours_and_no_revokes_all(session: Session,
                                                          hotel: Any) -> None:
    scope, old = hotel
    rotated = pms_connection.rotate(session=session, scope=scope, clock=CLOCK)
    assert rotated.token and rotated.token != old
    later = FixedClock(NOW + timedelta(hours=47))
    assert pms_connection.authenticate(session=session, token=old, clock=later)
    with pytest.raises(AuthError):
        pms_connection.authenticate(session=session, token=old,
                                    clock=FixedClock(NOW + timedelta(hours=48, seconds=1)))
    assert pms_connection.authenticate(session=session, token=rotated.token, clock=later)
    pms_connection.save_settings(session=session, scope=scope, enabled=False, pms_url="",
                                 clock=CLOCK)
    for token in (old, rotated.token):
        with pytest.raises(AuthError):
            pms_connection.authenticate(session=session, token=token, clock=CLOCK)
    assert all(row.revoked for row in session.exec(select(PmsToken)).all())
    # only hashes are kept: no row holds the token itself
    assert all(row.token_hash != rotated.token for row in session.exec(select(PmsToken)).all())


def test_requirements_name_what_is_missing(session: Session, hotel: Any) -> None:
    from loggro_app.models import CashRegister, Subscription

    scope, _ = hotel
    assert pms_connection.requirements(session=session,
                                       organization_id=scope.organization_id) == []
    sub = session.exec(select(Subscription)).one()
    sub.plan_code = "fe_premium"
    for register in session.exec(select(CashRegister)).all():
        register.user_id = None
        session.add(register)
    session.add(sub)
    session.commit()
    missing = pms_connection.requirements(session=session,
                                          organization_id=scope.organization_id)
    assert [m.link for m in missing] == ["/portal",
                                         "/configuracion/organizacion?tab=parametros#caja"]
    pms_connection.assign_principal_register(session=session, scope=scope)
    assert len(pms_connection.requirements(session=session,
                                           organization_id=scope.organization_id)) == 1



def test_a_document_dian_never_answered_in_48_hours_is_told_failed(session: Session,
                                                                   hotel: Any) -> None:
    import json

    from loggro_app.models import PmsNotice
    from loggro_app.services import pms_notices

    _, token = hotel
    received = pms_intake.receive(session=session, connection=connection(session, token),
                                  document=payload(), idempotency_key=None, base_url=BASE,
                                  clock=CLOCK)
    row = session.get(SalesDocument, received.document_id)
    assert row is not None
    row.status = "pending"  # DIAN unreachable, retried
    session.add(row)
    session.commit()
    before = FixedClock(NOW + timedelta(hours=47))
    assert pms_notices.document_notice(session=session, organization_id=row.organization_id,
                                       document_id=row.id or 0,
                                       public_url="http://app", clock=before) is None
    after = FixedClock(NOW + timedelta(hours=48, minutes=1))
    event_id = pms_notices.document_notice(session=session,
                                           organization_id=row.organization_id,
                                           document_id=row.id or 0,
                                           public_url="http://app", clock=after)
    property_id = connection(session, token).property_id
    assert event_id == f"org{row.organization_id}-pmshook-{property_id}-{row.id}-failed-r0"
    notice = session.exec(select(PmsNotice)).one()
    body = json.loads(notice.body)
    assert (body["type"], body["data"]["state"], body["id"]) == (
        "document.failed", "failed", event_id)
    # the same step run again (after a crash) adds nothing
    assert pms_notices.document_notice(session=session, organization_id=row.organization_id,
                                       document_id=row.id or 0,
                                       public_url="http://app", clock=after) == event_id
    assert len(session.exec(select(PmsNotice)).all()) == 1
    # a notice the PMS never takes is given up after 3 days, every attempt recorded
    for hours, status in ((49, None), (60, 503)):
        assert pms_notices.record_attempt(session=session, event_id=event_id, status=status,
                                          error="caído",
                                          clock=FixedClock(NOW + timedelta(hours=hours))
                                          ) == "pending"
    assert pms_notices.record_attempt(session=session, event_id=event_id, status=503,
                                      error="caído",
                                      clock=FixedClock(NOW + timedelta(days=6))) == "gave_up"
    assert pms_notices.delivery_of(session=session, event_id=event_id) is None


def test_a_consecutive_near_its_end_is_announced_once_a_day(session: Session,
                                                           hotel: Any) -> None:
    import json

    from loggro_app.models import Numbering
    from loggro_app.services import pms_notices

    hot = session.exec(select(Numbering).where(Numbering.prefix == "HOT")).one()
    assert pms_notices.expiring_notices(session=session, clock=CLOCK) == []
    hot.valid_to = NOW.date() + timedelta(days=10)
    session.add(hot)
    session.commit()
    found = pms_notices.expiring_notices(session=session, clock=CLOCK)
    property_id = session.exec(select(PmsConnection)).one().property_id
    assert found == [f"org{hot.organization_id}-pmshook-{property_id}-expiring-{hot.id}-"
                     f"{NOW.date()}"]
    assert pms_notices.expiring_notices(session=session, clock=CLOCK) == found
    url, body, headers = pms_notices.delivery_of(session=session, event_id=found[0],
                                                 clock=CLOCK) or ("", b"", {})
    assert url == "http://127.0.0.1:9"
    data = json.loads(body)["data"]
    assert (data["prefix"], data["days_left"], data["kind"]) == ("HOT", 10, "FE")
    assert headers["Loggro-Webhook-Signature"].startswith("v1=")

"""Organization parameters, certificate and numbering services on a migrated database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session

from loggro_app.core import numbering as rules
from loggro_app.core.clock import BOGOTA
from loggro_app.core.errors import ConflictError, PermissionDenied, ValidationError
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.services import certificates, enablement, numbering, organization
from loggro_app.services.scope import Scope
from loggro_app.services.signup import sign_up
from tests.factories import make_org

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BOGOTA)
RES = rules.Resolution(
    "18760000001", "SETP", 990000000, 990000100, date(2026, 1, 1), date(2027, 1, 1)
)


@pytest.fixture
def admin(session: Session) -> Scope:
    return make_org(session, "900123456", "a@uno.co")


def test_e_invoicing_is_irreversible(session: Session, admin: Scope) -> None:
    with pytest.raises(ValidationError) as err:
        organization.set_e_invoicing(session=session, scope=admin, enabled=True, confirmed=False)
    assert "confirm" in err.value.errors
    org = organization.set_e_invoicing(
        session=session, scope=admin, enabled=True, confirmed=True, clock=lambda: NOW
    )
    assert org.e_invoicing_enabled and org.e_invoicing_version == "validacion_previa"
    with pytest.raises(ConflictError) as refused:
        organization.set_e_invoicing(session=session, scope=admin, enabled=False, confirmed=True)
    assert refused.value.message == organization.IRREVERSIBLE
    seller = Scope(admin.organization_id, admin.user_id, "seller", False)
    with pytest.raises(PermissionDenied):
        organization.set_e_invoicing(session=session, scope=seller, enabled=False, confirmed=True)
    session.refresh(org)
    assert org.e_invoicing_enabled


def test_certificate_upload_is_checked_and_sealed(session: Session, admin: Scope) -> None:
    p12 = create_dev_p12(
        nit="900123456",
        organization="Uno",
        password=b"clave",
        not_before=NOW - timedelta(days=700),
        days=720,
    )
    with pytest.raises(ValidationError) as err:
        certificates.store_certificate(session=session, scope=admin, p12=p12, password="otra")
    assert "password" in err.value.errors
    info = certificates.store_certificate(
        session=session, scope=admin, p12=p12, password="clave", clock=lambda: NOW
    )
    assert info.nit == "900123456" and 0 <= info.days_left <= 30
    assert "2.5.4.5=" in info.subject  # stored as the certificate says it
    assert info.holder == "Uno · NIT 900123456-8"  # shown as a person reads it
    assert info.warning.startswith("El certificado vence en")
    from sqlmodel import select

    from loggro_app.models import OrgCertificate

    stored = session.exec(select(OrgCertificate)).one()
    assert b"clave" not in stored.p12_sealed and "clave" not in stored.password_sealed
    signer = certificates.load_signer(session=session, organization_id=admin.organization_id)
    assert signer.certificate.serial_number == int(info.serial, 16)
    someone_else = create_dev_p12(
        nit="800197268", organization="Otra", password=b"x", not_before=NOW
    )
    with pytest.raises(ValidationError) as err:
        certificates.store_certificate(session=session, scope=admin, p12=someone_else, password="x")
    assert "900123456" in err.value.errors["certificate"]


def test_numbering_verified_with_dian_then_allocates(session: Session, admin: Scope) -> None:
    row = numbering.save_numbering(
        session=session,
        scope=admin,
        name="Facturas",
        document_kind="FE",
        channel="NO_POS",
        resolution=RES,
    )
    assert numbering.state_of(row, lambda: NOW)[0] == rules.PENDING
    with pytest.raises(ConflictError):
        numbering.allocate_number(
            session=session, scope=admin, numbering_id=row.id, clock=lambda: NOW
        )
    other = rules.Resolution(RES.number, "SETP", 990000000, 995000000, RES.valid_from, RES.valid_to)
    with pytest.raises(ValidationError) as err:
        numbering.verify_with_dian(
            session=session,
            scope=admin,
            numbering_id=row.id,
            fetch_ranges=lambda: [numbering.DianRange(other, "k")],
        )
    assert list(err.value.errors) == ["range_to"]
    numbering.verify_with_dian(
        session=session,
        scope=admin,
        numbering_id=row.id,
        fetch_ranges=lambda: [numbering.DianRange(RES, "clave-tecnica")],
        clock=lambda: NOW,
    )
    assert numbering.technical_key(row) == "clave-tecnica"
    assert numbering.state_of(row, lambda: NOW)[0] == rules.ACTIVE
    taken = [
        numbering.allocate_number(
            session=session, scope=admin, numbering_id=row.id, clock=lambda: NOW
        )
        for _ in range(3)
    ]
    assert taken == [990000000, 990000001, 990000002]
    with pytest.raises(ValidationError):  # issued numbers cannot come back by editing
        numbering.save_numbering(
            session=session,
            scope=admin,
            name="Facturas",
            document_kind="FE",
            channel="NO_POS",
            numbering_id=row.id,
            resolution=rules.Resolution(
                RES.number, "SETP", 990000000, 990000001, RES.valid_from, RES.valid_to
            ),
        )


def test_sign_up_creates_org_user_and_plan(session: Session) -> None:
    with pytest.raises(ValidationError) as err:
        sign_up(
            session=session,
            legal_name="",
            nit="900123456",
            dv="3",
            municipality_code="",
            address="",
            full_name="",
            email="x",
            password="123",
            plan_code="nada",
        )
    assert {
        "legal_name",
        "dv",
        "municipality_code",
        "address",
        "full_name",
        "email",
        "password",
        "plan",
    } <= set(err.value.errors)
    scope = sign_up(
        session=session,
        legal_name="Nueva S.A.S.",
        nit="900.123.456-8",
        dv="",
        municipality_code="05001",
        address="Calle 1",
        full_name="Ana",
        email="ana@nueva.co",
        password="Segura2026",
        plan_code="fe_basico",
    )
    assert scope.is_principal and scope.role == "admin"
    with pytest.raises(ValidationError) as again:
        sign_up(
            session=session,
            legal_name="Otra",
            nit="900123456",
            dv="8",
            municipality_code="05001",
            address="x",
            full_name="B",
            email="ana@nueva.co",
            password="Segura2026",
            plan_code="fe_basico",
        )
    assert {"nit", "email"} <= set(again.value.errors)


def test_general_information_is_validated_and_saved(session: Session, admin: Scope) -> None:
    good = dict(legal_name="Uno S.A.S.", trade_name="Uno", person_type="1", tax_regime="48",
                tax_responsibilities="O-13;O-15", economic_sector="Comercio",
                economic_activity="4711", address="Calle 1", municipality_code="11001",
                email="Contacto@Uno.co", phone="601 444 1234")
    with pytest.raises(ValidationError) as err:
        organization.GeneralInfo.parse(**{**good, "legal_name": "", "economic_sector": "Minería",
                                          "economic_activity": "47", "municipality_code": "1",
                                          "email": "sin-arroba", "tax_responsibilities": "X"})
    assert set(err.value.errors) == {"legal_name", "economic_sector", "economic_activity",
                                     "municipality_code", "email", "tax_responsibilities"}
    org = organization.update_general(session=session, scope=admin,
                                      info=organization.GeneralInfo.parse(**good))
    assert (org.email, org.postal_code, org.economic_sector) == ("contacto@uno.co", "110111",
                                                                 "Comercio")


def test_an_unknown_municipality_saves_nothing_and_is_named(session: Session,
                                                            admin: Scope) -> None:
    before = organization.get_organization(session=session, scope=admin).municipality_code
    good = dict(legal_name="Otra S.A.S.", trade_name="", person_type="1", tax_regime="48",
                tax_responsibilities="O-13", economic_sector="", economic_activity="",
                address="Calle 2", municipality_code="", email="a@otra.co", phone="")
    with pytest.raises(ValidationError) as err:
        organization.GeneralInfo.parse(**good, municipality_text="Ciudad Inventada")
    assert err.value.errors == {"municipality_code": (
        "«Ciudad Inventada» no es un municipio de la lista de la DIAN: elige uno de las "
        "sugerencias, p. ej. «Medellín (Antioquia)».")}
    org = organization.get_organization(session=session, scope=admin)
    assert org.municipality_code == before and org.legal_name != "Otra S.A.S."


def test_general_information_refuses_nonsense(session: Session, admin: Scope) -> None:
    good = dict(legal_name="Uno S.A.S.", trade_name="", person_type="1", tax_regime="48",
                tax_responsibilities="O-13", economic_sector="", economic_activity="",
                address="Calle 1", municipality_code="11001", email="a@uno.co", phone="")
    with pytest.raises(ValidationError) as err:
        organization.GeneralInfo.parse(**{**good, "phone": "tel-abc", "address": "x" * 5000,
                                          "legal_name": "y" * 201})
    assert set(err.value.errors) == {"phone", "address", "legal_name"}
    assert "máximo 200 caracteres" in err.value.errors["address"]


def test_inicio_says_enabled_only_when_every_step_is_done() -> None:
    def step(key: str, state: str) -> enablement.Step:
        return enablement.Step(key, f"Paso {key}", state, "", "", "/", None)

    done = [step(str(n), enablement.DONE) for n in range(11)]
    assert enablement.readiness(done) == (True, (
        "Tu organización está habilitada en la DIAN: ya puedes emitir facturas electrónicas."))
    partly = [*done[:9], step("9", enablement.PENDING), step("10", enablement.FAILED)]
    ready, text = enablement.readiness(partly)
    assert not ready and text.startswith("Habilitación DIAN: 9 de 11 pasos completos.")
    assert "«Paso 9»" in text

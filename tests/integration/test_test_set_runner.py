"""The test-set runner against the real DIAN sandbox: acceptance, rejections with their
rule, and resuming after a restart."""

from __future__ import annotations

import json
import re
from functools import partial

import pytest
from sqlmodel import Session

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import ConflictError, ValidationError
from loggro_app.models import Organization
from loggro_app.services import numbering, test_set
from loggro_app.services.dian_link import DianLink, dian_ranges
from loggro_app.services.sandbox_portal import (
    SandboxPortal,
    portal_records,
    resolution_text,
    software_state,
)
from loggro_app.services.scope import Scope
from loggro_app.services.signup import sign_up
from tests.integration.conftest import SMALL_PLAN, advance_to_end, minutes_apart

pytestmark = pytest.mark.integration


def new_test_set(session: Session, scope: Scope, link: DianLink) -> str:
    org = session.get(Organization, scope.organization_id)
    assert org is not None
    return SandboxPortal.for_link(link).new_test_set(org, link)


def run_to_end(session: Session, run_id: int, scope: Scope, link: DianLink,
               batch: int = 10) -> test_set.TestSetRun:
    factory = partial(link.client, session=session, organization_id=scope.organization_id)
    # minutes apart: two documents with the same number differ in CUFE, as in real life
    return advance_to_end(session, run_id, link, factory, batch=batch,
                          clock=minutes_apart().__next__)


def test_accepted_test_set_enables_the_software(session: Session, org: Scope,
                                               link: DianLink) -> None:
    set_id = new_test_set(session, org, link)
    assert software_state(session=session, scope=org, link=link) == "en pruebas"
    run = test_set.start_run(session=session, scope=org, test_set_id=set_id)
    assert run.total == 50
    assert run.id is not None
    done = run_to_end(session, run.id, org, link)
    assert done.status == "accepted", done.message
    assert software_state(session=session, scope=org, link=link) == "Aceptado"


def test_a_rejected_document_shows_its_rule(session: Session, org: Scope,
                                            link: DianLink) -> None:
    set_id = new_test_set(session, org, link)
    run = test_set.start_run(session=session, scope=org, test_set_id=set_id, plan=SMALL_PLAN)
    assert run.id is not None
    first, second, third = test_set.items(session=session, run_id=run.id)[:3]
    second.number = first.number  # DIAN refuses a number it already has (rule 90)
    third.number = "42"  # outside the range: caught before sending, with DIAN's rule code
    session.add_all([second, third])
    session.commit()
    done = run_to_end(session, run.id, org, link)
    assert done.status == "rejected"
    assert done.message == "La DIAN rechazó 2 documento(s) del set de pruebas."
    items = test_set.items(session=session, run_id=run.id)
    dian_rules = dict(json.loads(items[1].messages))
    assert "90" in dian_rules and dian_rules["90"]
    local_rules = dict(json.loads(items[2].messages))
    assert "FAD05b" in local_rules
    assert "rango" in local_rules["FAD05b"]


def test_work_resumes_after_a_restart(session: Session, org: Scope, link: DianLink,
                                      db_url: str) -> None:
    set_id = new_test_set(session, org, link)
    run = test_set.start_run(session=session, scope=org, test_set_id=set_id, plan=SMALL_PLAN)
    assert run.id is not None
    factory = partial(link.client, session=session, organization_id=org.organization_id)
    test_set.advance(session=session, run_id=run.id, link=link, client_factory=factory, batch=2)
    states = [i.status for i in test_set.items(session=session, run_id=run.id)]
    assert states.count("pending") == 3  # the process "dies" here
    with Session(session.get_bind()) as fresh:  # a new process reads the same rows
        done = run_to_end(fresh, run.id, org, link)
    assert done.status == "accepted"


def test_bad_test_set_ids_and_missing_certificate(session: Session, link: DianLink) -> None:
    scope = sign_up(session=session, legal_name="Sin Certificado", nit="800197268", dv="",
                    municipality_code="05001", address="x", full_name="A",
                    email="a@sin.example", password="Segura2026", plan_code="fe_basico")
    with pytest.raises(ValidationError):
        test_set.start_run(session=session, scope=scope, test_set_id="123")
    with pytest.raises(ConflictError) as err:
        test_set.start_run(session=session, scope=scope,
                           test_set_id="6f66faaf-9cb0-4972-8840-424b55f36fd7")
    assert "certificado" in err.value.message


def test_numbering_must_match_dian_field_by_field(session: Session, org: Scope,
                                                  link: DianLink) -> None:
    from datetime import timedelta

    from loggro_app.core import numbering as rules

    organization = session.get(Organization, org.organization_id)
    assert organization is not None
    portal = SandboxPortal.for_link(link)
    portal.register_software(organization, link)
    issued = portal.request_resolution(organization, system_clock)
    portal.advance_clock(organization, 2.05)
    portal.associate_prefix(organization, link, issued["number"], "FE")
    today = system_clock().date()  # DIAN's dates are Colombian dates
    typed = rules.Resolution(issued["number"], "FE", 1, 6000, today,
                             today + timedelta(days=365))
    row = numbering.save_numbering(session=session, scope=org, name="Facturas",
                                   document_kind="FE", channel="NO_POS", resolution=typed)
    fetch = partial(dian_ranges, link, session=session, organization_id=org.organization_id)
    with pytest.raises(ValidationError) as err:
        numbering.verify_with_dian(session=session, scope=org, numbering_id=row.id,
                                   fetch_ranges=fetch)
    assert list(err.value.errors) == ["range_to"]
    assert "5000" in err.value.errors["range_to"]


def test_portal_results_survive_and_errors_read_like_people_write(
        session: Session, org: Scope, link: DianLink) -> None:
    portal = SandboxPortal.for_link(link)
    organization = session.get(Organization, org.organization_id)
    assert organization is not None
    issued = portal.request_resolution(organization, system_clock)
    set_id = new_test_set(session, org, link)
    # read back from the sandbox, as after a reload or another action
    records = portal_records(session=session, scope=org, link=link)
    assert records.test_set_ids[0] == set_id
    mine = [r for r in records.resolutions if r["number"] == issued["number"]]
    assert len(mine) == 1  # (the module's other tests ask for resolutions of this NIT too)
    assert resolution_text(mine[0]).startswith(
        f"Resolución {issued['number']} · prefijo FE · rango 1 a 5000 · vigencia ")
    with pytest.raises(ConflictError) as refused:  # earlier than 2 hours after the resolution
        portal.associate_prefix(organization, link, issued["number"], "FE")
    message = refused.value.message
    assert re.search(r"desde \d{2}/\d{2}/\d{4} \d{1,2}:\d{2} [ap]\. m\.", message), message
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", message)
    assert "«Simular el paso de 2 horas»" in message

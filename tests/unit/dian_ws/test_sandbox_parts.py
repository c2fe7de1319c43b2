"""Sandbox building blocks without HTTP: fault plan, clock offset, registry rules, answers."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from lxml import etree

from loggro_app.core.clock import BOGOTA
from loggro_app.dian import build_document, demo, samples
from loggro_app.dian.client import responses as r
from loggro_app.standins.dian_sandbox import soap_out
from loggro_app.standins.dian_sandbox.admin import Admin, AdminError, OffsetClock
from loggro_app.standins.dian_sandbox.faults import Fault, FaultPlan, parse_header, parse_rate
from loggro_app.standins.dian_sandbox.store import Store
from loggro_app.standins.dian_sandbox.validate import read_facts
from tests.unit.dian_ws.conftest import NOW


def test_fault_plan_order_operation_filter_and_header() -> None:
    plan = FaultPlan(always=Fault("latency", 0.1))
    plan.push(Fault("http503", operation="SendBillSync"), count=2)
    plan.push(Fault("drop"))
    assert plan.next_for("GetStatus", None) == Fault("drop")
    assert plan.next_for("SendBillSync", None).kind == "http503"  # type: ignore[union-attr]
    assert plan.next_for("SendBillSync", "timeout;seconds=3") == Fault("timeout", 3.0)
    assert plan.next_for("SendBillSync", None).kind == "http503"  # type: ignore[union-attr]
    assert plan.next_for("SendBillSync", None) == Fault("latency", 0.1)
    assert parse_header("malformed") == Fault("malformed")
    with pytest.raises(ValueError):
        Fault("explode")


@pytest.fixture()
def admin(clock) -> Admin:
    registry = Admin(Store(), OffsetClock(clock))
    registry.seed_demo()
    return registry


def test_fault_rates_hit_their_share_of_requests() -> None:
    plan = FaultPlan(rates={"timeout": 0.05, "http503": 0.02}, rate_seconds=6,
                     rng=random.Random(1))
    drawn = Counter((f.kind, f.seconds) if f else None for f in
                    (plan.next_for("SendBillSync", None) for _ in range(20_000)))
    assert abs(drawn[("timeout", 6.0)] / 20_000 - 0.05) < 0.006
    assert abs(drawn[("http503", 6.0)] / 20_000 - 0.02) < 0.004
    plan.push(Fault("drop"))  # a queued fault still comes first
    assert plan.next_for("GetStatus", None) == Fault("drop")
    plan.set_rates({})
    assert plan.next_for("GetStatus", None) is None
    assert plan.rates() == {"rates": {}, "seconds": 0.0}
    assert parse_rate("timeout=0.05") == ("timeout", 0.05)
    for bad in ("timeout=1.5", "nada=0.1"):
        with pytest.raises(ValueError):
            parse_rate(bad)
    with pytest.raises(ValueError):
        plan.set_rates({"timeout": 0.7, "http503": 0.6})


def test_demo_seed_and_two_hour_association_rule(admin: Admin) -> None:
    assert admin.taxpayer(demo.ISSUER_NIT)["habilitado"] is True
    admin.issue_resolution(demo.ISSUER_NIT, "18760000555", "NEW", 1, 10, "2026-01-01", "2026-12-31")
    with pytest.raises(AdminError) as caught:
        admin.associate(demo.ISSUER_NIT, "NEW", demo.SOFTWARE_ID, "18760000555")
    assert caught.value.status == 409 and "2 horas" in str(caught.value)
    admin.set_clock(advance_seconds=2 * 3600)
    assert admin.associate(demo.ISSUER_NIT, "NEW", demo.SOFTWARE_ID, "18760000555")
    assert admin.clock() == NOW + timedelta(hours=2)
    assert admin.store.get_meta("clock_offset") == "7200.0"


def test_test_set_defaults_follow_the_current_portal(admin: Admin) -> None:
    admin.create_taxpayer("901555444", "X S.A.S.")
    admin.create_software("901555444", "sw-1", "1111")
    created = admin.create_test_set("901555444", "sw-1")
    assert created["required"] == {"01": 30, "91": 10, "92": 10}
    assert len(created["test_set_id"]) == 36 and created["state"] == "En proceso"


def test_support_document_issuer_is_the_customer_party(signer, clock) -> None:
    issued = samples.support_document(NOW.astimezone(BOGOTA))
    built = build_document(issued, signer=signer, clock=clock)
    facts = read_facts(built.xml_bytes)
    assert facts.type_code == "05" and facts.issuer_nit == demo.ISSUER_NIT
    assert facts.receiver_nit == "1020304050"
    assert facts.authorized_message().startswith("El Documento soporte SETP")


def test_sandbox_answers_parse_with_the_client() -> None:
    answer = soap_out.Answer(
        False,
        "99",
        "Validación contiene errores en campos mandatorios.",
        "Documento con errores en campos mandatorios.",
        [soap_out.Finding("FAD06", "Valor del CUFE").line()],
        "k",
        "fv1",
    )
    data = soap_out.envelope("SendBillSync", soap_out.dian_response("SendBillSync", answer), NOW)
    parsed = r.parse_dian_response(r.envelope_result(data, "SendBillSync"))
    assert parsed.rule_codes() == ["FAD06"] and parsed.document_key == "k"
    fault = soap_out.fault(
        "An error occurred when verifying security for the message.",
        "WSS03: El Timestamp de seguridad expiró.",
    )
    with pytest.raises(r.SoapFault) as caught:
        r.envelope_result(fault, "SendBillSync")
    assert caught.value.rules == [("WSS03", "El Timestamp de seguridad expiró.")]
    assert etree.fromstring(data).nsmap["s"] == "http://www.w3.org/2003/05/soap-envelope"

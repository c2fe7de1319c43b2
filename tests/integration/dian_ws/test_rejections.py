"""Each rejection case gives its specific rule code (SPEC §4.7; LGS*/WSS* are sandbox codes)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from loggro_app.core.errors import DianRejected
from loggro_app.dian import samples
from loggro_app.dian.client import DianClient, DianResponse, SoapFault
from loggro_app.dian.signing.packaging import deterministic_zip
from tests.integration.dian_ws.conftest import DEMO, AdminApi, Factory, WallClock, make_client

pytestmark = pytest.mark.integration


NUMBERS = {"SETR": "18760000101", "SETE": "18760000102", "SETN": "18760000103"}


def _send(client: DianClient, built) -> DianResponse:
    return client.send_bill_sync(built.file_names.zip, built.zip_bytes, resolve_duplicate=False)


def _rejected_with(answer: DianResponse, code: str) -> None:
    assert not answer.accepted and answer.status_code == "99"
    assert code in answer.rule_codes(), answer.messages
    with pytest.raises(DianRejected) as caught:
        answer.raise_for_rejection()
    assert code in [rule for rule, _ in caught.value.rules]


def _resolution(admin: AdminApi, factory: Factory, prefix: str, **fields) -> None:
    """A resolution issued long ago (associable) for the demo issuer, associated."""
    values = dict(
        nit=DEMO.ISSUER_NIT,
        number=NUMBERS[prefix],
        prefix=prefix,
        range_from=1,
        range_to=100,
        valid_from="2020-01-01",
        valid_to="2030-12-31",
        technical_key="ab" * 20,
        issued_at="2020-01-01T00:00:00+00:00",
    )
    values.update(fields)
    admin.post("/admin/resolutions", **values)
    admin.post(
        "/admin/associations",
        nit=DEMO.ISSUER_NIT,
        prefix=prefix,
        software_id=DEMO.SOFTWARE_ID,
        resolution=values["number"],
    )


def _invoice_under(factory: Factory, prefix: str, number: int, **resolution):
    claimed = factory.resolution(
        number=NUMBERS[prefix],
        prefix=prefix,
        range_from=1,
        range_to=10_000,
        technical_key="ab" * 20,
        **resolution,
    )
    return factory.build(factory.invoice(prefix=prefix, number=number, resolution=claimed))


def test_wrong_cufe(client: DianClient, factory: Factory) -> None:
    # A wrong technical key is the usual cause: the CUFE no longer matches DIAN's.
    built = factory.build(factory.invoice(resolution=factory.resolution(technical_key="1" * 40)))
    _rejected_with(_send(client, built), "FAD06")


def test_number_outside_the_registered_range(
    client: DianClient, admin: AdminApi, factory: Factory
) -> None:
    _resolution(admin, factory, "SETR")
    _rejected_with(_send(client, _invoice_under(factory, "SETR", 500)), "FAD05c")


def test_expired_resolution(client: DianClient, admin: AdminApi, factory: Factory) -> None:
    yesterday = (factory.now().date() - timedelta(days=1)).isoformat()
    _resolution(admin, factory, "SETE", valid_to=yesterday)
    built = _invoice_under(factory, "SETE", 5, valid_to=date(2031, 1, 1))
    _rejected_with(_send(client, built), "FAB07b")


def test_prefix_not_associated_and_the_two_hour_rule(
    client: DianClient, admin: AdminApi, factory: Factory
) -> None:
    admin.post(
        "/admin/resolutions",
        nit=DEMO.ISSUER_NIT,
        number=NUMBERS["SETN"],
        prefix="SETN",
        range_from=1,
        range_to=100,
        valid_from="2020-01-01",
        valid_to="2030-12-31",
        technical_key="ab" * 20,
    )
    association = dict(
        nit=DEMO.ISSUER_NIT, prefix="SETN", software_id=DEMO.SOFTWARE_ID, resolution=NUMBERS["SETN"]
    )
    refused = admin.post("/admin/associations", expect=409, **association)
    assert "2 horas" in refused["error"]
    _rejected_with(_send(client, _invoice_under(factory, "SETN", 7)), "FAB05b")
    try:
        admin.post("/admin/clock", advance_seconds=2 * 3600 + 60)
        admin.post("/admin/associations", **association)
        # The business clock moved; WS-Security still checks real time, so sends work.
        assert _send(client, _invoice_under(factory, "SETN", 8)).accepted
    finally:
        admin.post("/admin/clock", offset_seconds=0)


def test_tampered_signature(client: DianClient, factory: Factory) -> None:
    built = factory.build(factory.invoice())
    tampered = built.xml_bytes.replace(b"Factura de prueba", b"Factura alterada!", 1)
    assert tampered != built.xml_bytes
    content = deterministic_zip([(built.file_names.xml, tampered)])
    answer = client.send_bill_sync(built.file_names.zip, content, resolve_duplicate=False)
    _rejected_with(answer, "ZE02")


def test_wrong_software_security_code(client: DianClient, factory: Factory) -> None:
    built = factory.build(factory.invoice(software=factory.software(pin="99999")))
    answer = _send(client, built)
    _rejected_with(answer, "FAB27b")
    assert "FAD06" not in answer.rule_codes()  # the CUFE hashes the technical key, not the PIN


def test_unsigned_ws_security(sandbox: str, factory: Factory, clock: WallClock) -> None:
    built = factory.build(factory.invoice())
    with make_client(sandbox, None, clock) as unsigned, pytest.raises(SoapFault) as caught:
        unsigned.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert caught.value.rules[0][0] == "WSS01" and caught.value.is_sender_fault
    assert "verifying security" in caught.value.reason


def test_expired_ws_security_timestamp(sandbox: str, factory: Factory, signer) -> None:
    built = factory.build(factory.invoice())
    late = WallClock(offset=timedelta(minutes=-30))
    with make_client(sandbox, signer, late) as client, pytest.raises(SoapFault) as caught:
        client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    assert caught.value.rules[0][0] == "WSS03"


def test_duplicate_document(client: DianClient, factory: Factory) -> None:
    document = factory.invoice()
    built = factory.build(document)
    assert _send(client, built).accepted
    _rejected_with(_send(client, built), "90")
    # Same number, different content (another CUFE): rule 90 and no "earlier success".
    other = factory.build(dataclasses.replace(document, lines=samples.lines(3)))
    assert other.unique_code != built.unique_code
    answer = client.send_bill_sync(other.file_names.zip, other.zip_bytes)
    _rejected_with(answer, "90")
    assert not answer.previously_processed


def test_issuer_name_mismatch_is_only_a_notification(client: DianClient, factory: Factory) -> None:
    document = factory.invoice()
    issuer = dataclasses.replace(document.issuer, name="OTRO NOMBRE S.A.S.")
    answer = _send(client, factory.build(dataclasses.replace(document, issuer=issuer)))
    assert answer.accepted and [m.code for m in answer.notifications] == ["FAJ43b"]
    assert answer.messages[0].level == "Notificación"


def test_a_document_with_a_dtd_is_rejected_not_an_outage(client: DianClient,
                                                         factory: Factory) -> None:
    from tests.unit.dian.test_json_cli import with_dtd

    built = factory.build(factory.invoice())
    content = deterministic_zip([(built.file_names.xml, with_dtd(built.xml_bytes))])
    answer = client.send_bill_sync(built.file_names.zip, content, resolve_duplicate=False)
    _rejected_with(answer, "ZB01")


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_bad_json_to_the_admin_api_is_a_400(sandbox: str, body: bytes) -> None:
    import httpx

    answer = httpx.post(f"{sandbox}/admin/taxpayers", content=body,
                        headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert "petición inválida" in answer.json()["error"]

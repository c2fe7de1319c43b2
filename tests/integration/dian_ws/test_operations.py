"""The client against the real sandbox over HTTP on 127.0.0.1: every operation."""

from __future__ import annotations

import dataclasses

import pytest
from cryptography import x509

from loggro_app.dian import build_event, samples
from loggro_app.dian.client import DianClient
from loggro_app.dian.signing.packaging import deterministic_zip
from tests.integration.dian_ws.conftest import DEMO, AdminApi, Factory, make_client

pytestmark = pytest.mark.integration


def test_send_bill_sync_accepts_and_returns_a_signed_application_response(
    sandbox: str, admin: AdminApi, factory: Factory, signer, clock
) -> None:
    dian_cert = x509.load_pem_x509_certificate(admin.get("/admin/dian-certificate").encode())
    built = factory.build(factory.invoice())
    with make_client(sandbox, signer, clock) as client:
        client_trusting = DianClient(
            signer=signer, clock=clock, config=client.config, dian_certificates=(dian_cert,)
        )
        answer = client_trusting.send_bill_sync(built.file_names.zip, built.zip_bytes)
        client_trusting.close()
    assert answer.accepted and answer.status_code == "00"
    assert answer.status_description == "Procesado Correctamente."
    assert answer.status_message.startswith("La Factura electrónica SETP")
    assert answer.document_key == built.unique_code
    assert answer.file_name == built.file_names.xml.removesuffix(".xml")
    assert answer.application_response_verified is True
    assert b"Documento validado por la DIAN" in (answer.application_response or b"")


def test_get_status_of_accepted_and_unknown_documents(client: DianClient, factory: Factory) -> None:
    built = factory.build(factory.invoice())
    client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    status = client.get_status(built.unique_code)
    assert status.accepted and status.document_key == built.unique_code
    assert status.application_response_verified
    unknown = client.get_status("f" * 96)
    assert unknown.status_code == "66" and not unknown.is_valid


def test_send_bill_async_then_get_status_zip(client: DianClient, factory: Factory) -> None:
    docs = [factory.build(factory.invoice()) for _ in range(2)]
    content = deterministic_zip([(d.file_names.xml, d.xml_bytes) for d in docs])
    upload = client.send_bill_async(docs[0].file_names.zip, content)
    assert upload.zip_key and upload.errors == ()
    answers = client.get_status_zip(upload.zip_key)
    assert [a.status_code for a in answers] == ["00", "00"]
    assert {a.document_key for a in answers} == {d.unique_code for d in docs}
    assert client.get_status_zip("no-existe")[0].status_code == "90"


def test_get_numbering_range(client: DianClient) -> None:
    result = client.get_numbering_range(DEMO.ISSUER_NIT, DEMO.ISSUER_NIT, DEMO.SOFTWARE_ID)
    assert result.ok and result.description == "Acción completada OK."
    (found,) = [r for r in result.ranges if r.prefix == DEMO.RESOLUTION_PREFIX]
    assert (found.from_number, found.to_number) == (DEMO.RESOLUTION_FROM, DEMO.RESOLUTION_TO)
    assert found.technical_key == DEMO.TECHNICAL_KEY
    assert DEMO.TECHNICAL_KEY not in repr(found)  # a secret never reaches logs
    wrong = client.get_numbering_range(DEMO.ISSUER_NIT, "800199436", DEMO.SOFTWARE_ID)
    assert wrong.operation_code == "302"  # the software belongs to another provider
    other = client.get_numbering_range("800199436", "800199436", DEMO.SOFTWARE_ID)
    assert other.operation_code == "401"  # the certificate is not that taxpayer's


def test_get_xml_by_document_key(client: DianClient, factory: Factory) -> None:
    built = factory.build(factory.invoice())
    client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    found = client.get_xml_by_document_key(built.unique_code)
    assert found.code == "100" and found.xml_bytes == built.xml_bytes
    assert client.get_xml_by_document_key("0" * 96).code == "404"


def test_get_acquirer(client: DianClient, admin: AdminApi) -> None:
    demo_buyer = client.get_acquirer("31", "800199436")
    assert demo_buyer.email == "recepcion@andina.example.co"
    admin.post("/admin/acquirers", id_type="13", id_number="79123456", name="Ana", email="a@x.co")
    assert client.get_acquirer("13", "79123456").email == "a@x.co"
    missing = client.get_acquirer("31", "900000001")
    assert missing.email == "" and missing.status_code == "404"


def test_send_event_update_status(client: DianClient, factory: Factory, signer) -> None:
    built = factory.build(factory.invoice())
    assert client.send_bill_sync(built.file_names.zip, built.zip_bytes).accepted
    number = built.xml_bytes.split(b"<cbc:ID>", 1)[1].split(b"<", 1)[0].decode()
    event = dataclasses.replace(
        samples.receipt_acknowledgement(factory.now(), built.unique_code), invoice_number=number
    )
    assert event.invoice_number.startswith("SETP")
    built_event = build_event(event, signer=signer, clock=factory.clock)
    answer = client.send_event_update_status(built_event.zip_bytes)
    assert answer.accepted, answer.messages
    assert answer.application_response_verified
    again = client.send_event_update_status(built_event.zip_bytes)
    assert not again.accepted and again.rule_codes() == ["90"]


def test_event_about_an_unknown_document_is_rejected(
    client: DianClient, factory: Factory, signer
) -> None:
    event = samples.receipt_acknowledgement(factory.now(), "a" * 96, number=77)
    built_event = build_event(event, signer=signer, clock=factory.clock)
    answer = client.send_event_update_status(built_event.zip_bytes)
    assert "AAH07" in answer.rule_codes()

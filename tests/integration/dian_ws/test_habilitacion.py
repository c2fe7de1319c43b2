"""Habilitación (SPEC §5): a test set sent to completion flips the taxpayer to habilitado."""

from __future__ import annotations

import dataclasses

import pytest

from loggro_app.dian import samples
from loggro_app.dian.client import DianClient
from loggro_app.dian.model.parties import Software
from tests.integration.dian_ws.conftest import AdminApi, Factory

pytestmark = pytest.mark.integration

NIT = "901555444"
NAME = "NUEVA EMPRESA DE PRUEBAS S.A.S."
SOFTWARE = Software(NIT, "5f0d3c1e-2b7a-4c9e-8d6f-0a1b2c3d4e5f", "54321")


def _send(client: DianClient, built, test_set_id: str) -> str:
    upload = client.send_test_set_async(built.file_names.zip, built.zip_bytes, test_set_id)
    assert upload.zip_key, upload.errors
    (answer,) = client.get_status_zip(upload.zip_key)
    return answer.status_code


def test_test_set_to_completion_enables_the_taxpayer(
    client: DianClient, admin: AdminApi, factory: Factory
) -> None:
    admin.post("/admin/taxpayers", nit=NIT, name=NAME)
    admin.post("/admin/software", nit=NIT, software_id=SOFTWARE.software_id, pin=SOFTWARE.pin)
    required = {"01": 2, "91": 1, "92": 1}
    test_set = admin.post(
        "/admin/test-sets", nit=NIT, software_id=SOFTWARE.software_id, required=required
    )
    set_id = test_set["test_set_id"]
    assert len(set_id) == 36 and test_set["state"] == "En proceso"

    def ours(document):
        return factory.for_issuer(document, NIT, NAME, SOFTWARE)

    invoice = factory.build(ours(factory.invoice()))
    # Not habilitado yet: the production path refuses the issuer.
    early = client.send_bill_sync(invoice.file_names.zip, invoice.zip_bytes)
    assert not early.accepted and "LGS02" in early.rule_codes()

    assert _send(client, invoice, set_id) == "00"
    bad = factory.build(
        ours(factory.invoice(resolution=factory.resolution(technical_key="0" * 40)))
    )
    assert _send(client, bad, set_id) == "99"  # rejected documents are counted, not accepted
    assert _send(client, factory.build(ours(factory.invoice())), set_id) == "00"
    now = factory.now()
    credit = samples.credit_note(now, invoice.unique_code, number=next(factory.numbers))
    assert _send(client, factory.build(ours(credit)), set_id) == "00"
    progress = admin.get(f"/admin/test-sets/{set_id}")
    assert progress["accepted"] == {"01": 2, "91": 1} and progress["rejected"] == 1
    assert progress["state"] == "En proceso"
    assert admin.get(f"/admin/taxpayers/{NIT}")["habilitado"] is False

    debit = samples.debit_note(now, invoice.unique_code, number=next(factory.numbers))
    assert _send(client, factory.build(ours(debit)), set_id) == "00"
    progress = admin.get(f"/admin/test-sets/{set_id}")
    assert progress["state"] == "Aceptado" and progress["received"] == 5
    taxpayer = admin.get(f"/admin/taxpayers/{NIT}")
    assert taxpayer["habilitado"] is True
    assert taxpayer["modes"] == [{"software_id": SOFTWARE.software_id, "state": "Aceptado"}]

    # Enabled: SendBillSync now accepts; the closed set answers StatusCode 2 (SPEC §5).
    later = factory.build(ours(factory.invoice()))
    assert client.send_bill_sync(later.file_names.zip, later.zip_bytes).accepted
    assert _send(client, factory.build(ours(factory.invoice())), set_id) == "2"


def test_unknown_test_set_is_refused_without_zip_key(client: DianClient, factory: Factory) -> None:
    built = factory.build(factory.invoice())
    upload = client.send_test_set_async(built.file_names.zip, built.zip_bytes, "0" * 36)
    assert upload.zip_key == "" and "no existe" in upload.errors[0].message
    assert dataclasses.is_dataclass(upload)

"""`python -m loggro_app.dian send` against the real sandbox: events (ApplicationResponse)
travel through SendEventUpdateStatus, invoices through SendBillSync."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from loggro_app.dian import build_event, samples
from loggro_app.dian.cli import main
from loggro_app.dian.client import SERVICE_PATH, DianClient
from loggro_app.dian.signing.verify import DIAN_RESPONSE_NOTE
from tests.integration.dian_ws.conftest import AdminApi, Factory

pytestmark = pytest.mark.integration


def _counts(admin: AdminApi) -> tuple[int, int]:
    stats = admin.get("/admin/stats")
    return stats["documents"], stats["events"]


def _send(sandbox: str, path: Path, *extra: str) -> int:
    return main(["send", str(path), "--url", sandbox + SERVICE_PATH, *extra])


def test_cli_sends_an_event_with_send_event_update_status(
    sandbox: str,
    admin: AdminApi,
    client: DianClient,
    factory: Factory,
    signer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    built = factory.build(factory.invoice())
    assert client.send_bill_sync(built.file_names.zip, built.zip_bytes).accepted
    number = built.xml_bytes.split(b"<cbc:ID>", 1)[1].split(b"<", 1)[0].decode()
    event = dataclasses.replace(
        samples.receipt_acknowledgement(factory.now(), built.unique_code), invoice_number=number
    )
    built_event = build_event(event, signer=signer, clock=factory.clock)
    path = tmp_path / "evento.xml"
    path.write_bytes(built_event.xml_bytes)
    documents, events = _counts(admin)

    assert _send(sandbox, path) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "SendEventUpdateStatus" in out
    assert f"El evento 030 sobre el documento {number} ha sido registrado." in out
    assert _counts(admin) == (documents, events + 1)  # an event stored, no bill

    # The same event zipped: the root inside the zip decides too (and it is a duplicate).
    zipped = tmp_path / "evento.zip"
    zipped.write_bytes(built_event.zip_bytes)
    assert _send(sandbox, zipped) == 1
    out = capsys.readouterr().out
    assert "SendEventUpdateStatus" in out and "90:" in out
    assert _counts(admin) == (documents, events + 1)


def test_cli_still_sends_an_invoice_with_send_bill_sync(
    sandbox: str,
    admin: AdminApi,
    factory: Factory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    built = factory.build(factory.invoice())
    path = tmp_path / "factura.xml"
    path.write_bytes(built.xml_bytes)
    saved = tmp_path / "respuesta-dian.xml"
    documents, events = _counts(admin)
    assert _send(sandbox, path, "--save-response", str(saved)) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "SendEventUpdateStatus" not in out and built.unique_code in out
    assert _counts(admin) == (documents + 1, events)

    # DIAN's answer, like the real one, has no sts:QRCode: `verify` accepts it and says why.
    assert b"DianExtensions" in saved.read_bytes() and b"QRCode" not in saved.read_bytes()
    assert main(["verify", str(saved)]) == 0
    assert f"nota: {DIAN_RESPONSE_NOTE}" in capsys.readouterr().out

"""Parsing answers shaped like DIAN's real ones (SPEC §4.3/§4.4), one or more per operation."""

from __future__ import annotations

import pytest

from loggro_app.core.errors import DianRejected
from loggro_app.dian.client import responses as r
from tests.unit.dian_ws.conftest import fixture


def result(name: str, operation: str):
    return r.envelope_result(fixture(name), operation)


def test_send_bill_sync_accepted_with_notification_and_application_response() -> None:
    answer = r.parse_dian_response(result("send_bill_sync_accepted.xml", "SendBillSync"))
    assert answer.accepted and answer.is_valid and answer.status_code == "00"
    assert answer.status_description == "Procesado Correctamente."
    assert answer.status_message == "La Factura electrónica SETP990000001, ha sido autorizada."
    assert answer.document_key == "3c2f" * 24
    assert answer.file_name == "fv09001234560002600000001"
    (note,) = answer.messages
    assert (note.code, note.level, note.is_rejection) == ("FAJ43b", "Notificación", False)
    assert answer.application_response is not None
    assert answer.application_response.startswith(b"<?xml")
    assert answer.raise_for_rejection() is answer


def test_send_bill_sync_rejected_lists_every_rule() -> None:
    answer = r.parse_dian_response(result("send_bill_sync_rejected.xml", "SendBillSync"))
    assert not answer.accepted and answer.status_code == "99"
    assert answer.rule_codes() == ["FAD06", "FAU04", "FAK24"]
    assert [m.code for m in answer.rejections] == ["FAD06", "FAU04"]
    assert [m.code for m in answer.notifications] == ["FAK24"]
    assert answer.application_response is None
    with pytest.raises(DianRejected) as caught:
        answer.raise_for_rejection()
    assert caught.value.rules[0] == ("FAD06", "Valor del CUFE no está calculado correctamente.")


def test_duplicate_rule_90() -> None:
    answer = r.parse_dian_response(result("send_bill_sync_duplicate.xml", "SendBillSync"))
    assert answer.rule_codes() == ["90"]
    assert str(answer.messages[0]) == "Regla: 90, Rechazo: Documento procesado anteriormente."


def test_get_status_accepted_and_not_found() -> None:
    found = r.parse_dian_response(result("get_status_accepted.xml", "GetStatus"))
    assert found.accepted and found.messages == ()
    missing = r.parse_dian_response(result("get_status_not_found.xml", "GetStatus"))
    assert missing.status_code == "66" and not missing.is_valid
    assert missing.document_key == "" and missing.application_response is None


def test_get_status_zip_shapes() -> None:
    done = r.parse_status_zip(result("get_status_zip_done.xml", "GetStatusZip"))
    assert [a.status_code for a in done] == ["00", "99"]
    assert done[1].rule_codes() == ["FAD05c"]
    (pending,) = r.parse_status_zip(result("get_status_zip_in_process.xml", "GetStatusZip"))
    assert pending.status_code == "" and "en proceso" in pending.status_description
    (closed,) = r.parse_status_zip(result("get_status_zip_test_set_closed.xml", "GetStatusZip"))
    assert closed.status_code == "2" and closed.status_description.endswith("Aceptado.")


def test_upload_document_response() -> None:
    ok = r.parse_upload(result("send_test_set_async.xml", "SendTestSetAsync"))
    assert ok.zip_key == "5c0b6f4e-8e4a-4b67-9d3c-1f2e3d4c5b6a" and ok.errors == ()
    refused = r.parse_upload(result("send_bill_async_refused.xml", "SendBillAsync"))
    assert refused.zip_key == ""
    (error,) = refused.errors
    assert not error.success and error.sender_code == "900123456"
    assert error.document_key == "3c2f" * 24 and "no habilitado" in error.message


def test_get_numbering_range() -> None:
    found = r.parse_numbering_range(result("get_numbering_range.xml", "GetNumberingRange"))
    assert found.ok and found.description == "Acción completada OK."
    (item,) = found.ranges
    assert (item.prefix, item.from_number, item.to_number) == ("SETP", 990000000, 995000000)
    assert (item.valid_from, item.valid_to) == ("2019-01-19", "2030-01-19")
    assert item.technical_key == "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"
    assert item.technical_key not in repr(found)
    none = r.parse_numbering_range(result("get_numbering_range_none.xml", "GetNumberingRange"))
    assert not none.ok and none.operation_code == "301" and none.ranges == ()


def test_get_xml_by_document_key() -> None:
    found = r.parse_xml_by_key(result("get_xml_by_document_key.xml", "GetXmlByDocumentKey"))
    assert found.code == "100" and found.validation_date == "2026-11-22T10:30:07"
    assert found.xml_bytes is not None and b"<Invoice" in found.xml_bytes


def test_get_acquirer() -> None:
    found = r.parse_acquirer(result("get_acquirer.xml", "GetAcquirer"))
    assert found.email == "recepcion@andina.example.co" and found.status_code == "200"
    assert found.name == "COMERCIALIZADORA ANDINA & CIA LTDA"
    empty = r.parse_acquirer(result("get_acquirer_empty.xml", "GetAcquirer"))
    assert (empty.email, empty.name, empty.status_code) == ("", "", "")


def test_send_event_update_status() -> None:
    answer = r.parse_dian_response(result("send_event_update_status.xml", "SendEventUpdateStatus"))
    assert answer.accepted and answer.document_key == "0d91" * 24


def test_soap_faults() -> None:
    with pytest.raises(r.SoapFault) as caught:
        result("fault_invalid_security.xml", "SendBillSync")
    assert caught.value.is_sender_fault and caught.value.code == "s:Sender"
    assert caught.value.reason == "An error occurred when verifying security for the message."
    with pytest.raises(r.SoapFault) as internal:
        result("fault_internal.xml", "SendBillSync")
    assert not internal.value.is_sender_fault


def test_missing_result_and_broken_xml_are_malformed() -> None:
    with pytest.raises(r.MalformedAnswer):
        result("get_acquirer.xml", "SendBillSync")
    with pytest.raises(r.MalformedAnswer):
        r.envelope_result(fixture("get_acquirer.xml")[:200], "GetAcquirer")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Regla: FAD06, Rechazo: Valor del CUFE", ("FAD06", "Rechazo", "Valor del CUFE")),
        ("Regla: FAJ43b, Notificación: Nombre", ("FAJ43b", "Notificación", "Nombre")),
        (
            "Regla: 90, Rechazo: Documento procesado anteriormente.",
            ("90", "Rechazo", "Documento procesado anteriormente."),
        ),
        ("Error desconocido", ("", "", "Error desconocido")),
    ],
)
def test_parse_rule(raw: str, expected: tuple[str, str, str]) -> None:
    rule = r.parse_rule(raw)
    assert (rule.code, rule.level, rule.text) == expected

"""The SOAP service: authenticate the envelope (WS-Security), dispatch the operation,
answer with DIAN-shaped XML. Synchronous and thread-safe; the ASGI layer runs it in a
worker thread."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC
from typing import Any

from lxml import etree

from loggro_app.core.clock import Clock
from loggro_app.dian.client.wsverify import MalformedRequest, Request, SecurityFault, parse_request
from loggro_app.dian.signing.signer import Signer
from loggro_app.standins.dian_sandbox import queries, soap_out
from loggro_app.standins.dian_sandbox.events import receive_event, status_event
from loggro_app.standins.dian_sandbox.processing import Receiver, answers_for_zip, rejected, unzip
from loggro_app.standins.dian_sandbox.rules import finding
from loggro_app.standins.dian_sandbox.soap_out import Answer
from loggro_app.standins.dian_sandbox.store import Store

WCF_SECURITY_REASON = "An error occurred when verifying security for the message."
Handler = Callable[["SandboxService", Request], etree._Element]


class SandboxService:
    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        dian: Signer,
        security_clock: Clock | None = None,
        new_key: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.store = store
        self.clock = clock
        # WS-Security timestamps are checked against real time: moving the sandbox's
        # business clock (2-hour rule, legal terms) must not make every request "stale".
        self.security_clock = security_clock or clock
        self.dian = dian
        self.receiver = Receiver(store, clock=clock, dian=dian)
        self._new_key = new_key

    def handle(self, body: bytes) -> tuple[int, bytes]:
        """(HTTP status, response body) for one SOAP request."""
        now = self.security_clock().astimezone(UTC)
        try:
            request = parse_request(body, now=now)
        except MalformedRequest:
            return 400, b""  # DIAN: empty HTTP 400 for a malformed envelope (SPEC §4.1)
        except SecurityFault as fault:
            return 500, soap_out.fault(WCF_SECURITY_REASON, f"{fault.code}: {fault.message}")
        handler = OPERATIONS.get(request.operation)
        if handler is None:
            detail = f"LGS00: operación {request.operation} no soportada por el sandbox."
            return 500, soap_out.fault("ActionNotSupported", detail)
        return 200, soap_out.envelope(request.operation, handler(self, request), now)

    # -- sends -----------------------------------------------------------------------
    def send_bill_sync(self, request: Request) -> etree._Element:
        members = unzip(request.params.get("contentFile", ""))
        if members is None:
            answer = rejected([finding("LGS04")])
        elif len(members) != 1:
            answer = rejected([finding("LGS05")])
        else:
            answer = self.receiver.receive(*members[0])
        return soap_out.dian_response("SendBillSync", answer)

    def _send_async(self, request: Request, test_set: str = "") -> etree._Element:
        operation = "SendTestSetAsync" if test_set else "SendBillAsync"
        members = unzip(request.params.get("contentFile", ""))
        name = request.params.get("fileName", "")
        if members is None:
            return soap_out.upload(operation, "", [_upload_error(name, "LGS04")])
        if test_set and self.store.test_set(test_set) is None:
            error = _upload_error(name, "LGS00", f"Set de pruebas {test_set} no existe.")
            return soap_out.upload(operation, "", [error])
        zip_key = self._new_key()
        for member, xml in members:
            if test_set and self._closed(test_set):
                self.receiver.remember(_closed_answer(test_set, member), zip_key)
                continue
            self.receiver.receive(member, xml, zip_key=zip_key, test_set=test_set)
        return soap_out.upload(operation, zip_key, [])

    def _closed(self, test_set: str) -> bool:
        row = self.store.test_set(test_set)
        return row is not None and row["state"] == "Aceptado"

    def send_bill_async(self, request: Request) -> etree._Element:
        return self._send_async(request)

    def send_test_set_async(self, request: Request) -> etree._Element:
        return self._send_async(request, request.params.get("testSetId", "").strip() or "-")

    def send_event(self, request: Request) -> etree._Element:
        members = unzip(request.params.get("contentFile", ""))
        if members is None or len(members) != 1:
            answer = rejected([finding("LGS04")])
        else:
            answer = receive_event(self, *members[0])
        return soap_out.dian_response("SendEventUpdateStatus", answer)

    # -- status ----------------------------------------------------------------------
    def get_status(self, request: Request) -> etree._Element:
        return soap_out.dian_response(
            "GetStatus", self.status_of(request.params.get("trackId", ""))
        )

    def status_of(self, key: str) -> Answer:
        row = self.store.accepted(key)
        if row is not None:
            return Answer.from_dict(_loads(row["answer"]))
        latest = self.store.latest_answer(key) if key else None
        if latest is not None:
            return Answer.from_dict(latest)
        return Answer(
            False,
            "66",
            "TrackId no existe en los registros de la DIAN.",
            "TrackId no encontrado.",
            document_key=key,
        )

    def get_status_zip(self, request: Request) -> etree._Element:
        key = request.params.get("trackId", "")
        answers = answers_for_zip(self.store, key) if key else []
        if not answers:
            answers = [Answer(False, "90", "TrackId no encontrado", "TrackId no encontrado.")]
        return soap_out.status_zip(answers)


def _loads(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


def _upload_error(name: str, code: str, text: str = "") -> dict[str, str]:
    return {
        "XmlFileName": name,
        "Success": "false",
        "ProcessedMessage": text or finding(code).text,
        "DocumentKey": "",
        "SenderCode": "",
    }


def _closed_answer(test_set: str, member: str) -> Answer:
    # SPEC §4.4 / §5: a closed set answers StatusCode 2 (S9 IsTestSetClosed).
    text = f"Set de prueba con identificador {test_set} se encuentra Aceptado."
    return Answer(False, "2", text, text, file_name=member.removesuffix(".xml"))


OPERATIONS: dict[str, Handler] = {
    "SendBillSync": SandboxService.send_bill_sync,
    "SendBillAsync": SandboxService.send_bill_async,
    "SendTestSetAsync": SandboxService.send_test_set_async,
    "SendEventUpdateStatus": SandboxService.send_event,
    "GetStatus": SandboxService.get_status,
    "GetStatusZip": SandboxService.get_status_zip,
    "GetStatusEvent": status_event,
    "GetNumberingRange": queries.numbering_range,
    "GetXmlByDocumentKey": queries.xml_by_document_key,
    "GetAcquirer": queries.acquirer,
}

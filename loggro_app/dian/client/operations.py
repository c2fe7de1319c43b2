"""`DianClient`: one method per WcfDianCustomerServices operation (SPEC §4.3).

    client = DianClient(signer=signer, clock=clock, config=ClientConfig("habilitacion"))
    answer = client.send_bill_sync(built.file_names.zip, built.zip_bytes)
    if answer.accepted: store answer.document_key and answer.application_response

Rule 90 ("documento procesado anteriormente") on SendBillSync is checked with GetStatus of
the document's own key: when DIAN holds that very document as accepted, the earlier send
succeeded (a retry after a timeout) and its answer is returned with
`previously_processed=True`; otherwise the rejection stands (SPEC §4.6/§4.7).
"""

from __future__ import annotations

import base64
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Protocol

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from loggro_app.core.clock import Clock
from loggro_app.dian.client import responses as r
from loggro_app.dian.client.envelope import PARSER, Credentials, build_envelope, random_id
from loggro_app.dian.client.transport import RetryPolicy, Transport
from loggro_app.dian.signing.bounded_zip import MAX_DOCUMENT_BYTES, read_member
from loggro_app.dian.signing.verify import signature_errors

SERVICE_PATH = "/WcfDianCustomerServices.svc"
SANDBOX_URL = "http://127.0.0.1:8765" + SERVICE_PATH
ENDPOINTS = {
    "sandbox": SANDBOX_URL,
    "habilitacion": "https://vpfe-hab.dian.gov.co" + SERVICE_PATH,
    "produccion": "https://vpfe.dian.gov.co" + SERVICE_PATH,
}
DUPLICATE_RULE = "90"


@dataclass(frozen=True)
class ClientConfig:
    environment: str = "sandbox"
    url: str | None = None  # overrides the environment's endpoint (e.g. sandbox port)
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timestamp_ttl: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.environment not in ENDPOINTS:
            raise ValueError(f"ambiente desconocido: {self.environment}")

    @property
    def endpoint(self) -> str:
        return self.url or ENDPOINTS[self.environment]


def document_key_in_zip(zip_bytes: bytes) -> str:
    """cbc:UUID of the (first) XML inside a DIAN zip."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        info = next(i for i in archive.infolist() if i.filename.lower().endswith(".xml"))
        root = etree.fromstring(read_member(archive, info, MAX_DOCUMENT_BYTES), PARSER)
    found = root.xpath("*[local-name()='UUID']/text()")
    return str(found[0]).strip() if found else ""


class SigningIdentity(Protocol):
    """A dian.Signer or Credentials: the organization's RSA key and certificate."""

    @property
    def key(self) -> rsa.RSAPrivateKey: ...

    @property
    def certificate(self) -> x509.Certificate: ...


class DianClient:
    def __init__(
        self,
        *,
        signer: SigningIdentity | None,
        clock: Clock,
        config: ClientConfig | None = None,
        http: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
        new_id: Callable[[], str] = random_id,
        dian_certificates: tuple[x509.Certificate, ...] = (),
    ) -> None:
        """`signer=None` sends unsigned envelopes (only useful against the sandbox)."""
        self.config = config or ClientConfig()
        self._credentials = (
            Credentials(signer.key, signer.certificate) if signer is not None else None
        )
        self._clock = clock
        self._new_id = new_id
        self._trusted = {c.fingerprint(hashes.SHA256()) for c in dian_certificates}
        self.transport = Transport(
            self.config.endpoint,
            timeout=self.config.timeout,
            retry=self.config.retry,
            http=http,
            sleep=sleep,
        )

    def __enter__(self) -> DianClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    def call(self, operation: str, params: list[tuple[str, str]]) -> etree._Element:
        """Low-level: signed request, retried by the transport; returns `<Op>Result`."""

        def envelope() -> bytes:
            return build_envelope(
                operation,
                params,
                to=self.config.endpoint,
                credentials=self._credentials,
                clock=self._clock,
                ttl=self.config.timestamp_ttl,
                new_id=self._new_id,
            )

        return self.transport.call(operation, envelope)

    def _checked(self, answer: r.DianResponse) -> r.DianResponse:
        """Verify DIAN's signed ApplicationResponse (XAdES, via the core verifier)."""
        data = answer.application_response
        if not data:
            return answer
        try:
            root = etree.fromstring(data, PARSER)
        except etree.XMLSyntaxError:
            return replace(answer, application_response_verified=False)
        ok = not signature_errors(data, root)
        if ok and self._trusted:
            cert = root.xpath("string(//*[local-name()='X509Certificate'])")
            der = base64.b64decode(str(cert))
            ok = x509.load_der_x509_certificate(der).fingerprint(hashes.SHA256()) in self._trusted
        return replace(answer, application_response_verified=ok)

    # -- documents -------------------------------------------------------------------
    def send_bill_sync(
        self, file_name: str, zip_bytes: bytes, *, resolve_duplicate: bool = True
    ) -> r.DianResponse:
        node = self.call("SendBillSync", _content(file_name, zip_bytes))
        answer = self._checked(r.parse_dian_response(node))
        if not resolve_duplicate:
            return answer
        return self.resolve_duplicate(answer, answer.document_key or "", zip_bytes)

    def resolve_duplicate(
        self, answer: r.DianResponse, document_key: str, zip_bytes: bytes = b""
    ) -> r.DianResponse:
        """Rule 90 on a document we sent before: DIAN's answer is what it holds under the
        document's own key (a retry after a lost answer), not the duplicate's rejection."""
        if answer.accepted or not _is_duplicate(answer):
            return answer
        key = document_key or (document_key_in_zip(zip_bytes) if zip_bytes else "")
        earlier = self.get_status(key) if key else None
        if earlier is not None and earlier.accepted and earlier.document_key == key:
            return replace(earlier, previously_processed=True)
        return answer

    def send_bill_async(self, file_name: str, zip_bytes: bytes) -> r.UploadResult:
        return r.parse_upload(self.call("SendBillAsync", _content(file_name, zip_bytes)))

    def send_test_set_async(
        self, file_name: str, zip_bytes: bytes, test_set_id: str
    ) -> r.UploadResult:
        params = [*_content(file_name, zip_bytes), ("testSetId", test_set_id)]
        return r.parse_upload(self.call("SendTestSetAsync", params))

    def send_event_update_status(self, zip_bytes: bytes) -> r.DianResponse:
        params = [("contentFile", base64.b64encode(zip_bytes).decode())]
        return self._checked(r.parse_dian_response(self.call("SendEventUpdateStatus", params)))

    # -- queries ---------------------------------------------------------------------
    def get_status(self, track_id: str) -> r.DianResponse:
        node = self.call("GetStatus", [("trackId", track_id)])
        return self._checked(r.parse_dian_response(node))

    def get_status_event(self, track_id: str) -> list[r.DianResponse]:
        """The events DIAN registered for a document (by its CUFE), oldest first: one
        DianResponse per event whose XmlBase64Bytes is the event's signed XML."""
        node = self.call("GetStatusEvent", [("trackId", track_id)])
        return r.parse_status_zip(node)

    def get_status_zip(self, track_id: str) -> list[r.DianResponse]:
        node = self.call("GetStatusZip", [("trackId", track_id)])
        return [self._checked(a) for a in r.parse_status_zip(node)]

    def get_numbering_range(
        self, account_code: str, account_code_t: str, software_code: str
    ) -> r.NumberingRangeResult:
        params = [
            ("accountCode", account_code),
            ("accountCodeT", account_code_t),
            ("softwareCode", software_code),
        ]
        return r.parse_numbering_range(self.call("GetNumberingRange", params))

    def get_xml_by_document_key(self, track_id: str) -> r.XmlDocumentResult:
        return r.parse_xml_by_key(self.call("GetXmlByDocumentKey", [("trackId", track_id)]))

    def get_acquirer(
        self, identification_type: str, identification_number: str
    ) -> r.AcquirerResult:
        params = [
            ("identificationType", identification_type),
            ("identificationNumber", identification_number),
        ]
        return r.parse_acquirer(self.call("GetAcquirer", params))


def _content(file_name: str, zip_bytes: bytes) -> list[tuple[str, str]]:
    return [("fileName", file_name), ("contentFile", base64.b64encode(zip_bytes).decode())]


def _is_duplicate(answer: r.DianResponse) -> bool:
    return any(m.code == DUPLICATE_RULE for m in answer.rejections) or (
        "procesado anteriormente" in answer.status_description.lower()
    )

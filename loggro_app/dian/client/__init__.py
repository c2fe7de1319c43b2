"""Client for DIAN's web services (WcfDianCustomerServices, SOAP 1.2 + WS-Security).

    from loggro_app.dian.client import DianClient, ClientConfig
    with DianClient(signer=signer, clock=clock, config=ClientConfig("sandbox", url=...)) as c:
        answer = c.send_bill_sync(built.file_names.zip, built.zip_bytes)

Environments: "sandbox" (default, our server on 127.0.0.1), "habilitacion", "produccion".
Network failures after the bounded retries raise core.errors.DianUnavailable; SOAP faults
raise SoapFault (a DianRejected); validation answers come back as typed results.
"""

from loggro_app.dian.client.envelope import Credentials, build_envelope
from loggro_app.dian.client.operations import (
    ENDPOINTS,
    SANDBOX_URL,
    SERVICE_PATH,
    ClientConfig,
    DianClient,
    document_key_in_zip,
)
from loggro_app.dian.client.responses import (
    AcquirerResult,
    DianResponse,
    MalformedAnswer,
    NumberingRange,
    NumberingRangeResult,
    RuleMessage,
    SoapFault,
    TrackIdError,
    UploadResult,
    XmlDocumentResult,
)
from loggro_app.dian.client.transport import RetryPolicy

__all__ = [
    "ENDPOINTS",
    "SANDBOX_URL",
    "SERVICE_PATH",
    "AcquirerResult",
    "ClientConfig",
    "Credentials",
    "DianClient",
    "DianResponse",
    "MalformedAnswer",
    "NumberingRange",
    "NumberingRangeResult",
    "RetryPolicy",
    "RuleMessage",
    "SoapFault",
    "TrackIdError",
    "UploadResult",
    "XmlDocumentResult",
    "build_envelope",
    "document_key_in_zip",
]

"""Typed results of DIAN's answers, parsed by local name (SPEC §4.3/§4.4).

DIAN serialises WCF data contracts: every field is a child in a `b:` namespace that varies
per contract (`.../2004/07/DianResponse`, `.../UploadDocumentResponse`, ...), string arrays
are `c:string` items. Matching local names keeps the parser independent of those URIs.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from lxml import etree

from loggro_app.core.errors import DianRejected
from loggro_app.dian.client.envelope import NS, PARSER, SOAP

ACCEPTED = "00"
_RULE = re.compile(r"^\s*Regla:\s*([^,]+?)\s*,\s*(Rechazo|Notificaci[oó]n)\s*:\s*(.*)$", re.S)


class SoapFault(DianRejected):
    """DIAN answered with a SOAP Fault (e.g. WS-Security errors come as HTTP 500 + Fault)."""

    def __init__(self, code: str, reason: str, detail: str = "") -> None:
        text = f"La DIAN rechazó la petición: {reason}" + (f" ({detail})" if detail else "")
        rule, _, explained = detail.partition(": ")
        if explained and rule.isalnum():
            rules = [(rule, explained)]
        else:
            rules = [(code, reason)]
        super().__init__(text, rules)
        self.code = code
        self.reason = reason
        self.detail = detail

    @property
    def is_sender_fault(self) -> bool:
        """Sender faults are the request's fault: retrying the same request cannot help."""
        return self.code.endswith("Sender")


class MalformedAnswer(Exception):
    """The body is not a SOAP answer we understand (the transport treats it as a failure)."""


@dataclass(frozen=True)
class RuleMessage:
    """One `Regla: X, Rechazo|Notificación: texto` line of `ErrorMessage`."""

    code: str
    level: str  # "Rechazo", "Notificación" or "" when DIAN sent free text
    text: str

    @property
    def is_rejection(self) -> bool:
        return self.level != "Notificación"

    def __str__(self) -> str:
        return f"Regla: {self.code}, {self.level}: {self.text}" if self.code else self.text


def parse_rule(raw: str) -> RuleMessage:
    found = _RULE.match(raw)
    if not found:
        return RuleMessage("", "", raw.strip())
    level = "Notificación" if found.group(2).startswith("Notific") else "Rechazo"
    return RuleMessage(found.group(1).strip(), level, found.group(3).strip())


def _field(node: etree._Element, name: str) -> str:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.text or "").strip()
    return ""


def _child(node: etree._Element, name: str) -> etree._Element | None:
    for child in node:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return child
    return None


def _strings(node: etree._Element | None) -> list[str]:
    if node is None:
        return []
    return [(c.text or "").strip() for c in node if isinstance(c.tag, str)]


@dataclass(frozen=True)
class DianResponse:
    """`DianResponse` (SendBillSync, GetStatus, GetStatusZip, SendEventUpdateStatus)."""

    is_valid: bool
    status_code: str
    status_description: str
    status_message: str
    messages: tuple[RuleMessage, ...]
    document_key: str
    file_name: str
    application_response: bytes | None = field(default=None, repr=False)
    application_response_verified: bool | None = None  # None: no ApplicationResponse
    previously_processed: bool = False  # rule 90 resolved to the earlier accepted send

    @property
    def accepted(self) -> bool:
        return self.is_valid and self.status_code == ACCEPTED

    @property
    def rejections(self) -> list[RuleMessage]:
        return [m for m in self.messages if m.is_rejection]

    @property
    def notifications(self) -> list[RuleMessage]:
        return [m for m in self.messages if not m.is_rejection]

    def rule_codes(self) -> list[str]:
        return [m.code for m in self.messages if m.code]

    def raise_for_rejection(self) -> DianResponse:
        """Return self when accepted, else raise DianRejected carrying every rule."""
        if self.accepted:
            return self
        text = self.status_description or "La DIAN no aceptó el documento."
        raise DianRejected(text, [(m.code, m.text) for m in self.rejections])


@dataclass(frozen=True)
class TrackIdError:
    """`XmlParamsResponseTrackId`: a document refused before validation of an async send."""

    file_name: str
    success: bool
    message: str
    document_key: str
    sender_code: str


@dataclass(frozen=True)
class UploadResult:
    """`UploadDocumentResponse` of SendBillAsync / SendTestSetAsync: poll GetStatusZip."""

    zip_key: str
    errors: tuple[TrackIdError, ...]


@dataclass(frozen=True)
class NumberingRange:
    resolution_number: str
    resolution_date: str
    prefix: str
    from_number: int
    to_number: int
    valid_from: str
    valid_to: str
    technical_key: str = field(repr=False)  # a secret: never logged


@dataclass(frozen=True)
class NumberingRangeResult:
    operation_code: str  # "100" = "Acción completada OK." (SPEC §4.3)
    description: str
    ranges: tuple[NumberingRange, ...]

    @property
    def ok(self) -> bool:
        return self.operation_code == "100"


@dataclass(frozen=True)
class XmlDocumentResult:
    code: str
    message: str
    xml_bytes: bytes | None = field(repr=False)
    validation_date: str = ""


@dataclass(frozen=True)
class AcquirerResult:
    status_code: str
    message: str
    name: str
    email: str


def envelope_result(data: bytes, operation: str) -> etree._Element:
    """The `<Op>Result` element of a SOAP answer; raises SoapFault or MalformedAnswer."""
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedAnswer(f"respuesta XML mal formada: {exc}") from None
    fault = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    if fault is not None:
        code = " ".join(fault.xpath("soap:Code/soap:Value/text()", namespaces=NS))
        reason = " ".join(fault.xpath("soap:Reason/soap:Text/text()", namespaces=NS))
        detail = " ".join(t.strip() for t in fault.xpath("soap:Detail//text()", namespaces=NS))
        raise SoapFault(code.strip(), reason.strip(), detail.strip())
    found = root.xpath(f"soap:Body/*/*[local-name()='{operation}Result']", namespaces=NS)
    if not found:
        raise MalformedAnswer(f"la respuesta no contiene {operation}Result")
    return found[0]


def parse_dian_response(node: etree._Element) -> DianResponse:
    encoded = _field(node, "XmlBase64Bytes")
    return DianResponse(
        is_valid=_field(node, "IsValid").lower() == "true",
        status_code=_field(node, "StatusCode"),
        status_description=_field(node, "StatusDescription"),
        status_message=_field(node, "StatusMessage"),
        messages=tuple(parse_rule(s) for s in _strings(_child(node, "ErrorMessage")) if s),
        document_key=_field(node, "XmlDocumentKey"),
        file_name=_field(node, "XmlFileName"),
        application_response=base64.b64decode(encoded) if encoded else None,
    )


def parse_status_zip(node: etree._Element) -> list[DianResponse]:
    return [parse_dian_response(c) for c in node if isinstance(c.tag, str)]


def parse_upload(node: etree._Element) -> UploadResult:
    errors = []
    listing = _child(node, "ErrorMessageList")
    for item in listing if listing is not None else []:
        if isinstance(item.tag, str):
            errors.append(
                TrackIdError(
                    file_name=_field(item, "XmlFileName"),
                    success=_field(item, "Success").lower() == "true",
                    message=_field(item, "ProcessedMessage"),
                    document_key=_field(item, "DocumentKey"),
                    sender_code=_field(item, "SenderCode"),
                )
            )
    return UploadResult(zip_key=_field(node, "ZipKey"), errors=tuple(errors))


def _range(item: etree._Element) -> NumberingRange:
    def number(name: str) -> int:
        text = _field(item, name)
        return int(text) if text.isdigit() else 0

    return NumberingRange(
        resolution_number=_field(item, "ResolutionNumber"),
        resolution_date=_field(item, "ResolutionDate"),
        prefix=_field(item, "Prefix"),
        from_number=number("FromNumber"),
        to_number=number("ToNumber"),
        valid_from=_field(item, "ValidDateFrom"),
        valid_to=_field(item, "ValidDateTo"),
        technical_key=_field(item, "TechnicalKey"),
    )


def parse_numbering_range(node: etree._Element) -> NumberingRangeResult:
    items = _child(node, "ResponseList")
    return NumberingRangeResult(
        operation_code=_field(node, "OperationCode"),
        description=_field(node, "OperationDescription"),
        ranges=tuple(
            _range(i) for i in (items if items is not None else []) if isinstance(i.tag, str)
        ),
    )


def parse_xml_by_key(node: etree._Element) -> XmlDocumentResult:
    encoded = _field(node, "XmlBytesBase64")
    return XmlDocumentResult(
        code=_field(node, "Code"),
        message=_field(node, "Message"),
        xml_bytes=base64.b64decode(encoded) if encoded else None,
        validation_date=_field(node, "ValidationDate"),
    )


def parse_acquirer(node: etree._Element) -> AcquirerResult:
    return AcquirerResult(
        status_code=_field(node, "StatusCode"),
        message=_field(node, "Message"),
        name=_field(node, "ReceiverName"),
        email=_field(node, "ReceiverEmail"),
    )

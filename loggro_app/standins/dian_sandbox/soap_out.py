"""Answers shaped like DIAN's WCF service (SPEC §4.3/§4.4): data contracts in `b:`
namespaces, alphabetical members, string arrays as `c:string`, a WS-Security timestamp in
the header, faults as SOAP 1.2 Fault with HTTP 500."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree

from loggro_app.dian.client.envelope import ACTION_BASE, SOAP, WCF, WSA, WSSE, WSU

CONTRACT = "http://schemas.datacontract.org/2004/07/"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Finding:
    """One rule result: `Regla: <code>, Rechazo|Notificación: <text>` (SPEC §4.4)."""

    code: str
    text: str
    blocking: bool = True

    def line(self) -> str:
        level = "Rechazo" if self.blocking else "Notificación"
        return f"Regla: {self.code}, {level}: {self.text}"


@dataclass
class Answer:
    """What the sandbox stores and serialises as a `DianResponse`."""

    is_valid: bool
    status_code: str
    description: str
    message: str
    lines: list[str] = field(default_factory=list)
    document_key: str = ""
    file_name: str = ""
    application_response: str = ""  # base64 of DIAN's signed ApplicationResponse

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        return cls(**data)


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    node = etree.SubElement(parent, tag)
    node.text = text
    return node


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)  # written with 'Z': convert, never relabel
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def envelope(operation: str, result: etree._Element, now: datetime) -> bytes:
    env = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"s": SOAP, "a": WSA, "u": WSU})
    header = _sub(env, f"{{{SOAP}}}Header")
    action = _sub(header, f"{{{WSA}}}Action", f"{ACTION_BASE}{operation}Response")
    action.set(f"{{{SOAP}}}mustUnderstand", "1")
    security = etree.SubElement(header, f"{{{WSSE}}}Security", nsmap={"o": WSSE})
    security.set(f"{{{SOAP}}}mustUnderstand", "1")
    stamp = _sub(security, f"{{{WSU}}}Timestamp")
    stamp.set(f"{{{WSU}}}Id", "_0")
    _sub(stamp, f"{{{WSU}}}Created", _stamp(now))
    _sub(stamp, f"{{{WSU}}}Expires", _stamp(now + timedelta(minutes=5)))
    body = _sub(env, f"{{{SOAP}}}Body")
    wrapper = etree.SubElement(body, f"{{{WCF}}}{operation}Response", nsmap={None: WCF})
    wrapper.append(result)
    return bytes(etree.tostring(env, encoding="utf-8"))


def result_element(operation: str, contract: str) -> etree._Element:
    return etree.Element(
        f"{{{WCF}}}{operation}Result", nsmap={None: WCF, "b": CONTRACT + contract, "i": XSI}
    )


def fill_dian_response(node: etree._Element, answer: Answer) -> etree._Element:
    b = node.nsmap.get("b") or CONTRACT + "DianResponse"
    errors = etree.SubElement(node, f"{{{b}}}ErrorMessage", nsmap={"c": ARRAYS})
    for line in answer.lines:
        _sub(errors, f"{{{ARRAYS}}}string", line)
    _sub(node, f"{{{b}}}IsValid", "true" if answer.is_valid else "false")
    _sub(node, f"{{{b}}}StatusCode", answer.status_code)
    _sub(node, f"{{{b}}}StatusDescription", answer.description)
    _sub(node, f"{{{b}}}StatusMessage", answer.message)
    if answer.application_response:
        _sub(node, f"{{{b}}}XmlBase64Bytes", answer.application_response)
    else:
        _sub(node, f"{{{b}}}XmlBase64Bytes").set(f"{{{XSI}}}nil", "true")
    _sub(node, f"{{{b}}}XmlBytes").set(f"{{{XSI}}}nil", "true")
    _sub(node, f"{{{b}}}XmlDocumentKey", answer.document_key or None)
    _sub(node, f"{{{b}}}XmlFileName", answer.file_name or None)
    return node


def dian_response(operation: str, answer: Answer) -> etree._Element:
    return fill_dian_response(result_element(operation, "DianResponse"), answer)


def status_zip(answers: list[Answer]) -> etree._Element:
    node = result_element("GetStatusZip", "DianResponse")
    for answer in answers:
        fill_dian_response(_sub(node, f"{{{CONTRACT}DianResponse}}DianResponse"), answer)
    return node


def upload(operation: str, zip_key: str, errors: list[dict[str, str]]) -> etree._Element:
    node = result_element(operation, "UploadDocumentResponse")
    b = CONTRACT + "UploadDocumentResponse"
    c = CONTRACT + "XmlParamsResponseTrackId"
    listing = etree.SubElement(node, f"{{{b}}}ErrorMessageList", nsmap={"c": c})
    for item in errors:
        entry = _sub(listing, f"{{{c}}}XmlParamsResponseTrackId")
        for name in ("DocumentKey", "ProcessedMessage", "SenderCode", "Success", "XmlFileName"):
            _sub(entry, f"{{{c}}}{name}", item.get(name, ""))
    _sub(node, f"{{{b}}}ZipKey", zip_key or None)
    return node


def numbering_range(code: str, description: str, ranges: list[dict[str, str]]) -> etree._Element:
    node = result_element("GetNumberingRange", "NumberRangeResponseList")
    b = CONTRACT + "NumberRangeResponseList"
    c = CONTRACT + "NumberRangeResponse"
    _sub(node, f"{{{b}}}OperationCode", code)
    _sub(node, f"{{{b}}}OperationDescription", description)
    listing = etree.SubElement(node, f"{{{b}}}ResponseList", nsmap={"c": c})
    for item in ranges:
        entry = _sub(listing, f"{{{c}}}NumberRangeResponse")
        for name, value in item.items():
            _sub(entry, f"{{{c}}}{name}", value)
    return node


def xml_by_key(code: str, message: str, xml: bytes | None, when: str) -> etree._Element:
    node = result_element("GetXmlByDocumentKey", "EventResponse")
    b = CONTRACT + "EventResponse"
    _sub(node, f"{{{b}}}Code", code)
    _sub(node, f"{{{b}}}Message", message)
    _sub(node, f"{{{b}}}ValidationDate", when or None)
    _sub(node, f"{{{b}}}XmlBytesBase64", base64.b64encode(xml).decode() if xml else None)
    return node


def acquirer(code: str, message: str, name: str, email: str) -> etree._Element:
    node = result_element("GetAcquirer", "AcquirerResponse")
    b = CONTRACT + "AcquirerResponse"
    _sub(node, f"{{{b}}}Message", message)
    _sub(node, f"{{{b}}}ReceiverEmail", email or None)
    _sub(node, f"{{{b}}}ReceiverName", name or None)
    _sub(node, f"{{{b}}}StatusCode", code)
    return node


def fault(reason: str, detail: str, *, sender: bool = True, subcode: str = "") -> bytes:
    """WCF's security fault (or `subcode`); `detail` carries the sandbox's precise code
    (WSSnn: text)."""
    env = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"s": SOAP})
    body = _sub(env, f"{{{SOAP}}}Body")
    node = _sub(body, f"{{{SOAP}}}Fault")
    code = _sub(node, f"{{{SOAP}}}Code")
    _sub(code, f"{{{SOAP}}}Value", "s:Sender" if sender else "s:Receiver")
    sub = _sub(code, f"{{{SOAP}}}Subcode")
    value = etree.SubElement(
        sub,
        f"{{{SOAP}}}Value",
        nsmap={
            "a": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
        },
    )
    value.text = subcode or ("a:InvalidSecurity" if sender else "a:InternalServiceFault")
    text = _sub(_sub(node, f"{{{SOAP}}}Reason"), f"{{{SOAP}}}Text", reason)
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en-US")
    _sub(_sub(node, f"{{{SOAP}}}Detail"), f"{{{WCF}}}Detail", detail)
    return bytes(etree.tostring(env, encoding="utf-8"))

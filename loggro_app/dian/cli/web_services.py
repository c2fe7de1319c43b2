"""`python -m loggro_app.dian send|status|numbering-range|acquirer` — DIAN web services.

Registered by the CLI (cli/__init__.py). Prints DIAN's answer in plain Spanish with every
rule code; `send` exits 0 only when the document was accepted (status 00). `send` picks the
operation from the document's root: an ApplicationResponse (buyer/RADIAN event) goes to
SendEventUpdateStatus, anything else to SendBillSync (or SendTestSetAsync with a test set).
Exit codes: 0 accepted/ok,
1 rejected, 2 usage or input error, 3 DIAN unreachable.
Secrets (certificate password, technical key) are read from the environment and never
printed (the technical key only with --show-key, on request).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

from lxml import etree

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import DianRejected, DianUnavailable, ValidationError
from loggro_app.dian import demo
from loggro_app.dian.client import ENDPOINTS, ClientConfig, DianClient, DianResponse
from loggro_app.dian.rules.untrusted_xml import RefusedXml, parse_untrusted
from loggro_app.dian.signing.bounded_zip import MAX_DOCUMENT_BYTES, ZipTooLarge, xml_members
from loggro_app.dian.signing.packaging import deterministic_zip, file_names
from loggro_app.dian.signing.signer import Signer

DEMO_P12 = Path(__file__).resolve().parents[3] / "examples" / "demo-cert.p12"
DEMO_PASSWORD = "demo"  # documented password of the self-signed demo certificate only
_KIND = {
    "Invoice": "invoice",
    "CreditNote": "credit_note",
    "DebitNote": "debit_note",
    "ApplicationResponse": "application_response",
}
EVENT_ROOT = "ApplicationResponse"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _signer(args: argparse.Namespace) -> Signer:
    if args.p12:
        return Signer.from_file(args.p12, args.password_env)
    if args.env == "sandbox" and DEMO_P12.is_file():
        password = os.environ.get(args.password_env, DEMO_PASSWORD)
        return Signer.from_pkcs12(DEMO_P12.read_bytes(), password.encode())
    raise ValidationError({"p12": "p12: indique el certificado con --p12 y --password-env."})


def _client(args: argparse.Namespace) -> DianClient:
    url = args.url or os.environ.get("LOGGRO_DIAN_URL") if args.env == "sandbox" else args.url
    config = ClientConfig(args.env, url=url or None, timeout=args.timeout)
    return DianClient(signer=_signer(args), clock=system_clock, config=config)


def _root_name(xml: bytes) -> str:
    """Local name of the document's root element ("" when it is not readable XML)."""
    try:
        return etree.QName(parse_untrusted(xml)).localname
    except (etree.XMLSyntaxError, RefusedXml):
        return ""


def _zip_root_name(data: bytes) -> str:
    """Root of the first XML in a zip; "" when the zip cannot be read (DIAN will say why)."""
    try:
        members = xml_members(data, max_members=1, max_bytes=MAX_DOCUMENT_BYTES)
    except (zipfile.BadZipFile, ZipTooLarge):
        return ""
    return _root_name(members[0][1]) if members else ""


def _zip_for(path: Path) -> tuple[str, bytes, str]:
    """(zip name, zip bytes, root element): a .zip is sent as is; an XML is zipped with
    DIAN's names. The root element decides the operation (events go to their own one)."""
    data = path.read_bytes()
    if path.suffix.lower() == ".zip":
        return path.name, data, _zip_root_name(data)
    root = etree.fromstring(data, _PARSER)
    kind = etree.QName(root).localname
    get = lambda p: str(root.xpath(f"string({p})"))  # noqa: E731
    nit = get("//*[local-name()='AccountingSupplierParty']//*[local-name()='CompanyID']")
    nit = nit or get("//*[local-name()='SenderParty']//*[local-name()='CompanyID']")
    number = "".join(c for c in get("*[local-name()='ID']") if c.isdigit())
    try:
        names = file_names(
            _KIND.get(kind, "invoice"),
            nit=nit,
            year=int(get("*[local-name()='IssueDate']")[:4]),
            sequence=max(int(number[-9:] or 1) % 0xFFFFFFFF, 1),
        )
        return names.zip, deterministic_zip([(names.xml, data)]), kind
    except (ValidationError, ValueError):
        return f"z{path.stem}.zip", deterministic_zip([(path.name, data)]), kind


def print_answer(answer: DianResponse, environment: str) -> None:
    verdict = "ACEPTADO" if answer.accepted else "NO ACEPTADO"
    print(f"Respuesta de la DIAN ({environment}): {verdict}")
    print(f"Estado: {answer.status_code or '(vacío)'} — {answer.status_description}")
    if answer.status_message:
        print(f"Mensaje: {answer.status_message}")
    if answer.document_key:
        print(f"CUFE/CUDE: {answer.document_key}")
    if answer.previously_processed:
        print("Nota: la DIAN ya había recibido y aceptado este mismo documento (regla 90).")
    for message in answer.messages:
        label = message.level or "Mensaje"
        print(
            f"  [{label}] {message.code}: {message.text}" if message.code else f"  {message.text}"
        )
    if answer.application_response is not None:
        state = "firma verificada" if answer.application_response_verified else "FIRMA NO VÁLIDA"
        print(f"ApplicationResponse de la DIAN: {state}")


def _cmd_send(args: argparse.Namespace) -> int:
    name, content, kind = _zip_for(Path(args.file))
    with _client(args) as client:
        if kind == EVENT_ROOT and not args.test_set_id:
            # Buyer and RADIAN events are not bills: DIAN registers them with their own
            # operation, and SendBillSync would refuse them.
            print("Evento (ApplicationResponse): se envía con SendEventUpdateStatus.")
            answers = [client.send_event_update_status(content)]
        elif args.test_set_id:
            upload = client.send_test_set_async(name, content, args.test_set_id)
            if not upload.zip_key:
                for error in upload.errors:
                    print(f"  [Rechazo] {error.file_name}: {error.message}")
                return 1
            print(f"ZipKey: {upload.zip_key}")
            answers = _poll(client, upload.zip_key, args.poll_seconds)
        else:
            answers = [client.send_bill_sync(name, content)]
    for answer in answers:
        print_answer(answer, args.env)
    if args.save_response and answers[0].application_response:
        Path(args.save_response).write_bytes(answers[0].application_response)
    return 0 if answers and all(a.accepted for a in answers) else 1


def _poll(client: DianClient, zip_key: str, seconds: float) -> list[DianResponse]:
    """GetStatusZip until the batch leaves "en proceso" (SPEC §4.6: poll a few s apart)."""
    deadline = time.monotonic() + seconds
    while True:
        answers = client.get_status_zip(zip_key)
        if any(a.status_code for a in answers) or time.monotonic() > deadline:
            return answers
        time.sleep(min(5.0, seconds))


def _cmd_status(args: argparse.Namespace) -> int:
    with _client(args) as client:
        if args.zip:
            answers = client.get_status_zip(args.track_id)
        else:
            answers = [client.get_status(args.track_id)]
    for answer in answers:
        print_answer(answer, args.env)
    return 0 if all(a.accepted for a in answers) else 1


def _cmd_numbering(args: argparse.Namespace) -> int:
    with _client(args) as client:
        result = client.get_numbering_range(args.nit, args.provider or args.nit, args.software_id)
    print(f"Resultado: {result.operation_code} — {result.description}")
    for r in result.ranges:
        key = r.technical_key if args.show_key else "(oculta; use --show-key)"
        print(
            f"  Resolución {r.resolution_number} del {r.resolution_date}: prefijo "
            f"{r.prefix or '(sin prefijo)'}, del {r.from_number} al {r.to_number}, vigente "
            f"{r.valid_from} a {r.valid_to}; clave técnica: {key}"
        )
    return 0 if result.ok else 1


def _cmd_acquirer(args: argparse.Namespace) -> int:
    with _client(args) as client:
        result = client.get_acquirer(args.id_type, args.nit)
    print(f"Resultado: {result.status_code} — {result.message}")
    if result.email or result.name:
        print(f"  Adquirente: {result.name or '(sin nombre)'}")
        print(f"  Correo de recepción: {result.email or '(no registrado)'}")
    return 0 if result.email else 1


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", choices=sorted(ENDPOINTS), default="sandbox")
    parser.add_argument("--url", help="URL del servicio (por defecto la del ambiente)")
    parser.add_argument("--p12", help="certificado PKCS#12 de la organización")
    parser.add_argument("--password-env", default=demo.P12_PASSWORD_ENV)
    parser.add_argument("--timeout", type=float, default=30.0)


def run(func):  # type: ignore[no-untyped-def]
    """Translate the project's errors to Spanish messages and exit codes."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except DianUnavailable as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 3
        except DianRejected as exc:
            print(f"rechazado: {exc.message}", file=sys.stderr)
            for code, text in exc.rules:
                print(f"  [Rechazo] {code}: {text}", file=sys.stderr)
            return 1
        except (etree.XMLSyntaxError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    return wrapper


def add_ws_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    send = sub.add_parser("send", help="enviar un XML firmado (o ZIP) a la DIAN")
    send.add_argument("file")
    send.add_argument("--test-set-id", help="enviar al set de pruebas (SendTestSetAsync)")
    send.add_argument("--poll-seconds", type=float, default=60.0)
    send.add_argument("--save-response", help="guardar el ApplicationResponse de la DIAN")
    status = sub.add_parser("status", help="consultar el estado (GetStatus / GetStatusZip)")
    status.add_argument("track_id")
    status.add_argument("--zip", action="store_true", help="el track id es un ZipKey")
    numbering = sub.add_parser("numbering-range", help="rangos de numeración (GetNumberingRange)")
    numbering.add_argument("--nit", default=demo.ISSUER_NIT)
    numbering.add_argument("--provider", help="NIT del proveedor del software")
    numbering.add_argument("--software-id", default=demo.SOFTWARE_ID)
    numbering.add_argument("--show-key", action="store_true")
    acquirer = sub.add_parser("acquirer", help="correo de recepción de un adquirente")
    acquirer.add_argument("nit")
    acquirer.add_argument("--id-type", default="31")
    for parser, func in (
        (send, _cmd_send),
        (status, _cmd_status),
        (numbering, _cmd_numbering),
        (acquirer, _cmd_acquirer),
    ):
        _common(parser)
        parser.set_defaults(func=run(func))

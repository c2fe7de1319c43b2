"""`python -m loggro_app.dian build|verify|devcert` — the command-line edge of the DIAN core.

This is the only module that reads the wall clock, files and environment variables.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lxml import etree

from loggro_app.core.clock import system_clock
from loggro_app.core.errors import ValidationError
from loggro_app.dian import demo
from loggro_app.dian.build import build_document
from loggro_app.dian.build_events import build_event
from loggro_app.dian.json_format.document import load_json, parse_document
from loggro_app.dian.json_format.event import EVENT_KIND, parse_event
from loggro_app.dian.rules.untrusted_xml import RefusedXml, parse_untrusted
from loggro_app.dian.signing.devcert import create_dev_p12
from loggro_app.dian.signing.signer import Signer
from loggro_app.dian.signing.verify import type_code, verify_xml
from loggro_app.dian.unique_code import uses_technical_key
from loggro_app.dian.xmlns import XPATH_NS


def _cmd_build(args: argparse.Namespace) -> int:
    raw = load_json(Path(args.spec).read_bytes())
    signer = Signer.from_file(args.p12, args.password_env) if args.p12 else None
    if isinstance(raw, dict) and raw.get("kind") == EVENT_KIND:
        if signer is None:
            raise ValidationError({"p12": "p12: los eventos solo se generan firmados (use --p12)."})
        built = build_event(
            parse_event(raw, clock=system_clock), signer=signer, clock=system_clock
        )
    else:
        document = parse_document(raw, clock=system_clock)
        built = build_document(document, signer=signer, clock=system_clock)
    Path(args.output).write_bytes(built.xml_bytes)
    if args.zip:
        Path(args.zip).write_bytes(built.zip_bytes)
    print(f"{built.scheme_name.split('-')[0]}: {built.unique_code}")
    print(f"archivo DIAN: {built.file_names.xml} / {built.file_names.zip}")
    if not built.signed:
        print("advertencia: documento SIN FIRMA (use --p12 y --password-env)", file=sys.stderr)
    return 0


def _secret_for(root: etree._Element, args: argparse.Namespace) -> str | None:
    """Technical key for CUFE documents, PIN otherwise; demo secrets for demo software."""
    if etree.QName(root).localname == "AttachedDocument":  # the carried document decides
        payload = root.xpath("string(cac:Attachment//cbc:Description)", namespaces=XPATH_NS)
        root = parse_untrusted(str(payload).encode("utf-8"))
    wants_key = uses_technical_key(type_code(root))
    env = args.technical_key_env if wants_key else args.pin_env
    if env:
        return os.environ.get(env)
    software = root.xpath("string(//sts:SoftwareID)", namespaces=XPATH_NS)
    if software == demo.SOFTWARE_ID:
        return demo.TECHNICAL_KEY if wants_key else demo.SOFTWARE_PIN
    return None


def _cmd_verify(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()
    try:
        secret = _secret_for(parse_untrusted(data), args)
    except (etree.XMLSyntaxError, RefusedXml):
        secret = None  # verify_xml reports why with its rule
    report = verify_xml(data, secret=secret)
    for note in report.notes:
        print(f"nota: {note}")
    for warning in report.warnings:
        print(f"advertencia: {warning}")
    for error in report.errors:
        print(f"error: {error}")
    if report.ok:
        print(f"OK {report.unique_code or ''}".rstrip())
        return 0
    return 2 if report.unreadable else 1


def _cmd_devcert(args: argparse.Namespace) -> int:
    password = os.environ.get(args.password_env)
    if not password:
        raise ValidationError({"password": f"defina la variable de entorno {args.password_env}."})
    p12 = create_dev_p12(
        nit=args.nit,
        organization=args.name,
        password=password.encode(),
        not_before=system_clock(),
        days=args.days,
    )
    Path(args.output).write_bytes(p12)
    print(f"certificado de desarrollo escrito en {args.output} (no válido ante la DIAN)")
    return 0


def add_document_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    build = sub.add_parser("build", help="construir, firmar y validar un documento desde JSON")
    build.add_argument("spec")
    build.add_argument("-o", "--output", required=True)
    build.add_argument("--zip", help="también escribir el ZIP para la DIAN")
    build.add_argument("--p12")
    build.add_argument("--password-env", default=demo.P12_PASSWORD_ENV)
    build.set_defaults(func=_cmd_build)
    verify = sub.add_parser("verify", help="verificar XSD, firma y CUFE/CUDE de un XML")
    verify.add_argument("file")
    verify.add_argument("--technical-key-env")
    verify.add_argument("--pin-env")
    verify.set_defaults(func=_cmd_verify)
    devcert = sub.add_parser("devcert", help="crear un certificado PKCS#12 de desarrollo")
    devcert.add_argument("-o", "--output", required=True)
    devcert.add_argument("--nit", default=demo.ISSUER_NIT)
    devcert.add_argument("--name", default=demo.ISSUER_NAME)
    devcert.add_argument("--days", type=int, default=730)
    devcert.add_argument("--password-env", default=demo.P12_PASSWORD_ENV)
    devcert.set_defaults(func=_cmd_devcert)

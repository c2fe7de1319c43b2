"""`python -m loggro_app.standins.dian_sandbox --port N [--host 127.0.0.1] [--db FILE|:memory:]`

and the admin commands, which talk to a running sandbox's /admin API:

    python -m loggro_app.standins.dian_sandbox admin --port N taxpayer 900555111 "EMPRESA X"
    python -m loggro_app.standins.dian_sandbox admin --port N test-set-progress <TestSetId>
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from loggro_app.mail import MailSettings
from loggro_app.standins.dian_sandbox.app import create_app, is_loopback
from loggro_app.standins.dian_sandbox.faults import KINDS, Fault, FaultPlan, parse_rate
from loggro_app.standins.dian_sandbox.supplier import SUPPLIER_MAIL


def smtp_settings(value: str) -> MailSettings | None:
    """The simulated supplier's outgoing mail server, `HOST:PORT` without TLS (local)."""
    if not value:
        return None
    host, _, port = value.rpartition(":")
    return MailSettings(host=host or "127.0.0.1", port=int(port),
                        sender=f"Proveedor simulado <{SUPPLIER_MAIL}>")


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m loggro_app.standins.dian_sandbox")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", default=":memory:", help="archivo SQLite o :memory:")
    parser.add_argument("--latency", type=float, default=0.0, help="segundos extra por petición")
    parser.add_argument("--fault", choices=KINDS, help="falla inyectada en TODAS las peticiones")
    parser.add_argument("--fault-seconds", type=float, default=0.0)
    parser.add_argument("--fault-rate", action="append", default=[], type=parse_rate,
                        metavar="TIPO=PROPORCIÓN",
                        help="esa proporción de las peticiones falla así, al azar "
                             "(p. ej. timeout=0.05; repetible; --fault-seconds las sostiene)")
    parser.add_argument("--smtp", default="",
                        help="HOST:PUERTO del servidor SMTP por el que el proveedor simulado "
                             "envía sus facturas")
    args = parser.parse_args(argv)
    import uvicorn

    always = Fault(args.fault, args.fault_seconds) if args.fault else None
    app = create_app(
        db=args.db,
        faults=FaultPlan(latency=args.latency, always=always, rates=dict(args.fault_rate),
                         rate_seconds=args.fault_seconds),
        admin_enabled=is_loopback(args.host),  # the admin API exists only on loopback
        smtp=smtp_settings(args.smtp),
    )
    print(
        f"sandbox DIAN en http://{args.host}:{args.port}/WcfDianCustomerServices.svc",
        flush=True,
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=3,  # held "timeout" faults must not block a stop
    )
    return 0


ADMIN_COMMANDS: dict[str, tuple[str, str, list[str]]] = {
    # name: (method, path, positional fields)
    "taxpayer": ("POST", "/admin/taxpayers", ["nit", "name"]),
    "show-taxpayer": ("GET", "/admin/taxpayers/{nit}", ["nit"]),
    "software": ("POST", "/admin/software", ["nit", "software_id", "pin", "provider_nit"]),
    "resolution": (
        "POST",
        "/admin/resolutions",
        ["nit", "number", "prefix", "range_from", "range_to", "valid_from", "valid_to"],
    ),
    "associate": ("POST", "/admin/associations", ["nit", "prefix", "software_id", "resolution"]),
    "test-set": ("POST", "/admin/test-sets", ["nit", "software_id"]),
    "test-set-progress": ("GET", "/admin/test-sets/{test_set_id}", ["test_set_id"]),
    "acquirer": ("POST", "/admin/acquirers", ["id_type", "id_number", "name", "email"]),
    "clock": ("POST", "/admin/clock", ["advance_seconds"]),
    "fault": ("POST", "/admin/faults", ["kind", "count"]),
    "clear-faults": ("DELETE", "/admin/faults", []),
    "supplier-invoice": ("POST", "/admin/supplier-invoices",
                         ["buyer_nit", "buyer_name", "address"]),
}


def admin(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m loggro_app.standins.dian_sandbox admin")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--set", action="append", default=[], help="campo=valor extra (JSON)")
    parser.add_argument("command", choices=sorted(ADMIN_COMMANDS))
    parser.add_argument("values", nargs="*")
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        print("error: la administración solo funciona contra 127.0.0.1", file=sys.stderr)
        return 2
    method, path, fields = ADMIN_COMMANDS[args.command]
    payload: dict[str, Any] = dict(zip(fields, args.values, strict=False))
    for item in args.set:
        name, _, value = item.partition("=")
        try:
            payload[name] = json.loads(value)
        except json.JSONDecodeError:
            payload[name] = value
    import httpx

    url = f"http://{args.host}:{args.port}" + path.format(**payload)
    with httpx.Client(trust_env=False, timeout=10) as http:
        response = http.request(method, url, json=payload if method == "POST" else None)
    print(response.text)
    return 0 if response.is_success else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "admin":
        return admin(argv[1:])
    return serve(argv)


if __name__ == "__main__":
    sys.exit(main())

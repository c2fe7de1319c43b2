"""`python -m loggro_app.dian`: documents offline (build, verify, devcert) and DIAN's web
services (send, status, numbering-range, acquirer)."""

from __future__ import annotations

import argparse
import sys

from loggro_app.core.errors import ValidationError
from loggro_app.dian.cli.documents import add_document_commands
from loggro_app.dian.cli.web_services import add_ws_commands


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m loggro_app.dian", description="Documentos electrónicos DIAN (UBL 2.1)."
    )
    sub = root.add_subparsers(dest="command", required=True)
    add_document_commands(sub)
    add_ws_commands(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ValidationError as exc:
        for field, message in exc.errors.items():
            print(f"error ({field}): {message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.strerror}: {exc.filename}", file=sys.stderr)
        return 1

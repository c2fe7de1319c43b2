"""Messages per second delivered to the local SMTP server: one connection per message,
and one connection reused for all of them.

    python bench/mail.py [--n 200] [--pdf-kb 60]

Starts the SMTP stand-in on free 127.0.0.1 ports (stopped by PID at the end), sends `n`
DIAN delivery messages (AttachedDocument + a PDF of `pdf-kb` KB of incompressible bytes,
the size of a typical graphic representation) each way and prints the rates. Building the
message is timed apart. Not a test: prints figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loggro_app.local_stack import LocalStack  # noqa: E402
from loggro_app.mail import (  # noqa: E402
    DocumentSubject,
    MailConnection,
    MailSettings,
    build_document_mail,
    send_message,
)

SUBJECT = DocumentSubject("900123456", "MI EMPRESA SAS", "FE1", "01", "MI EMPRESA")
XML_NAME = "ad09001234560002600000001.xml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--pdf-kb", type=int, default=60)
    args = parser.parse_args()
    xml = b"<AttachedDocument>" + b"<cac:Line>x</cac:Line>" * 800 + b"</AttachedDocument>"
    pdf = random.Random(1).randbytes(args.pdf_kb * 1024)

    start = time.perf_counter()
    message = build_document_mail(recipient="compras@andina.co", subject=SUBJECT,
                                  attached_xml=xml, xml_name=XML_NAME, pdf=pdf)
    for _ in range(args.n - 1):
        build_document_mail(recipient="compras@andina.co", subject=SUBJECT,
                            attached_xml=xml, xml_name=XML_NAME, pdf=pdf)
    build_ms = 1000 * (time.perf_counter() - start) / args.n
    size_kb = len(message.as_bytes()) / 1024

    with tempfile.TemporaryDirectory() as work:
        stack = LocalStack(log_dir=Path(work), app_url="http://127.0.0.1:9")
        stack.services.append(stack.start_smtp(dict(os.environ)))
        try:
            settings = MailSettings.from_env(stack.env())
            start = time.perf_counter()
            for _ in range(args.n):
                assert send_message(message, "compras@andina.co", settings=settings).accepted
            fresh = args.n / (time.perf_counter() - start)
            start = time.perf_counter()
            with MailConnection(settings) as connection:
                for _ in range(args.n):
                    assert connection.send(message, "compras@andina.co").accepted
            reused = args.n / (time.perf_counter() - start)
        finally:
            stack.stop()
    print(f"mensaje de {size_kb:.0f} KB; construirlo: {build_ms:.2f} ms")
    print(f"una conexión por mensaje:   {fresh:7.1f} mensajes/s ({args.n} mensajes)")
    print(f"una conexión reutilizada:   {reused:7.1f} mensajes/s ({args.n} mensajes)")


if __name__ == "__main__":
    main()

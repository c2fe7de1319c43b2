"""`python -m loggro_app.standins.smtp --port 8025 --admin-port 8026 --store data/smtp`"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loggro_app.standins.smtp.admin import create_admin_app
from loggro_app.standins.smtp.faults import FaultBook
from loggro_app.standins.smtp.handler import StoringHandler
from loggro_app.standins.smtp.store import MailStore

HOST = "127.0.0.1"  # never reachable from another machine: it accepts mail from anyone
# Above DIAN's 2 MB per message, as a real provider's limit would be, so an oversized
# message is caught by the product's own check rather than silently truncated here.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loggro_app.standins.smtp")
    parser.add_argument("--port", type=int, default=8025, help="puerto SMTP")
    parser.add_argument("--admin-port", type=int, default=8026, help="puerto de la API admin")
    parser.add_argument("--store", default="data/smtp", help="carpeta de los mensajes")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    import uvicorn
    from aiosmtpd.controller import Controller

    store, faults = MailStore(Path(args.store)), FaultBook()
    controller = Controller(StoringHandler(store, faults), hostname=HOST, port=args.port,
                            server_hostname="smtp.loggro.local",
                            data_size_limit=MAX_MESSAGE_BYTES)
    controller.start()  # its own thread; returns once the port answers
    print(f"SMTP local en {HOST}:{args.port}, admin en http://{HOST}:{args.admin_port}/admin",
          flush=True)
    try:
        uvicorn.run(create_admin_app(store, faults), host=HOST, port=args.admin_port,
                    log_level="warning", access_log=False, timeout_graceful_shutdown=3)
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The app's API as its own process for the PMS benchmarks: DBOS launched (issuing goes on
in the background against the configured DIAN) and the FastAPI app served by uvicorn on
127.0.0.1. Configured by the environment (REFLEX_DB_URL, LOGGRO_DATA_DIR, LOGGRO_DIAN_URL,
LOGGRO_PUBLIC_URL, ...).

    python bench/pms_app.py [--reuse-port] PORT [ORGANIZATION CONNECTION PUSH_ROUND]

With the last three, the connection's token is pushed to the PMS once DBOS runs. With
--reuse-port several of these processes listen on the same port and the kernel spreads the
connections over them (SO_REUSEPORT), as several backend workers behind one address do.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn  # noqa: E402

from loggro_app.api import api  # noqa: E402
from loggro_app.durable import engine  # noqa: E402
from loggro_app.durable import pms as pms_work  # noqa: E402


def shared_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    return sock


def main() -> None:
    args = sys.argv[1:]
    reuse_port = args[:1] == ["--reuse-port"]
    args = args[1:] if reuse_port else args
    port = int(args[0])
    engine.launch()
    try:
        if len(args) == 4:
            pms_work.start_push(int(args[1]), int(args[2]), int(args[3]))
        # uvicorn returns on SIGTERM/SIGINT, so DBOS is shut down in order
        server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port,
                                               log_level="warning", access_log=False))
        server.run(sockets=[shared_socket(port)] if reuse_port else None)
    finally:
        engine.shutdown()


if __name__ == "__main__":
    main()

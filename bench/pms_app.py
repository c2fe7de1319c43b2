"""The app's API as its own process for the PMS benchmarks: the FastAPI app served on
127.0.0.1 by granian (the server the production backend runs), DBOS launched in each of its
workers (issuing goes on in the background against the configured DIAN). Configured by the
environment (REFLEX_DB_URL, LOGGRO_DATA_DIR, LOGGRO_DIAN_URL, LOGGRO_PUBLIC_URL, ...).

    python bench/pms_app.py [--workers N] [--server granian|uvicorn] PORT
                            [ORGANIZATION CONNECTION PUSH_ROUND]

With the last three, the connection's token is pushed to the PMS once DBOS runs (by one
worker). With --workers N, N processes answer on the port, as N backend workers do.
--server uvicorn serves it with uvicorn instead (one process; for comparison).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi import FastAPI  # noqa: E402

PUSH = "LOGGRO_BENCH_PUSH"  # "organization connection round", set for the workers


def _push_once() -> None:
    """The first worker to create the marker file pushes the token; the others do not."""
    from loggro_app.durable import pms as pms_work

    if not (push := os.environ.get(PUSH, "")):
        return
    marker = Path(os.environ["LOGGRO_DATA_DIR"]) / "token-pushed"
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return
    organization, connection, round_ = (int(n) for n in push.split())
    pms_work.start_push(organization, connection, round_)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    from loggro_app.durable import engine

    async with engine.lifespan():
        _push_once()
        yield


def app() -> FastAPI:
    """The factory each worker calls: the API with DBOS for as long as the worker runs."""
    from loggro_app.api import create_api

    api = create_api()
    api.router.lifespan_context = lifespan
    return api


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server", choices=("granian", "uvicorn"), default="granian")
    parser.add_argument("port", type=int)
    parser.add_argument("push", nargs="*", type=int)
    args = parser.parse_args()
    if args.push:
        os.environ[PUSH] = " ".join(map(str, args.push))
    if args.server == "uvicorn":
        import uvicorn

        uvicorn.run(app(), host="127.0.0.1", port=args.port, log_level="warning",
                    access_log=False)
        return
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")])
    Server("pms_app:app", factory=True, address="127.0.0.1", port=args.port,
           interface=Interfaces.ASGI, workers=args.workers, log_level=LogLevels.warning,
           working_dir=Path(__file__).resolve().parent).serve()


if __name__ == "__main__":
    main()

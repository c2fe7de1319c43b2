"""The app's API as its own process for the PMS benchmarks: DBOS launched (issuing goes on
in the background against the configured DIAN) and the FastAPI app served by uvicorn on
127.0.0.1. Configured by the environment (REFLEX_DB_URL, LOGGRO_DATA_DIR, LOGGRO_DIAN_URL,
LOGGRO_PUBLIC_URL, ...).

    python bench/pms_app.py PORT [ORGANIZATION CONNECTION PUSH_ROUND]

With the last three, the connection's token is pushed to the PMS once DBOS runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn  # noqa: E402

from loggro_app.api import api  # noqa: E402
from loggro_app.durable import engine  # noqa: E402
from loggro_app.durable import pms as pms_work  # noqa: E402


def main() -> None:
    port = int(sys.argv[1])
    engine.launch()
    try:
        if len(sys.argv) == 5:
            pms_work.start_push(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        # uvicorn returns on SIGTERM/SIGINT, so DBOS is shut down in order
        uvicorn.run(api, host="127.0.0.1", port=port, log_level="warning",
                    access_log=False)
    finally:
        engine.shutdown()


if __name__ == "__main__":
    main()

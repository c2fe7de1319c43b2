"""A backend-like process for the crash drills: launches DBOS on the configured database
(environment) and, given a document id, starts its issuing workflow; then it just lives
until it is killed. DBOS recovers its own unfinished workflows at launch."""

from __future__ import annotations

import sys
import time

from loggro_app.durable import engine
from loggro_app.durable import issuing as work


def main() -> None:
    engine.launch()
    if len(sys.argv) == 3:
        work.start_sync(int(sys.argv[1]), int(sys.argv[2]))
    print("ready", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()

"""A backend-like process for the mail drill: launches DBOS and, given a document and a
round, starts its delivery; then it lives until killed. DBOS recovers its own unfinished
workflows at launch."""

from __future__ import annotations

import sys
import time

from loggro_app.durable import delivery, engine


def main() -> None:
    engine.launch()
    if len(sys.argv) == 4:
        delivery.start_sync(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
    print("ready", flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main()

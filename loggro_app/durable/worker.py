"""A workflow worker of the scaled topology: `python -m loggro_app.durable.worker`.

It launches DBOS on the configured database with a stable executor id (LOGGRO_EXECUTOR_ID,
e.g. `worker-1`: a restarted worker takes its own unfinished work back at once), runs the
schedules and every queue, and serves nothing over HTTP. The web backends (role `web`)
only put issuing on the queues; see `engine`. SIGTERM or Ctrl+C stop it cleanly.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from loggro_app.durable import engine


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ["LOGGRO_WORKFLOW_ROLE"] = "worker"
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    executor = engine.launch()
    print(f"worker {executor} listo", flush=True)
    try:
        stop.wait()
    finally:
        engine.shutdown()


if __name__ == "__main__":
    main()

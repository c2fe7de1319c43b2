"""Run localstripe on 127.0.0.1 only: `python -m loggro_app.standins.localstripe.launcher --port N`.

localstripe's own `python -m localstripe` binds `::` (every interface, IPv4 and IPv6), and
its store pickles itself to the fixed path /tmp/localstripe.pickle after every write, so
two instances on one machine (parallel tests, several engineers) would overwrite each
other's data and reload it on the next start. This launcher serves the same aiohttp app
on the loopback address only, with the store kept in memory.
"""

from __future__ import annotations

import argparse
import logging

from aiohttp import web


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="localstripe on 127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    from localstripe import resources, server

    # Instance attribute shadows the method: keep the data in this process only.
    resources.store.dump_to_disk = lambda: None
    logging.basicConfig(level=logging.WARNING)
    web.run_app(server.app, host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()

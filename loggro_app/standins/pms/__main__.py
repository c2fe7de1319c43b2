"""`python -m loggro_app.standins.pms --port 8440 --data-dir data/pms`

The billing resolutions start from the defaults below (or LOGGRO_PMS_* variables); a flag
given explicitly replaces what the data directory keeps, otherwise the stored one stays.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

from loggro_app.standins.pms.client import Resolution, today_in_bogota
from loggro_app.standins.pms.store import Store

HOST = "127.0.0.1"  # a development tool: it accepts connections and pushes from anyone local


def _range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    try:
        return int(low), int(high)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"rango «{text}»: DESDE-HASTA, p. ej. 1-5000") from error


def _days(text: str) -> int:
    return int(text)


def main(argv: list[str] | None = None) -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m loggro_app.standins.pms",
                                     description="Simulador local de Loggro Alojamientos")
    parser.add_argument("--port", type=int, default=8440)
    parser.add_argument("--data-dir", default="data/pms", help="carpeta de pms.db")
    parser.add_argument("--invoice-prefix", default=env("LOGGRO_PMS_INVOICE_PREFIX"))
    parser.add_argument("--invoice-range", type=_range, default=env("LOGGRO_PMS_INVOICE_RANGE"))
    parser.add_argument("--note-prefix", default=env("LOGGRO_PMS_NOTE_PREFIX"))
    parser.add_argument("--note-range", type=_range, default=env("LOGGRO_PMS_NOTE_RANGE"))
    parser.add_argument("--valid-days-before", type=_days,
                        default=env("LOGGRO_PMS_VALID_DAYS_BEFORE"),
                        help="la vigencia empieza hoy menos N días (30)")
    parser.add_argument("--valid-days-after", type=_days,
                        default=env("LOGGRO_PMS_VALID_DAYS_AFTER"),
                        help="la vigencia termina hoy más N días (365)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    # Values from the environment arrive as text; parse them as the flags would.
    for name, parse in (("invoice_range", _range), ("note_range", _range),
                        ("valid_days_before", _days), ("valid_days_after", _days)):
        if isinstance(getattr(args, name), str):
            setattr(args, name, parse(getattr(args, name)))
    today = today_in_bogota()
    valid_from = today - timedelta(days=args.valid_days_before or 30)
    valid_to = today + timedelta(days=args.valid_days_after or 365)
    dates_given = args.valid_days_before is not None or args.valid_days_after is not None
    invoices: tuple[int, int] = args.invoice_range or (1, 5000)
    notes: tuple[int, int] = args.note_range or (1, 5000)
    defaults = {
        "invoice": Resolution(args.invoice_prefix or "HOT", invoices[0], invoices[1],
                              valid_from, valid_to),
        "credit_note": Resolution(args.note_prefix or "NCH", notes[0], notes[1],
                                  valid_from, valid_to),
    }
    overrides = {kind for kind, given in (
        ("invoice", args.invoice_prefix or args.invoice_range or dates_given),
        ("credit_note", args.note_prefix or args.note_range or dates_given)) if given}
    store = Store(Path(args.data_dir))
    store.seed_resolutions(defaults, overrides)
    import uvicorn

    from loggro_app.standins.pms.server import create_app

    print(f"Simulador de Loggro Alojamientos en http://{HOST}:{args.port}/", flush=True)
    uvicorn.run(create_app(store), host=HOST, port=args.port, log_level="warning",
                timeout_graceful_shutdown=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())

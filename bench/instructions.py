"""Instructions per document of the DIAN core, counted by callgrind: noise-free figures on
a shared machine, where wall-clock rates swing with the other processes.

    python bench/instructions.py [--n 50]

Runs itself under `valgrind --tool=callgrind`, dumping the counters right before and right
after the measured loop (a `time.sleep(0)` marks each edge), so imports, key loading and
warm-up are not counted. Needs valgrind; prints figures only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P12 = ROOT / "tests" / "unit" / "dian" / "fixtures" / "demo-cert.p12"
ISSUED_AT = datetime(2026, 11, 22, 10, 30, tzinfo=timezone(timedelta(hours=-5)))
MARKER = "*nanosleep*"  # what time.sleep(0) calls (glibc names vary): the dump points


def measured(n: int) -> None:
    """The code under callgrind: warm up, then n documents between two markers."""
    sys.path.insert(0, str(ROOT))
    from loggro_app.core.clock import FixedClock
    from loggro_app.dian import samples
    from loggro_app.dian.build import build_document
    from loggro_app.dian.signing.signer import Signer

    signer = Signer.from_pkcs12(P12.read_bytes(), b"demo")
    clock = FixedClock(ISSUED_AT)
    documents = [samples.invoice(ISSUED_AT, number=990000001 + i) for i in range(n + 1)]
    build_document(documents[n], signer=signer, clock=clock, validate_xsd=False)
    time.sleep(0)
    for document in documents[:n]:
        build_document(document, signer=signer, clock=clock, validate_xsd=False)
    time.sleep(0)


def count(n: int) -> int:
    """Instructions of the measured loop: the second of callgrind's dumps."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                f"--dump-before={MARKER}",
                sys.executable,
                __file__,
                "--inner",
                "--n",
                str(n),
            ],
            check=True,
            capture_output=True,
        )
        dumps = sorted(Path(tmp).glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
        if len(dumps) < 2:
            raise SystemExit(f"expected two dumps at {MARKER}, got {len(dumps)}")
        text = dumps[1].read_text(errors="replace")
    match = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
    assert match is not None
    return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        measured(args.n)
        return
    total = count(args.n)
    print(f"documents: {args.n}, 5-line invoice, build + CUFE + sign + zip (no XSD)")
    print(f"instructions per document: {total / args.n / 1e6:.2f} M")


if __name__ == "__main__":
    main()

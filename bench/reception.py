"""Received invoices verified per second on one core, and the memory one 2 MB ZIP takes.

    python bench/reception.py [--n 200]

Each package is what a supplier mails: a 5-line invoice signed with a development
certificate, DIAN's answer made and signed the way the DIAN sandbox makes it, both in an
AttachedDocument, zipped with a small PDF. Every package has its own number and CUFE.
The rate is the best of three passes, wall clock and CPU time (the steadier of the two on
a shared machine); the breakdown shows where the time goes. Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loggro_app.core.clock import FixedClock  # noqa: E402
from loggro_app.dian import parse_untrusted, samples, signature_errors, xsd_errors  # noqa: E402
from loggro_app.dian.build import build_document  # noqa: E402
from loggro_app.reception import verify_received  # noqa: E402
from loggro_app.reception.attached import embedded  # noqa: E402
from loggro_app.reception.unpack import unpack  # noqa: E402
from tests.unit.dian.conftest import ISSUED_AT  # noqa: E402
from tests.unit.reception.package import (  # noqa: E402
    BUYER_NIT,
    PDF,
    attach,
    dian_answer,
    mailed,
    supplier_signer,
)

MB = 1024 * 1024


def packages(n: int, pdf: bytes = PDF) -> list[bytes]:
    made = []
    for i in range(n):
        document = samples.invoice(ISSUED_AT, number=990000001 + i)
        invoice = build_document(document, signer=supplier_signer(), clock=FixedClock(ISSUED_AT))
        answer = dian_answer(document, invoice.unique_code)
        made.append(mailed(attach(document, invoice, answer).xml_bytes, pdf=pdf))
    return made


def rate(label: str, items: list[bytes], work: Callable[[bytes], object]) -> float:
    work(items[0])  # warm-up: schema compilation, caches
    best = best_cpu = float("inf")
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    n = len(items)
    print(f"{label:<44} {n / best:8.1f} /s wall {1000 * best / n:7.2f} ms"
          f"   cpu {n / best_cpu:8.1f} /s {1000 * best_cpu / n:7.2f} ms")
    return n / best_cpu


def verify(data: bytes) -> None:
    verdict = verify_received(data, buyer_nit=BUYER_NIT, known_cufes=set())
    if not verdict.ok:
        raise SystemExit(f"un paquete válido no verificó: {verdict.reasons}")


def signatures(data: bytes) -> None:
    carried = embedded(parse_untrusted(unpack(data).xml[0].data))
    for payload in (carried.document, carried.response):
        assert payload is not None
        signature_errors(payload, parse_untrusted(payload))


def schema(data: bytes) -> None:
    carried = embedded(parse_untrusted(unpack(data).xml[0].data))
    assert carried.document is not None
    xsd_errors(parse_untrusted(carried.document))


def memory(data: bytes) -> None:
    process = psutil.Process()
    gc.collect()
    rss_before = process.memory_info().rss
    tracemalloc.start()
    verify(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_after = process.memory_info().rss
    print(f"ZIP de {len(data) / MB:.2f} MB: pico tracemalloc {peak / MB:.2f} MB, "
          f"RSS {rss_before / MB:.1f} -> {rss_after / MB:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    n = parser.parse_args().n
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    items = packages(n)
    print(f"paquetes: {n}, factura de 5 líneas + respuesta de la DIAN, RSA-2048, un núcleo")
    rate("verify_received (todo)", items, verify)
    rate("  de ello: dos firmas XAdES (signxml)", items, signatures)
    rate("  de ello: XSD de la factura", items, schema)
    rate("  de ello: abrir el ZIP", items, unpack)
    big_pdf = PDF + random.Random(0).randbytes(2 * MB - len(PDF) - 40 * 1024)
    memory(packages(1, pdf=big_pdf)[0])


if __name__ == "__main__":
    main()

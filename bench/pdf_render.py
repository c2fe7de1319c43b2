"""Milliseconds per PDF page of the graphic representation: 5-line and 40-line invoices.

    python bench/pdf_render.py [--n 10]

Prints the first (cold) render of the process, then the best of three timed passes of `n`
warm renders per document (wall clock and CPU time; CPU time is the steadier figure on a
shared machine), split into building the HTML and laying out + writing the PDF. Target:
under 150 ms per page. Not a test: prints figures only.
"""

from __future__ import annotations

import argparse
import io
import time
from datetime import datetime, timedelta, timezone

from pypdf import PdfReader

from loggro_app.core.clock import FixedClock
from loggro_app.dian import build_document, samples
from loggro_app.representation import GraphicData, SoftwareProvider, render_html, render_pdf

ISSUED_AT = datetime(2026, 11, 22, 10, 30, tzinfo=timezone(timedelta(hours=-5)))
PROVIDER = SoftwareProvider("900123456", "Loggro S.A.S.", "Loggro FE")


def data(line_count: int) -> GraphicData:
    document = samples.invoice(ISSUED_AT, line_count=line_count)
    built = build_document(document, signer=None, clock=FixedClock(ISSUED_AT))
    return GraphicData.of(
        document,
        unique_code=built.unique_code,
        scheme_name=built.scheme_name,
        signed_at=ISSUED_AT,
        provider=PROVIDER,
        dian_status="Aceptado por la DIAN",
        validated_at=ISSUED_AT + timedelta(seconds=5),
    )


def best_ms(work, n: int, rounds: int = 3) -> tuple[float, float]:
    """(wall, cpu) milliseconds per call, best of `rounds` passes of `n` calls."""
    wall = cpu = float("inf")
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            work()
        wall = min(wall, (time.perf_counter() - start) / n)
        cpu = min(cpu, (time.process_time() - start_cpu) / n)
    return 1000 * wall, 1000 * cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10)
    n = parser.parse_args().n
    start = time.perf_counter()
    render_pdf(data(5))
    print(f"first render in the process (imports, fonts, CSS): "
          f"{1000 * (time.perf_counter() - start):.0f} ms")
    for line_count in (5, 40):
        item = data(line_count)
        pages = len(PdfReader(io.BytesIO(render_pdf(item))).pages)
        html_wall, html_cpu = best_ms(lambda: render_html(item), n)  # noqa: B023
        pdf_wall, pdf_cpu = best_ms(lambda: render_pdf(item), n)  # noqa: B023
        print(
            f"{line_count:>2}-line invoice, {pages} page(s): "
            f"{pdf_wall / pages:6.1f} ms/page wall, {pdf_cpu / pages:6.1f} ms/page cpu "
            f"(whole PDF {pdf_wall:.0f} ms; HTML alone {html_wall:.1f} ms)"
        )


if __name__ == "__main__":
    main()

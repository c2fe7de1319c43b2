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
import sys
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loggro_app.dian import samples  # noqa: E402
from loggro_app.representation import (  # noqa: E402
    GraphicData,
    qr_data_uri,
    render_html,
    render_pdf,
)
from tests.unit.representation.conftest import ISSUED_AT, graphic_data  # noqa: E402


def data(line_count: int) -> GraphicData:
    return graphic_data(samples.invoice(ISSUED_AT, line_count=line_count))


def best_ms(work, n: int, rounds: int = 3) -> tuple[float, float]:
    """(wall, cpu) milliseconds per call, best of `rounds` passes of `n` calls."""
    wall = cpu = float("inf")
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            qr_data_uri.cache_clear()  # every real document has its own QR
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

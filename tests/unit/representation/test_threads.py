"""Renders run in worker threads (asyncio.to_thread, workflow steps): they must not clash."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from loggro_app.dian import samples
from loggro_app.representation import render_pdf
from tests.unit.representation.conftest import ISSUED_AT, graphic_data


def test_concurrent_renders_give_the_same_bytes_as_one_alone() -> None:
    data = [graphic_data(samples.invoice(ISSUED_AT, number=990000001 + i)) for i in range(3)]
    alone = [render_pdf(d) for d in data]  # the PDF carries no timestamp: bytes are stable
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(render_pdf, data))
    assert together == alone
    assert len(set(alone)) == 3

"""The load drill's arithmetic (bench/load_report.py): percentiles, the count of documents
from both sides, and the printed table, without a running app."""

from __future__ import annotations

import math

from tests.bench_modules import load_bench

R = load_bench("load_report")


def test_nearest_rank_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert R.nearest_rank(values, 0.50) == 50
    assert R.nearest_rank(values, 0.95) == 95
    assert R.nearest_rank(values, 0.99) == 99
    assert R.nearest_rank([3.0, 1.0, 2.0], 0.5) == 2  # unsorted input
    assert R.nearest_rank([7.0], 0.99) == 7
    assert math.isnan(R.nearest_rank([], 0.5))


def doc(id_: int, status: str = "accepted", number: int | None = None, key: str = "",
        nit: str = "902000001", kind: str = "FE", origin: str = "") -> object:
    return R.AppDocument(id_, nit, kind, status, "LCFE", number if number is not None
                         else id_, key or f"cufe{id_}", origin)


def dian(key: str, number: str, nit: str = "902000001") -> object:
    return R.DianDocument(key, nit, "01", number)


def test_a_clean_run_counts_nothing_duplicated_or_lost() -> None:
    app = [doc(1), doc(2, status="pending"), doc(3, status="rejected"),
           doc(4, status="draft", number=None, key=""),
           doc(5, origin="alojamientos")]
    counts = R.count_documents(
        requested={1, 2, 3}, pushed={("902000001", "D1.HOT1")},
        app=app, intakes=[R.Intake("902000001", "D1.HOT1", 5)],
        dian=[dian("cufe1", "LCFE1"), dian("cufe5", "LCFE5"), dian("other", "X1", nit="1")],
        nits={"902000001"})
    assert (counts.issued, counts.accepted, counts.rejected, counts.pending) == (4, 2, 1, 1)
    assert counts.by_kind == {"FE": 3, "PMS": 1}
    assert sum(counts.duplicated.values()) == 0
    assert sum(counts.lost.values()) == 0
    assert counts.unknown_at_dian == 0  # another NIT's document is not ours to count
    assert R.verdict(counts)


def test_duplicates_are_counted_on_each_side() -> None:
    app = [doc(1, number=7, key="a"), doc(2, number=7, key="b"), doc(3, key="a")]
    counts = R.count_documents(
        requested=set(), pushed=set(), app=app,
        intakes=[R.Intake("902000001", "P1", 1), R.Intake("902000001", "P1", 2),
                 R.Intake("902000001", "P2", 2)],
        dian=[dian("a", "LCFE7"), dian("a", "LCFE8"), dian("b", "LCFE7")],
        nits={"902000001"})
    assert counts.duplicated["app number"] == 1
    assert counts.duplicated["app CUFE"] == 1
    assert counts.duplicated["DIAN number"] == 1
    assert counts.duplicated["DIAN CUFE"] == 1
    assert counts.duplicated["PMS intake"] == 1
    assert counts.duplicated["PMS document"] == 1
    assert not R.verdict(counts)


def test_losses_are_counted_from_both_sides() -> None:
    app = [doc(1), doc(2, status="draft", number=None, key="")]
    counts = R.count_documents(
        requested={1, 2, 99}, pushed={("902000001", "P1"), ("902000001", "P2")},
        app=app, intakes=[R.Intake("902000001", "P1", 1), R.Intake("902000001", "P2", 42)],
        dian=[dian("stray", "LCFE50")], nits={"902000001"})
    assert counts.lost["issue taken, no document"] == 2  # back to draft, and gone
    assert counts.lost["PMS answered, no document"] == 1  # its intake names no document
    assert counts.lost["accepted in app, not at DIAN"] == 1  # cufe1 never reached DIAN
    assert counts.unknown_at_dian == 1
    assert not R.verdict(counts)


def test_the_table_names_every_figure() -> None:
    timings = R.Timings()
    for ms in (100, 200, 300):
        timings.ok("login", ms / 1000)
    timings.failed("issue_invoice")
    timings.requests = 60
    memory = R.Memory()
    memory.sample({"backend": (300.0, 1)})
    memory.sample({"backend": (250.0, 1), "workers": (120.0, 2)})
    counts = R.count_documents(requested={1}, pushed=set(), app=[doc(1)], intakes=[],
                               dian=[dian("cufe1", "LCFE1")], nits={"902000001"})
    text = R.render(title="== t", elapsed=30.0, timings=timings, counts=counts,
                    packs={"asked": 1, "approved": 1}, memory=memory, drained="(settled)")
    lines = text.splitlines()
    assert lines[0] == "== t"
    assert lines[1].startswith("requests/s: 2.0 (60 requests in 30 s")
    assert lines[2].split() == ["action", "n", "failed", "p50", "ms", "p95", "ms", "p99", "ms"]
    assert lines[3].split() == ["issue_invoice", "0", "1", "—", "—", "—"]
    assert lines[4].split() == ["login", "3", "0", "200", "300", "300"]
    assert "documents issued 1 (FE 1); accepted 1, rejected 0, pending 0 (settled)" in text
    assert "duplicated 0 (" in text and "lost 0 (" in text
    assert "packs: asked 1, approved 1" in text
    assert "backend 300 / 250 (1); workers 120 / 120 (2)" in text

from datetime import datetime, timedelta

from loggro_app.core.clock import BOGOTA
from loggro_app.core.quota import PACK_CONSUME, PLAN_CONSUME, RESERVE, Movement
from loggro_app.core.usage import last_months, monthly_consumption

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BOGOTA)


def test_last_months_cross_the_year() -> None:
    assert last_months(datetime(2026, 2, 1, tzinfo=BOGOTA), 4) == [
        (2025, 11), (2025, 12), (2026, 1), (2026, 2)]


def test_consumptions_counted_once_in_bogota_months() -> None:
    # 2026-11-01 03:00 UTC is still October 31 in Bogotá
    moves = [
        Movement(PLAN_CONSUME, NOW, document_key="a"),
        Movement(PACK_CONSUME, NOW - timedelta(days=1), document_key="b"),
        Movement(PLAN_CONSUME, NOW, document_key="a"),  # a duplicate never counts twice
        Movement(RESERVE, NOW, document_key="c"),  # held, not consumed
        Movement(PLAN_CONSUME, datetime.fromisoformat("2026-11-01T03:00:00+00:00"),
                 document_key="d"),
        Movement(PLAN_CONSUME, datetime(2025, 1, 5, tzinfo=BOGOTA), document_key="old"),
    ]
    assert monthly_consumption(moves, NOW, 3) == [("sep 2026", 0), ("oct 2026", 1),
                                                  ("nov 2026", 2)]


def test_remaining_sits_in_the_newest_packs() -> None:
    from loggro_app.core.usage import remaining_per_pack

    assert remaining_per_pack([50, 100], 120) == [20, 100]
    assert remaining_per_pack([50, 100], 150) == [50, 100]
    assert remaining_per_pack([50, 100], 0) == [0, 0]
    assert remaining_per_pack([], 10) == []

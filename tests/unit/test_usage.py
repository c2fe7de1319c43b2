from datetime import datetime, timedelta

from loggro_app.core.clock import BOGOTA
from loggro_app.core.quota import PACK_CONSUME, PACK_CREDIT, PLAN_CONSUME, RESERVE, Movement
from loggro_app.core.usage import last_months, monthly_consumption, monthly_purchases

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


def test_purchased_documents_per_month_for_the_chart() -> None:
    moves = [
        Movement(PACK_CREDIT, NOW, quantity=100, payment_reference="A"),
        Movement(PACK_CREDIT, NOW - timedelta(days=30), quantity=50, payment_reference="B"),
        Movement(PLAN_CONSUME, NOW, document_key="a"),  # used, not bought
    ]
    assert monthly_purchases(moves, NOW, 3) == [("sep 2026", 0), ("oct 2026", 50),
                                                ("nov 2026", 100)]


def test_moments_in_messages_read_as_in_colombia() -> None:
    from loggro_app.core.clock import readable_moments, spoken_text

    assert spoken_text(datetime(2026, 12, 1, 18, 52, tzinfo=BOGOTA)) == "01/12/2026 6:52 p. m."
    assert spoken_text(datetime(2026, 12, 1, 0, 5, tzinfo=BOGOTA)) == "01/12/2026 12:05 a. m."
    assert readable_moments("desde 2026-12-01T23:52:10.5+00:00.") == \
        "desde 01/12/2026 6:52 p. m.."


def test_checklist_counts_read_in_singular_and_plural() -> None:
    from loggro_app.services.enablement import _counted

    assert _counted(1, "producto", "productos") == "1 producto."
    assert _counted(0, "producto", "productos") == "0 productos."
    assert _counted(3, "forma de pago", "formas de pago") == "3 formas de pago."

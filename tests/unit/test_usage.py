from datetime import datetime, timedelta

from loggro_app.core.clock import BOGOTA
from loggro_app.core.usage import last_months, month_windows

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BOGOTA)


def test_last_months_cross_the_year() -> None:
    assert last_months(datetime(2026, 2, 1, tzinfo=BOGOTA), 4) == [
        (2025, 11), (2025, 12), (2026, 1), (2026, 2)]


def test_month_windows_are_bogota_months() -> None:
    windows = month_windows(datetime.fromisoformat("2026-11-01T03:00:00+00:00"), 2)
    # 2026-11-01 03:00 UTC is still October 31 in Bogotá
    assert [label for label, _, _ in windows] == ["sep 2026", "oct 2026"]
    label, start, end = month_windows(NOW, 3)[-1]
    assert (label, start, end) == ("nov 2026", datetime(2026, 11, 1, tzinfo=BOGOTA),
                                   datetime(2026, 12, 1, tzinfo=BOGOTA))
    assert month_windows(datetime(2026, 12, 5, tzinfo=BOGOTA), 1)[0][2] == datetime(
        2027, 1, 1, tzinfo=BOGOTA)
    assert start.utcoffset() == timedelta(hours=-5)


def test_remaining_sits_in_the_newest_packs() -> None:
    from loggro_app.core.usage import remaining_per_pack

    assert remaining_per_pack([50, 100], 120) == [20, 100]
    assert remaining_per_pack([50, 100], 150) == [50, 100]
    assert remaining_per_pack([50, 100], 0) == [0, 0]
    assert remaining_per_pack([], 10) == []


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

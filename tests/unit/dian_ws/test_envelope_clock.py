"""The WS-Security timestamp is UTC whatever the zone of the clock that stamps it."""

from datetime import UTC, datetime, timedelta

from lxml import etree

from loggro_app.core.clock import BOGOTA, FixedClock
from loggro_app.dian.client.envelope import build_envelope, random_id


def created(clock_time: datetime) -> str:
    data = build_envelope("GetStatus", [("trackId", "x")], to="http://127.0.0.1/x",
                          credentials=None, clock=FixedClock(clock_time),
                          ttl=timedelta(minutes=5), new_id=random_id)
    root = etree.fromstring(data)
    return str(root.xpath("string(//*[local-name()='Created'])"))


def test_bogota_clock_is_written_in_utc() -> None:
    bogota = datetime(2026, 11, 22, 10, 0, 0, tzinfo=BOGOTA)
    utc = bogota.astimezone(UTC)
    assert created(bogota) == created(utc) == "2026-11-22T15:00:00.000Z"

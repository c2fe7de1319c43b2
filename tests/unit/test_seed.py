"""The demo seed: loaded once, and the DIAN side the sandbox preloads for it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session, SQLModel

from loggro_app.dian import demo, demo_enabled
from loggro_app.seed import enabled_demo_ranges, load_demo, load_enabled_demo
from loggro_app.standins.dian_sandbox.admin import Admin, OffsetClock
from loggro_app.standins.dian_sandbox.enabled_demo import seed_enabled_demo
from loggro_app.standins.dian_sandbox.store import Store
from tests.unit.dian_ws.conftest import NOW


def _everything(session: Session) -> dict[str, list[Any]]:
    """Every row of every table, in order: what 'changes nothing' compares."""
    return {name: [tuple(r) for r in session.execute(text(f'SELECT * FROM "{name}" ORDER BY 1'))]
            for name in SQLModel.metadata.tables}


def test_seeding_twice_changes_nothing(session: Session) -> None:
    assert load_demo(session, password="Demo2026*") is True
    assert load_enabled_demo(session, password="Demo2026*") is True
    before = _everything(session)
    assert len(before["organization"]) == 2 and len(before["numbering"]) == 7
    assert load_demo(session, password="Demo2026*") is False
    assert load_enabled_demo(session, password="Demo2026*") is False
    assert _everything(session) == before


def test_the_enabled_organization_does_not_need_the_first_one(session: Session) -> None:
    assert load_enabled_demo(session, password="Demo2026*") is True
    assert load_demo(session, password="Demo2026*") is True  # either order, both created
    assert len(_everything(session)["organization"]) == 2


def _registry() -> Admin:
    admin = Admin(Store(), OffsetClock(lambda: NOW))
    admin.seed_demo()
    seed_enabled_demo(admin)
    return admin


def test_sandbox_preload_is_the_portal_after_an_accepted_test_set() -> None:
    admin = _registry()
    taxpayer = admin.taxpayer(demo_enabled.NIT)
    assert taxpayer["habilitado"] is True and taxpayer["name"] == demo_enabled.LEGAL_NAME
    assert taxpayer["modes"] == [{"software_id": demo.SOFTWARE_ID, "state": "Aceptado"}]
    assert taxpayer["test_sets"][0]["state"] == "Aceptado"
    test_set = admin.test_set(demo_enabled.TEST_SET_ID)
    assert test_set["accepted"] == test_set["required"] and test_set["rejected"] == 0
    # the store's five consecutives and the hotel's two numbered by its PMS
    assert {r["prefix"] for r in taxpayer["resolutions"]} == {"LCFE", "LCNC", "LCND", "LCDS",
                                                              "LCNA", "HOT", "NCH"}


def test_sandbox_preload_reports_the_ranges_the_seed_stores() -> None:
    admin = _registry()
    for seeded in enabled_demo_ranges():
        row = admin.store.resolution(demo_enabled.NIT, seeded.resolution.number,
                                     seeded.resolution.prefix)
        assert row is not None
        assert admin.store.association(demo_enabled.NIT, row["prefix"], demo.SOFTWARE_ID)
        assert (row["range_from"], row["range_to"], row["valid_from"], row["valid_to"],
                row["technical_key"]) == (
            seeded.resolution.range_from, seeded.resolution.range_to,
            seeded.resolution.valid_from.isoformat(), seeded.resolution.valid_to.isoformat(),
            seeded.technical_key)


def test_sandbox_preload_twice_changes_nothing() -> None:
    admin = _registry()
    tables = ("taxpayers", "modes", "resolutions", "associations", "test_sets")
    before = {t: [tuple(r) for r in admin.store.all(f"SELECT * FROM {t} ORDER BY 1")]
              for t in tables}
    seed_enabled_demo(admin)
    assert before == {t: [tuple(r) for r in admin.store.all(f"SELECT * FROM {t} ORDER BY 1")]
                      for t in tables}

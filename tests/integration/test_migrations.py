"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import loggro_app.models  # noqa: F401
from loggro_app.db import get_engine
from loggro_app.migrate import upgrade


def test_upgrade_creates_every_table(db_url: str) -> None:
    tables = set(inspect(get_engine(db_url)).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db_url: str) -> None:
    upgrade(db_url)  # a second `make run` must not fail


def _organization_on_first_schema(path: Path) -> str:
    """A database at migration 0002 holding one organization; its URL."""
    from alembic import command

    from loggro_app.migrate import alembic_config

    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), "0002")
    with get_engine(url).begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organization (nit, dv, legal_name, trade_name, person_type, tax_regime,"
            " tax_responsibilities, address, municipality_code, postal_code, email, phone,"
            " created_at) VALUES ('900123456', 8, 'Vieja S.A.S.', '', '1', '48', 'O-13', '',"
            " '05001', '050001', '', '', '2026-01-01 00:00:00')")
    return url


def test_upgrade_keeps_existing_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An organization created on the first schema survives every later migration."""
    from sqlmodel import Session, select

    from loggro_app.models import Customer, Organization
    from loggro_app.seed import load_demo

    url = _organization_on_first_schema(tmp_path / 'old.db')
    with get_engine(url).begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO customer (organization_id, identification_type, identification_number,"
            " person_type, name, trade_name, tax_regime, tax_responsibilities, address,"
            " municipality_code, neighborhood, postal_code, phone, send_xml_email, created_at)"
            " VALUES (1, '13', '1017', '2', 'Cliente', '', '49', 'R-99-PN', 'x', '05001', '',"
            " '050001', '', 1, '2026-01-01 00:00:00')")
    upgrade(url)
    with Session(get_engine(url)) as session:
        org = session.exec(select(Organization)).one()
        assert (org.legal_name, org.e_invoicing_enabled) == ("Vieja S.A.S.", False)
        assert session.exec(select(Customer)).one().organization_id == org.id
        assert load_demo(session, password="Demo2026*") is False  # same NIT: nothing twice


def test_ledger_counters_start_from_the_existing_movements(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """0017 fills the running counters with what a replay of the old log says."""
    from datetime import UTC, datetime

    from alembic import command
    from sqlmodel import Session

    from loggro_app.migrate import alembic_config
    from loggro_app.services import ledger

    url = _organization_on_first_schema(tmp_path / 'ledger.db')
    command.upgrade(alembic_config(url), "0016")
    log = [("pack_credit", 50, None, "pay-1"), ("pack_consume", 1, "K1", None),
           ("reserve", 1, "K2", None), ("reserve", 1, "K3", None), ("release", 1, "K3", None),
           ("reserve", 1, "K4", None), ("release", 1, "K4", None), ("reserve", 1, "K4", None),
           ("reserve", 1, "K5", None), ("plan_consume", 1, "K5", None),
           ("purchased_forfeit", 3, None, None), ("reserve", 1, "K6", None)]
    with get_engine(url).begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO subscription (organization_id, plan_code, anchor_date, status,"
            " lock_version) VALUES (1, 'sac_basico', '2026-01-01', 'activa', 0)")
        for kind, quantity, key, payment in log:
            conn.exec_driver_sql(
                "INSERT INTO ledgermovement (organization_id, kind, at, quantity, document_key,"
                " payment_reference, reason) VALUES (1, ?, '2026-02-01 10:00:00', ?, ?, ?, '')",
                (kind, quantity, key, payment))
    upgrade(url)
    with Session(get_engine(url)) as session:
        row = ledger.subscription_row(session, 1)
        counters, replayed = ledger.standing_audit(
            session=session, organization_id=1, clock=lambda: datetime(2026, 2, 2, tzinfo=UTC))
        assert (row.purchased, row.held) == (46, 3)  # 50 - 1 - 3; K2, K4, K6
        assert counters == replayed and replayed.plan_used == 1


def test_failed_migration_leaves_nothing_behind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from loggro_app.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'half.db'}"
    command.upgrade(alembic_config(url), "0002")
    with get_engine(url).begin() as conn:  # a table in the way makes 0003 fail midway
        conn.exec_driver_sql("CREATE TABLE testsetitem (id INTEGER PRIMARY KEY)")
    try:
        upgrade(url)
    except Exception:  # noqa: BLE001
        pass
    else:
        raise AssertionError("the migration should have failed")
    tables = set(inspect(get_engine(url)).get_table_names())
    assert "numbering" not in tables and "_alembic_tmp_organization" not in tables
    with get_engine(url).connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0002"

"""The schema comes from the migrations, and the migrations match the models."""

from __future__ import annotations

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


def test_upgrade_keeps_existing_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An organization created on the first schema survives every later migration."""
    from alembic import command
    from sqlmodel import Session, select

    from loggro_app.migrate import alembic_config
    from loggro_app.models import Customer, Organization
    from loggro_app.seed import load_demo

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0002")
    with get_engine(url).begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO organization (nit, dv, legal_name, trade_name, person_type, tax_regime,"
            " tax_responsibilities, address, municipality_code, postal_code, email, phone,"
            " created_at) VALUES ('900123456', 8, 'Vieja S.A.S.', '', '1', '48', 'O-13', '',"
            " '05001', '050001', '', '', '2026-01-01 00:00:00')")
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

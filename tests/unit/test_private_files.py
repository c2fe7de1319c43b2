"""Page state, the database and keys are readable by the app's own user only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from loggro_app.private_files import make_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual default: world-readable files
    yield
    os.umask(previous)


def test_sqlite_database_is_created_owner_only(tmp_path: Path, loose_umask: None) -> None:
    from loggro_app.db import get_engine

    db = tmp_path / "nueva" / "loggro.db"
    with get_engine(f"sqlite:///{db}").connect() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    assert (mode(db), mode(db.parent)) == (0o600, 0o700)


def test_state_and_data_folders_become_owner_only(tmp_path: Path, loose_umask: None) -> None:
    states, data = tmp_path / ".states", tmp_path / "data"
    states.mkdir(mode=0o755)
    (states / "viejo.pkl").write_bytes(b"antes")
    os.chmod(states / "viejo.pkl", 0o644)
    try:
        make_private(states, data)
        # Written the way Reflex's disk state manager writes a state.
        (states / "nuevo.pkl").write_bytes(b"estado")
        (data / "certs").mkdir()
    finally:
        os.umask(0o022)
    assert mode(states) == mode(data) == mode(data / "certs") == 0o700
    assert mode(states / "viejo.pkl") == mode(states / "nuevo.pkl") == 0o600

"""DIAN's side of the world for the sandbox, in stdlib sqlite3 (file or :memory:).

Deliberately no ORM: the sandbox must not import sqlmodel/reflex (it also runs from test
fixtures and `make run`). One connection guarded by a lock; requests are short.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS taxpayers (
    nit TEXT PRIMARY KEY, name TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS software (
    software_id TEXT PRIMARY KEY, pin TEXT NOT NULL, provider_nit TEXT NOT NULL,
    name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS modes (
    nit TEXT NOT NULL, software_id TEXT NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (nit, software_id));
CREATE TABLE IF NOT EXISTS resolutions (
    number TEXT NOT NULL, nit TEXT NOT NULL, prefix TEXT NOT NULL, range_from INTEGER NOT NULL,
    range_to INTEGER NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
    technical_key TEXT NOT NULL, issued_at TEXT NOT NULL, PRIMARY KEY (number, nit, prefix));
CREATE TABLE IF NOT EXISTS associations (
    nit TEXT NOT NULL, prefix TEXT NOT NULL, software_id TEXT NOT NULL,
    resolution_number TEXT NOT NULL, associated_at TEXT NOT NULL,
    PRIMARY KEY (nit, prefix, software_id));
CREATE TABLE IF NOT EXISTS test_sets (
    test_set_id TEXT PRIMARY KEY, nit TEXT NOT NULL, software_id TEXT NOT NULL,
    required TEXT NOT NULL, accepted TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS acquirers (
    id_type TEXT NOT NULL, id_number TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL,
    PRIMARY KEY (id_type, id_number));
CREATE TABLE IF NOT EXISTS documents (
    document_key TEXT PRIMARY KEY, nit TEXT NOT NULL, type_code TEXT NOT NULL,
    number TEXT NOT NULL, receiver_nit TEXT NOT NULL, xml BLOB NOT NULL,
    answer TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS documents_number ON documents (nit, type_code, number);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, zip_key TEXT, document_key TEXT,
    answer TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS answers_zip ON answers (zip_key);
CREATE INDEX IF NOT EXISTS answers_key ON answers (document_key);
CREATE TABLE IF NOT EXISTS events (
    event_key TEXT PRIMARY KEY, document_key TEXT NOT NULL, code TEXT NOT NULL,
    sender_nit TEXT NOT NULL, xml BLOB NOT NULL, received_at TEXT NOT NULL);
"""


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._db.execute(sql, args).fetchone()
            return row

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, args).fetchall())

    def run(self, sql: str, *args: Any) -> None:
        with self._lock:
            self._db.execute(sql, args)

    # -- meta ------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.one("SELECT value FROM meta WHERE key = ?", key)
        return str(row["value"]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.run("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value)

    # -- registry lookups ------------------------------------------------------------
    def taxpayer(self, nit: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM taxpayers WHERE nit = ?", nit)

    def software(self, software_id: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM software WHERE software_id = ?", software_id)

    def mode(self, nit: str, software_id: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM modes WHERE nit = ? AND software_id = ?", nit, software_id)

    def resolution(self, nit: str, number: str, prefix: str) -> sqlite3.Row | None:
        return self.one(
            "SELECT * FROM resolutions WHERE nit = ? AND number = ? AND prefix = ?",
            nit,
            number,
            prefix,
        )

    def resolutions_of(self, nit: str, number: str) -> list[sqlite3.Row]:
        return self.all("SELECT * FROM resolutions WHERE nit = ? AND number = ?", nit, number)

    def association(self, nit: str, prefix: str, software_id: str) -> sqlite3.Row | None:
        return self.one(
            "SELECT * FROM associations WHERE nit = ? AND prefix = ? AND software_id = ?",
            nit,
            prefix,
            software_id,
        )

    def test_set(self, test_set_id: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM test_sets WHERE test_set_id = ?", test_set_id)

    def acquirer(self, id_type: str, id_number: str) -> sqlite3.Row | None:
        return self.one(
            "SELECT * FROM acquirers WHERE id_type = ? AND id_number = ?", id_type, id_number
        )

    # -- documents -------------------------------------------------------------------
    def accepted(self, document_key: str) -> sqlite3.Row | None:
        return self.one("SELECT * FROM documents WHERE document_key = ?", document_key)

    def accepted_number(self, nit: str, type_code: str, number: str) -> sqlite3.Row | None:
        return self.one(
            "SELECT document_key FROM documents WHERE nit = ? AND type_code = ? AND number = ?",
            nit,
            type_code,
            number,
        )

    def latest_answer(self, document_key: str) -> dict[str, Any] | None:
        row = self.one(
            "SELECT answer FROM answers WHERE document_key = ? ORDER BY id DESC LIMIT 1",
            document_key,
        )
        return json.loads(row["answer"]) if row else None

    def zip_answers(self, zip_key: str) -> list[dict[str, Any]]:
        rows = self.all("SELECT answer FROM answers WHERE zip_key = ? ORDER BY id", zip_key)
        return [json.loads(r["answer"]) for r in rows]

    def count(self, table: str) -> int:
        assert table.isidentifier()
        row = self.one(f"SELECT COUNT(*) AS n FROM {table}")
        return int(row["n"]) if row else 0

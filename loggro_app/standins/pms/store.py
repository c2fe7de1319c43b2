"""The simulator's state in one SQLite file, so a restart keeps the connection, the folios
and what Pymes said about them."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from loggro_app.standins.pms.client import Folio, Guest, Resolution

SCHEMA = """
CREATE TABLE IF NOT EXISTS connection (
    property_id TEXT PRIMARY KEY, status TEXT NOT NULL, token TEXT, webhook_secret TEXT,
    api_base_url TEXT, organization TEXT NOT NULL, previous_token_valid_until TEXT,
    event_id TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connection_events (
    event_id TEXT PRIMARY KEY, property_id TEXT, status TEXT, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resolution (
    kind TEXT PRIMARY KEY, prefix TEXT NOT NULL, range_from INTEGER NOT NULL,
    range_to INTEGER NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folios (
    folio_id TEXT PRIMARY KEY, data TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT, folio_id TEXT NOT NULL, kind TEXT NOT NULL,
    pms_document_id TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL, number INTEGER NOT NULL,
    total TEXT NOT NULL, payload TEXT NOT NULL, http_status INTEGER, answer TEXT,
    estado TEXT NOT NULL, state TEXT, dian_state TEXT, cufe TEXT, rules TEXT,
    updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT, type TEXT, verdict TEXT NOT NULL,
    reason TEXT NOT NULL, http_status INTEGER NOT NULL, body TEXT, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS warnings (
    id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT NOT NULL, data TEXT NOT NULL,
    received_at TEXT NOT NULL);
"""
KINDS = ("invoice", "credit_note")
ESTADOS = {"accepted": "Aceptada", "rejected": "Rechazada", "failed": "Fallida"}
PENDING, NOT_RECEIVED = "Pendiente", "No recibida"


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def folio_to_json(folio: Folio) -> str:
    return json.dumps(asdict(folio), default=str)


def folio_from_json(text: str) -> Folio:
    data = json.loads(text)
    guest = dict(data.pop("guest"))
    entry = guest.pop("entry_date")
    return Folio(
        guest=Guest(**guest, entry_date=date.fromisoformat(entry) if entry else None),
        folio_id=data["folio_id"], nights=int(data["nights"]), rate=Decimal(data["rate"]),
        breakfasts=int(data["breakfasts"]), breakfast_price=Decimal(data["breakfast_price"]),
        minibar=Decimal(data["minibar"]), tip=Decimal(data["tip"]))


def estado_of_answer(status: int, body: Any) -> str:
    """A received document is Pendiente until a webhook says how it ended; a 200 for a
    document sent again may already carry its end."""
    if not 200 <= status < 300:
        return NOT_RECEIVED
    state = body.get("state") if isinstance(body, dict) else None
    return ESTADOS.get(str(state), PENDING)


@dataclass(frozen=True)
class Connection:
    property_id: str
    status: str
    token: str | None
    webhook_secret: str | None
    api_base_url: str | None
    organization: dict[str, Any]
    previous_token_valid_until: str | None
    event_id: str
    updated_at: str

    def public(self) -> dict[str, Any]:
        """What /admin/state shows: the token (a simulator shows it), never the secret."""
        data = asdict(self)
        data["webhook_secret_set"] = bool(data.pop("webhook_secret"))
        return data


class Store:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "pms.db"
        self._lock = threading.Lock()
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    # --- connection -----------------------------------------------------------------

    def save_connection(self, event: dict[str, Any]) -> bool:
        """Apply one connection push; False when its event_id was already applied (a retry)."""
        with self._lock, closing(self._connect()) as db, db:
            seen = db.execute("SELECT 1 FROM connection_events WHERE event_id = ?",
                              (event["event_id"],)).fetchone()
            if seen:
                return False
            db.execute("INSERT INTO connection_events VALUES (?, ?, ?, ?)",
                       (event["event_id"], event["property_id"], event["status"], now_text()))
            db.execute(
                "INSERT OR REPLACE INTO connection VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (event["property_id"], event["status"], event.get("token"),
                 event.get("webhook_secret"), event.get("api_base_url"),
                 json.dumps(event.get("organization") or {}),
                 event.get("previous_token_valid_until"), event["event_id"], now_text()))
            return True

    def connections(self) -> list[Connection]:
        """Newest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM connection ORDER BY updated_at DESC, rowid DESC"
                              ).fetchall()
        return [Connection(**{**dict(r), "organization": json.loads(r["organization"])})
                for r in rows]

    def active_connection(self) -> Connection | None:
        return next((c for c in self.connections() if c.status == "active" and c.token), None)

    # --- resolution -----------------------------------------------------------------

    def seed_resolutions(self, defaults: dict[str, Resolution], overrides: set[str]) -> None:
        """Defaults for the kinds not stored yet; the kinds in `overrides` replace what is."""
        with self._lock, closing(self._connect()) as db, db:
            for kind, res in defaults.items():
                verb = "INSERT OR REPLACE" if kind in overrides else "INSERT OR IGNORE"
                db.execute(f"{verb} INTO resolution VALUES (?, ?, ?, ?, ?, ?)",
                           (kind, res.prefix, res.range_from, res.range_to,
                            res.valid_from.isoformat(), res.valid_to.isoformat()))

    def set_resolution(self, kind: str, res: Resolution) -> None:
        self.seed_resolutions({kind: res}, {kind})

    def resolutions(self) -> dict[str, Resolution]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM resolution").fetchall()
        return {r["kind"]: Resolution(r["prefix"], r["range_from"], r["range_to"],
                                      date.fromisoformat(r["valid_from"]),
                                      date.fromisoformat(r["valid_to"])) for r in rows}

    # --- folios and documents -------------------------------------------------------

    def new_folio(self, make: Any) -> Folio:
        """`make(folio_id)` builds the folio; the id is the next F0001, F0002, …"""
        with self._lock, closing(self._connect()) as db, db:
            count = db.execute("SELECT COUNT(*) FROM folios").fetchone()[0]
            folio: Folio = make(f"F{count + 1:04d}")
            db.execute("INSERT INTO folios VALUES (?, ?, ?)",
                       (folio.folio_id, folio_to_json(folio), now_text()))
        return folio

    def folio(self, folio_id: str) -> Folio | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT data FROM folios WHERE folio_id = ?", (folio_id,)).fetchone()
        return folio_from_json(row["data"]) if row else None

    def add_document(self, folio: Folio, kind: str, build: Any, total: Decimal,
                     number: int | None = None) -> dict[str, Any]:
        """Give the document the next number of its kind's prefix (or `number`), build its
        payload with `build(resolution, number)` and keep it; returns the document row."""
        with self._lock, closing(self._connect()) as db, db:
            res = self.resolutions()[kind]
            if number is None:
                last = db.execute("SELECT MAX(number) FROM documents WHERE kind = ? AND "
                                  "prefix = ?", (kind, res.prefix)).fetchone()[0]
                number = max(int(last or 0) + 1, res.range_from)
            payload = build(res, number)
            db.execute(
                "INSERT INTO documents (folio_id, kind, pms_document_id, prefix, number, total,"
                " payload, estado, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (folio.folio_id, kind, payload["pms_document_id"], res.prefix, number,
                 str(total), json.dumps(payload), NOT_RECEIVED, now_text()))
        found = self.document(payload["pms_document_id"])
        assert found is not None
        return found

    def record_push(self, pms_document_id: str, status: int, answer: Any) -> None:
        estado = estado_of_answer(status, answer)
        body = answer if isinstance(answer, dict) else {}
        with self._lock, closing(self._connect()) as db, db:
            row = db.execute("SELECT estado FROM documents WHERE pms_document_id = ?",
                             (pms_document_id,)).fetchone()
            # A webhook may have come before our push's answer; its end stays.
            if row and row["estado"] in ESTADOS.values() and estado == PENDING:
                estado = row["estado"]
            db.execute(
                "UPDATE documents SET http_status = ?, answer = ?, estado = ?, "
                "cufe = COALESCE(?, cufe), updated_at = ? WHERE pms_document_id = ?",
                (status, json.dumps(answer), estado, body.get("cufe") if status < 300 else None,
                 now_text(), pms_document_id))

    def apply_status(self, data: dict[str, Any]) -> bool:
        """A document.* webhook's status on our document; False when none matches."""
        estado = ESTADOS.get(str(data.get("state")), PENDING)
        match_by_id = bool(data.get("pms_document_id"))
        where = ("pms_document_id = ?" if match_by_id else "prefix = ? AND number = ?")
        key: tuple[Any, ...] = ((data["pms_document_id"],) if match_by_id
                                else (data.get("prefix"), data.get("number")))
        if data.get("kind"):
            where += " AND kind = ?"
            key += (data["kind"],)
        with self._lock, closing(self._connect()) as db, db:
            cursor = db.execute(
                f"UPDATE documents SET estado = ?, state = ?, dian_state = ?, "
                f"cufe = COALESCE(?, cufe), rules = ?, updated_at = ? WHERE {where}",
                (estado, data.get("state"), data.get("dian_state"), data.get("cufe"),
                 json.dumps(data.get("rules") or []), now_text(), *key))
            return cursor.rowcount > 0

    @staticmethod
    def _document(row: sqlite3.Row) -> dict[str, Any]:
        doc = dict(row)
        doc["payload"] = json.loads(doc["payload"])
        doc["answer"] = json.loads(doc["answer"]) if doc["answer"] else None
        doc["rules"] = json.loads(doc["rules"]) if doc["rules"] else []
        return doc

    def document(self, pms_document_id: str) -> dict[str, Any] | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM documents WHERE pms_document_id = ?",
                             (pms_document_id,)).fetchone()
        return self._document(row) if row else None

    def documents(self) -> list[dict[str, Any]]:
        """Newest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM documents ORDER BY id DESC").fetchall()
        return [self._document(r) for r in rows]

    # --- webhooks -------------------------------------------------------------------

    def seen_webhook(self, webhook_id: str) -> bool:
        with closing(self._connect()) as db:
            return db.execute("SELECT 1 FROM webhooks WHERE webhook_id = ? AND verdict = "
                              "'accepted'", (webhook_id,)).fetchone() is not None

    def record_webhook(self, webhook_id: str, kind: str, verdict: str, reason: str,
                       http_status: int, body: bytes) -> None:
        with self._lock, closing(self._connect()) as db, db:
            db.execute("INSERT INTO webhooks (webhook_id, type, verdict, reason, http_status,"
                       " body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (webhook_id, kind, verdict, reason, http_status,
                        body[:4000].decode("utf-8", "replace"), now_text()))

    def webhooks(self, limit: int = 200) -> list[dict[str, Any]]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT id, webhook_id, type, verdict, reason, http_status, "
                              "received_at FROM webhooks ORDER BY id DESC LIMIT ?",
                              (limit,)).fetchall()
        return [dict(r) for r in rows]

    def add_warning(self, webhook_id: str, data: dict[str, Any]) -> None:
        with self._lock, closing(self._connect()) as db, db:
            db.execute("INSERT INTO warnings (webhook_id, data, received_at) VALUES (?, ?, ?)",
                       (webhook_id, json.dumps(data), now_text()))

    def warnings(self) -> list[dict[str, Any]]:
        """The latest warning per prefix, newest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT data, received_at FROM warnings ORDER BY id DESC"
                              ).fetchall()
        latest: dict[str, dict[str, Any]] = {}
        for row in rows:
            data = json.loads(row["data"])
            latest.setdefault(str(data.get("prefix")),
                              {**data, "received_at": row["received_at"]})
        return list(latest.values())

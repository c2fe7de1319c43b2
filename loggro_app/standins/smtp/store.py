"""Accepted messages on disk: one `.eml` per message and an SQLite index to list them."""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    mail_from TEXT NOT NULL,
    rcpt_to TEXT NOT NULL,
    subject TEXT NOT NULL,
    size INTEGER NOT NULL,
    attachments TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    size: int


def parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def attachments_of(message: EmailMessage) -> list[tuple[Attachment, bytes]]:
    found = []
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        data = part.get_payload(decode=True)
        payload = data if isinstance(data, bytes) else b""
        found.append((Attachment(part.get_filename() or "sin-nombre",
                                 part.get_content_type(), len(payload)), payload))
    return found


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return str(part.get_content()) if part is not None else ""


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class MailStore:
    """Thread-safe: the SMTP thread writes while the admin thread reads."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.folder / "index.db", check_same_thread=False)
        db.row_factory = sqlite3.Row
        return db

    def _eml(self, message_id: int) -> Path:
        return self.folder / f"{message_id}.eml"

    def save(self, raw: bytes, mail_from: str, rcpt_to: list[str]) -> int:
        message = parse(raw)
        names = [a.name for a, _ in attachments_of(message)]
        received = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT INTO messages (received_at, mail_from, rcpt_to, subject, size,"
                " attachments) VALUES (?, ?, ?, ?, ?, ?)",
                (received, mail_from, json.dumps(rcpt_to), str(message["subject"] or ""),
                 len(raw), json.dumps(names)))
            message_id = int(cursor.lastrowid or 0)
            # Written inside the transaction: a listed message always has its file.
            self._eml(message_id).write_bytes(raw)
        return message_id

    @staticmethod
    def _summary(row: sqlite3.Row) -> dict[str, Any]:
        return {"id": row["id"], "received_at": row["received_at"], "from": row["mail_from"],
                "to": json.loads(row["rcpt_to"]), "subject": row["subject"],
                "size": row["size"], "attachments": json.loads(row["attachments"])}

    def list(self, *, limit: int = 50, subject_prefix: str = "",
             recipient: str = "") -> list[dict[str, Any]]:
        """Newest first; `subject_prefix` keeps one issuer's messages (subjects start NIT;),
        `recipient` the messages addressed to one address (a reception mailbox)."""
        pattern = _like(subject_prefix) + "%"
        to = "%" + _like(json.dumps(recipient.strip().lower())) + "%" if recipient else "%"
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT * FROM messages WHERE subject LIKE ? ESCAPE '\\' "
                "AND lower(rcpt_to) LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT ?",
                (pattern, to, limit)).fetchall()
        return [self._summary(r) for r in rows]

    def raw(self, message_id: int) -> bytes | None:
        path = self._eml(message_id)
        return path.read_bytes() if path.is_file() else None

    def detail(self, message_id: int) -> dict[str, Any] | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        raw = self.raw(message_id)
        if row is None or raw is None:
            return None
        message = parse(raw)
        return {**self._summary(row),
                "headers": {k: str(v) for k, v in message.items()},
                "text": body_text(message),
                "files": [asdict(a) for a, _ in attachments_of(message)]}

    def attachment(self, message_id: int, name: str) -> tuple[Attachment, bytes] | None:
        raw = self.raw(message_id)
        if raw is None:
            return None
        return next(((a, data) for a, data in attachments_of(parse(raw)) if a.name == name),
                    None)

    def clear(self) -> int:
        with self._lock, closing(self._connect()) as db, db:
            ids = [r["id"] for r in db.execute("SELECT id FROM messages").fetchall()]
            db.execute("DELETE FROM messages")
        for message_id in ids:
            self._eml(message_id).unlink(missing_ok=True)
        return len(ids)

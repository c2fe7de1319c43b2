"""Reading an organization's reception mailbox over IMAP (stdlib `imaplib`, TLS).

One poll logs in, lists the unread mails (SEARCH UNSEEN, at most `max_messages`, only
those under `max_bytes`), reads each one without marking it (BODY.PEEK), delivers it
(`reception_mailbox.deliver_mail`, which commits) and only then flags it \\Seen. A failure
before the flag leaves the mail unread, so the next poll reads it again; a crash between
the commit and the flag is harmless, as the mail's key is already stored. A mail larger
than `max_bytes` is left unread in the mailbox for a person: no invoice weighs that much.

    LOGGRO_IMAP_CA_FILE          CA bundle (PEM) to trust instead of the system's, e.g. a
                                 company CA or a test server's self-signed certificate
    LOGGRO_IMAP_PASSWORD         the account's password when none is stored (sealed) in
                                 the database
    LOGGRO_IMAP_MAX_MESSAGES     mails per poll (default 20)
    LOGGRO_IMAP_TIMEOUT_SECONDS  default 30
"""

from __future__ import annotations

import imaplib
import logging
import os
import ssl
from dataclasses import dataclass

from sqlmodel import Session, col, select

from loggro_app.core.clock import Clock, system_clock, to_utc
from loggro_app.models import ReceptionMailbox
from loggro_app.services import reception
from loggro_app.services.dian_link import DianLink
from loggro_app.services.reception_mailbox import deliver_mail, mailbox_password
from loggro_app.tls import shared_context

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = reception.MAX_PACKAGE_BYTES + 1024 * 1024  # the package and its mail
FAILED = "No se pudo leer el buzón de recepción: {reason}"


@dataclass(frozen=True)
class Poll:
    """What one poll did."""

    read: int  # mails fetched and flagged \\Seen
    receptions: list[reception.Reception]


def _number(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name) or default)
    except ValueError:
        raise RuntimeError(f"{name} es un número.") from None


def imap_context() -> ssl.SSLContext:
    """The system's CAs, or LOGGRO_IMAP_CA_FILE's when set; host names always checked."""
    ca_file = os.environ.get("LOGGRO_IMAP_CA_FILE", "").strip()
    return ssl.create_default_context(cafile=ca_file) if ca_file else shared_context()


def _connect(row: ReceptionMailbox, timeout: float) -> imaplib.IMAP4:
    if row.tls:
        return imaplib.IMAP4_SSL(row.host, row.port, ssl_context=imap_context(),
                                 timeout=timeout)
    return imaplib.IMAP4(row.host, row.port, timeout=timeout)  # loopback only (save_mailbox)


def _unseen(client: imaplib.IMAP4, max_messages: int, max_bytes: int) -> list[str]:
    status, data = client.uid("SEARCH", "UNSEEN", "SMALLER", str(max_bytes + 1))
    if status != "OK":
        raise imaplib.IMAP4.error(f"SEARCH: {data!r}")
    return (data[0] or b"").decode("ascii").split()[:max_messages]


def _fetch(client: imaplib.IMAP4, uid: str) -> bytes:
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    for item in data if status == "OK" else []:
        if isinstance(item, tuple) and isinstance(item[1], bytes):
            return item[1]
    raise imaplib.IMAP4.error(f"FETCH {uid!r}: {status}")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ssl.SSLError):
        return "el certificado del servidor no es de confianza o TLS falló."
    if isinstance(exc, imaplib.IMAP4.error):
        return "el servidor rechazó el usuario o la operación."
    return "el servidor no responde."


def poll_mailbox(*, session: Session, organization_id: int, max_messages: int | None = None,
                 max_bytes: int = MAX_MESSAGE_BYTES, link: DianLink | None = None,
                 clock: Clock = system_clock) -> Poll:
    """One poll of the organization's mailbox; its outcome is kept on the mailbox row."""
    row = session.exec(select(ReceptionMailbox).where(
        ReceptionMailbox.organization_id == organization_id)).one()
    if not row.host:
        return Poll(0, [])
    limit = max_messages or _number("LOGGRO_IMAP_MAX_MESSAGES", 20)
    timeout = _number("LOGGRO_IMAP_TIMEOUT_SECONDS", 30)
    done: list[reception.Reception] = []
    read, error = 0, ""
    try:
        client = _connect(row, timeout)
        try:
            client.login(row.user, mailbox_password(row))
            client.select("INBOX")
            for uid in _unseen(client, limit, max_bytes):
                raw = _fetch(client, uid)
                if len(raw) > max_bytes:  # the server's SEARCH said otherwise: left unread
                    continue
                done += deliver_mail(session=session, organization_id=organization_id,
                                     raw=raw, link=link)
                # Only now: the mail is stored for good.
                client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
                read += 1
        finally:
            try:
                client.logout()
            except (OSError, imaplib.IMAP4.error):
                pass
    except (OSError, imaplib.IMAP4.error) as exc:
        error = FAILED.format(reason=_reason(exc))
        log.warning("buzón de recepción de la organización %s: %s (%s)", organization_id,
                    error, type(exc).__name__)
    session.refresh(row)
    row.last_polled_at, row.last_error = to_utc(clock()), error[:500]
    session.add(row)
    session.commit()
    return Poll(read, done)


def mailboxes_to_poll(*, session: Session) -> list[int]:
    """Organizations whose reception mailbox is read over IMAP."""
    return list(session.exec(select(ReceptionMailbox.organization_id).where(
        col(ReceptionMailbox.host) != "")).all())

"""The reception mailbox of an organization and the delivery of one received mail.

Each organization has one reception address (the one its suppliers mail their invoices to
and DIAN's registry shows). When the mailbox is read over IMAP its server and account are
kept here too; the password is sealed (`services/secrets`) or, if none is stored, read from
LOGGRO_IMAP_PASSWORD, and never leaves this module but to log in.

`deliver_mail` is what every way of receiving a mail ends in (IMAP, the local SMTP server
of `make run`): each ZIP or XML attachment goes through `reception.receive_package` with
the whole mail kept as evidence and a key `Message-ID#n`; a key already stored is skipped,
so reading the same mail again registers nothing twice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from loggro_app.core.email import validate_email
from loggro_app.core.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from loggro_app.models import Organization, ReceivedMessage, ReceptionMailbox
from loggro_app.reception.events import buyer_event
from loggro_app.reception.mail import MAX_ATTACHMENTS, ReadMail, read_mail
from loggro_app.services import buyer_events, reception
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.services.secrets import secret_box

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def get_mailbox(*, session: Session, organization_id: int) -> ReceptionMailbox | None:
    return session.exec(select(ReceptionMailbox).where(
        ReceptionMailbox.organization_id == organization_id)).first()


def save_mailbox(*, session: Session, organization_id: int, address: str, host: str = "",
                 port: int = 993, tls: bool = True, user: str = "",
                 password: str | None = None) -> ReceptionMailbox:
    """Create or change the mailbox; `password=None` keeps the stored one."""
    if session.get(Organization, organization_id) is None:
        raise NotFoundError("La organización no existe.")
    problems: dict[str, str] = {}
    try:
        address = validate_email(address, field="address")
    except ValidationError as exc:
        problems.update(exc.errors)
    host = host.strip()
    if not 1 <= port <= 65535:
        problems["port"] = "El puerto va de 1 a 65535."
    if host and not user.strip():
        problems["user"] = "Escribe el usuario del buzón."
    # A password must not cross the network in clear text.
    if host and not tls and host not in LOOPBACK_HOSTS:
        problems["tls"] = "Un buzón remoto se lee siempre con TLS."
    if problems:
        raise ValidationError(problems)
    row = get_mailbox(session=session, organization_id=organization_id)
    row = row or ReceptionMailbox(organization_id=organization_id, address=address)
    row.address, row.host, row.port, row.tls, row.user = address, host, port, tls, user.strip()
    if password is not None:
        row.password_sealed = secret_box().seal_text(password) if password else ""
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@dataclass(frozen=True)
class MailboxView:
    """What a page may show of the mailbox: never the password, only whether one exists."""

    address: str = ""
    host: str = ""
    port: int = 993
    tls: bool = True
    user: str = ""
    credentials_stored: bool = False
    last_polled_at: datetime | None = None
    last_error: str = ""


def mailbox_view(*, session: Session, scope: Scope) -> MailboxView:
    row = get_mailbox(session=session, organization_id=scope.organization_id)
    if row is None:
        return MailboxView()
    return MailboxView(row.address, row.host, row.port, row.tls, row.user,
                       bool(row.password_sealed), row.last_polled_at, row.last_error)


def configure_mailbox(*, session: Session, scope: Scope, address: str, host: str = "",
                      port: int = 993, tls: bool = True, user: str = "",
                      password: str | None = None) -> MailboxView:
    """`save_mailbox` for the organization's admins; an empty password keeps the stored."""
    if scope.role != "admin":
        raise PermissionDenied("Solo un administrador puede configurar el buzón de recepción.")
    save_mailbox(session=session, organization_id=scope.organization_id, address=address,
                 host=host, port=port, tls=tls, user=user, password=password or None)
    return mailbox_view(session=session, scope=scope)


def mailbox_password(row: ReceptionMailbox) -> str:
    if row.password_sealed:
        return secret_box().open_text(row.password_sealed)
    return os.environ.get("LOGGRO_IMAP_PASSWORD", "")


def _stored(session: Session, organization_id: int, key: str) -> bool:
    return session.exec(select(ReceivedMessage.id).where(
        ReceivedMessage.organization_id == organization_id,
        ReceivedMessage.mail_key == key)).first() is not None


def keys_stored(*, session: Session, organization_id: int, key: str) -> int:
    """How many attachments of the mail `key` are already stored."""
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "#%"
    return int(session.exec(select(func.count()).select_from(ReceivedMessage).where(
        ReceivedMessage.organization_id == organization_id,
        col(ReceivedMessage.mail_key).like(pattern, escape="\\"))).one())


def expected_parts(attachment_names: list[str]) -> int:
    """How many messages a mail becomes: one per ZIP/XML attachment, one if it has none."""
    packages = [n for n in attachment_names if n.lower().endswith((".zip", ".xml"))]
    return max(1, min(len(packages), MAX_ATTACHMENTS))


def _take_buyer_event(session: Session, organization_id: int, xml: bytes, link: DianLink, *,
                      raw: bytes, mail: ReadMail, key: str) -> None:
    reasons: list[str] = []
    try:
        buyer_events.mailed(session=session, organization_id=organization_id, xml=xml,
                            link=link)
    except (ValidationError, ConflictError) as exc:
        session.rollback()
        reasons = [exc.message]
    except IntegrityError:  # recorded meanwhile by another read of the same mail
        session.rollback()
    try:
        reception.keep_buyer_event_mail(
            session=session, organization_id=organization_id, raw=raw, sender=mail.sender,
            subject=mail.subject, mail_key=key, reasons=reasons)
    except IntegrityError:
        session.rollback()
        if not _stored(session, organization_id, key):
            raise


def deliver_mail(*, session: Session, organization_id: int, raw: bytes,
                 key: str | None = None,
                 link: DianLink | None = None) -> list[reception.Reception]:
    """Register (or quarantine) every package of one received mail, once per key.

    With the DIAN link, a buyer's event about one of the organization's invoices is
    recorded on that invoice (`buyer_events.mailed`) instead of being taken for a package.

    Commits each package on its own. Raises only what the caller must not acknowledge
    the mail after (the database down): then the mail is read again next time."""
    mail = read_mail(raw)
    base = key or mail.key
    packages = [a.data for a in mail.attachments] or [raw]  # none: kept and quarantined
    done = []
    for position, data in enumerate(packages):
        part_key = f"{base}#{position}"
        if _stored(session, organization_id, part_key):
            continue
        event = buyer_event(data) if link is not None else None
        if event is not None and link is not None:
            _take_buyer_event(session, organization_id, event, link, raw=raw, mail=mail,
                              key=part_key)
            continue
        try:
            done.append(reception.receive_package(
                session=session, organization_id=organization_id, data=data,
                source="correo", sender=mail.sender, subject=mail.subject,
                mail_key=part_key, evidence=raw))
        except IntegrityError:
            # Stored meanwhile by an overlapping read of the same mail: nothing to add.
            session.rollback()
            if not _stored(session, organization_id, part_key):
                raise
        except ValidationError:
            # Above the 10 MB a package may weigh (receive_package): no invoice is that
            # large; the mailbox itself keeps the mail for a person to look at.
            session.rollback()
    return done

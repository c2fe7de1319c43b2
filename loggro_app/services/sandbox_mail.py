"""Correo de pruebas: the messages the local SMTP server received, read through its admin
API (LOGGRO_SMTP_ADMIN_URL).

Only offered when the DIAN environment is the sandbox, where the mail goes to the local
server instead of the buyers. Many organizations may share that server: each sees only the
messages it sent, those whose subject starts with its NIT (SPEC §6.2: `NIT;Nombre;...`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
from sqlmodel import Session

from loggro_app.core.clock import local_text
from loggro_app.core.errors import ConflictError, NotFoundError
from loggro_app.mail import MailSettings
from loggro_app.models import Organization
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope

LIST_LIMIT = 100
NOT_SANDBOX = "El correo de pruebas solo existe con el sandbox de la DIAN."
UNREACHABLE = "No se pudo contactar el servidor de correo local. Vuelve a intentarlo."
GONE = "Ese correo ya no está en el servidor de correo local."


@dataclass(frozen=True)
class SandboxMail:
    id: int
    received: str  # Colombian local time, as people read it
    to: str
    subject: str
    attachments: tuple[str, ...]
    size: int


@dataclass(frozen=True)
class SandboxMailFile:
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class SandboxMailDetail:
    mail: SandboxMail
    sender: str
    text: str
    files: tuple[SandboxMailFile, ...]


def _mail(row: dict[str, Any]) -> SandboxMail:
    return SandboxMail(
        id=int(row["id"]), received=local_text(datetime.fromisoformat(row["received_at"])),
        to=", ".join(row["to"]), subject=str(row["subject"]),
        attachments=tuple(row["attachments"]), size=int(row["size"]))


@dataclass(frozen=True)
class SandboxMailbox:
    admin_url: str
    nit: str  # the organization's: its messages' subjects start with "NIT;"

    def _get(self, path: str, **params: str | int) -> httpx.Response:
        try:
            answer = httpx.get(self.admin_url + path, params=params, timeout=10)
        except httpx.HTTPError:
            raise ConflictError(UNREACHABLE) from None
        if answer.status_code == 404:
            raise NotFoundError(GONE)
        if answer.is_error:
            raise ConflictError(UNREACHABLE)
        return answer

    def _own(self, row: dict[str, Any]) -> dict[str, Any]:
        if not str(row["subject"]).startswith(f"{self.nit};"):
            raise NotFoundError(GONE)  # another organization's: as if it did not exist
        return row

    def messages(self, limit: int = LIST_LIMIT) -> list[SandboxMail]:
        rows = self._get("/admin/messages", limit=limit,
                         subject_prefix=f"{self.nit};").json()["messages"]
        return [_mail(self._own(r)) for r in rows]

    def message(self, message_id: int) -> SandboxMailDetail:
        row = self._own(self._get(f"/admin/messages/{int(message_id)}").json())
        return SandboxMailDetail(
            mail=_mail(row), sender=str(row["from"]), text=str(row["text"]),
            files=tuple(SandboxMailFile(f["name"], f["content_type"], int(f["size"]))
                        for f in row["files"]))

    def attachment(self, message_id: int, name: str) -> bytes:
        detail = self.message(message_id)  # checks the message is the organization's
        if name not in detail.mail.attachments:
            raise NotFoundError(GONE)
        return self._get(f"/admin/messages/{int(message_id)}/attachments/"
                         f"{quote(name, safe='')}").content


def mailbox(*, session: Session, scope: Scope, link: DianLink,
            settings: MailSettings | None = None) -> SandboxMailbox:
    """The acting organization's view of the local SMTP server (sandbox only)."""
    if not link.is_sandbox:
        raise ConflictError(NOT_SANDBOX)
    org = session.get(Organization, scope.organization_id)
    if org is None:
        raise NotFoundError("La organización no existe.")
    return SandboxMailbox((settings or MailSettings.from_env()).admin_url, org.nit)


def list_mail(*, session: Session, scope: Scope, link: DianLink,
              settings: MailSettings | None = None) -> list[SandboxMail]:
    return mailbox(session=session, scope=scope, link=link, settings=settings).messages()


def read_mail(*, session: Session, scope: Scope, link: DianLink, message_id: int,
              settings: MailSettings | None = None) -> SandboxMailDetail:
    box = mailbox(session=session, scope=scope, link=link, settings=settings)
    return box.message(message_id)


def mail_attachment(*, session: Session, scope: Scope, link: DianLink, message_id: int,
                    name: str, settings: MailSettings | None = None) -> bytes:
    box = mailbox(session=session, scope=scope, link=link, settings=settings)
    return box.attachment(message_id, name)

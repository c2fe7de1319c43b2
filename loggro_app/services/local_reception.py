"""Local delivery: the mails the local SMTP server (`make run`) received for an
organization's reception address reach the app without any IMAP server.

The server is asked over its admin API (LOGGRO_SMTP_ADMIN_URL, which `make run` sets;
without that variable nothing happens): the latest messages addressed to each reception
address, and the raw mail of those not yet stored. Each mail is keyed `local:<id>` (the
server never reuses an id) and goes through `reception_mailbox.deliver_mail` like a mail
read over IMAP, so asking again adds nothing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import httpx
from sqlmodel import Session, select

from loggro_app.models import ReceptionMailbox
from loggro_app.services import reception
from loggro_app.services.dian_link import DianLink
from loggro_app.services.reception_mailbox import deliver_mail, expected_parts, keys_stored

log = logging.getLogger(__name__)

LIST_LIMIT = 100  # the newest per address: local delivery runs every few seconds


@dataclass(frozen=True)
class LocalServer:
    admin_url: str

    @classmethod
    def from_env(cls) -> LocalServer | None:
        url = os.environ.get("LOGGRO_SMTP_ADMIN_URL", "").strip().rstrip("/")
        return cls(url) if url else None

    def messages_to(self, address: str) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.admin_url}/admin/messages",
                           params={"to": address, "limit": LIST_LIMIT}, timeout=10)
        answer.raise_for_status()
        return list(answer.json()["messages"])

    def raw(self, message_id: int) -> bytes:
        answer = httpx.get(f"{self.admin_url}/admin/messages/{message_id}/raw", timeout=30)
        answer.raise_for_status()
        return answer.content


def deliver_local(*, session: Session, server: LocalServer, organization_id: int | None = None,
                  link: DianLink | None = None) -> list[reception.Reception]:
    """Deliver every new mail the local server holds for a reception address (of one
    organization when `organization_id` is given)."""
    done: list[reception.Reception] = []
    query = select(ReceptionMailbox.organization_id, ReceptionMailbox.address)
    if organization_id is not None:
        query = query.where(ReceptionMailbox.organization_id == organization_id)
    for organization_id, address in session.exec(query).all():
        try:
            rows = server.messages_to(address)
        except httpx.HTTPError as exc:  # the server is down for now: the next run asks again
            log.warning("servidor de correo local: %s", type(exc).__name__)
            return done
        for row in reversed(rows):  # oldest first, as they arrived
            key = f"local:{int(row['id'])}"
            names = [str(n) for n in row.get("attachments") or []]
            if keys_stored(session=session, organization_id=organization_id,
                           key=key) >= expected_parts(names):
                continue
            done += deliver_mail(session=session, organization_id=organization_id,
                                 raw=server.raw(int(row["id"])), key=key, link=link)
    return done

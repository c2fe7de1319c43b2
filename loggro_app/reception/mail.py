"""Reading a received mail: who sent it, what it is about, and the attachments that may be
an invoice (a ZIP or an XML). Pure: the caller fetched the bytes and stores the outcome.

A supplier's mail carries one ZIP (SPEC §6.2); a mail with several is read attachment by
attachment, each one registered or quarantined on its own. A mail without any is still
passed on whole, so it is kept and quarantined with its reason instead of vanishing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

MAX_ATTACHMENTS = 10  # a supplier sends one ZIP; beyond a few the rest is not an invoice
_KINDS = (".zip", ".xml")
_TYPES = ("application/zip", "application/x-zip-compressed", "application/xml", "text/xml")


@dataclass(frozen=True)
class MailAttachment:
    name: str
    data: bytes


@dataclass(frozen=True)
class ReadMail:
    key: str  # Message-ID when the mail has one, else a digest of its bytes
    sender: str
    subject: str
    attachments: tuple[MailAttachment, ...]


def _is_package(part: EmailMessage) -> bool:
    name = (part.get_filename() or "").lower()
    return name.endswith(_KINDS) or part.get_content_type() in _TYPES


def read_mail(raw: bytes) -> ReadMail:
    """The parts of a received mail a reception needs; never raises on a malformed mail."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    found: list[MailAttachment] = []
    for part in message.iter_attachments():
        if len(found) == MAX_ATTACHMENTS:
            break
        if not isinstance(part, EmailMessage) or not _is_package(part):
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            found.append(MailAttachment(part.get_filename() or "adjunto", data))
    message_id = str(message.get("Message-ID", "") or "").strip()
    # Without a Message-ID the bytes themselves identify the mail: the same mail read twice
    # gives the same key.
    key = message_id[:300] or "sha256:" + hashlib.sha256(raw).hexdigest()
    return ReadMail(key=key, sender=parseaddr(str(message.get("From", "") or ""))[1],
                    subject=str(message.get("Subject", "") or ""), attachments=tuple(found))

"""Receiving suppliers' mail, durably: a frequent scheduled check that reads every reception
mailbox configured for IMAP and, under `make run`, the local SMTP server's mail for the
reception addresses. Each step is idempotent: a mail is stored once per key
(`services/reception_mailbox`), and an IMAP mail is only flagged Seen after its commit.

    LOGGRO_RECEPTION_SCHEDULE   cron with seconds for the check (default every 30 s)
"""

from __future__ import annotations

import logging
import os
from typing import Any

from dbos import DBOS

from loggro_app.db import session_scope
from loggro_app.services import imap_poll, local_reception
from loggro_app.services.dian_link import DianLink

log = logging.getLogger(__name__)

DEFAULT_SCHEDULE = "*/30 * * * * *"


def schedule() -> str:
    return os.environ.get("LOGGRO_RECEPTION_SCHEDULE") or DEFAULT_SCHEDULE


def poll_mailboxes() -> int:
    """Every IMAP mailbox, each in its own session: one failing leaves the others read."""
    with session_scope() as session:
        organizations = imap_poll.mailboxes_to_poll(session=session)
    read = 0
    for organization_id in organizations:
        with session_scope() as session:
            read += imap_poll.poll_mailbox(session=session, organization_id=organization_id,
                                           link=DianLink.from_env()).read
    return read


def deliver_local() -> int:
    server = local_reception.LocalServer.from_env()
    if server is None:
        return 0
    with session_scope() as session:
        return len(local_reception.deliver_local(session=session, server=server,
                                                 link=DianLink.from_env()))


@DBOS.workflow()
def reception_job(scheduled_at: Any, context: Any) -> None:
    DBOS.run_step({"name": "poll_mailboxes"}, poll_mailboxes)
    DBOS.run_step({"name": "deliver_local_mail"}, deliver_local)


def schedules() -> list[dict[str, Any]]:
    return [{"schedule_name": "reception-mail", "workflow_fn": reception_job,
             "schedule": schedule()}]

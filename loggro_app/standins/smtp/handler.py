"""The aiosmtpd handler: faults at RCPT TO, storage at DATA."""

from __future__ import annotations

import asyncio
from typing import Any

from loggro_app.standins.smtp.faults import FaultBook
from loggro_app.standins.smtp.store import MailStore


class StoringHandler:
    def __init__(self, store: MailStore, faults: FaultBook) -> None:
        self.store = store
        self.faults = faults

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        refusal = self.faults.reply_for(address)
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        try:
            message_id = await asyncio.to_thread(
                self.store.save, bytes(raw), str(envelope.mail_from), list(envelope.rcpt_tos))
        except Exception as exc:  # a message that cannot be stored must not look accepted
            return f"451 4.3.0 No se pudo guardar el mensaje: {type(exc).__name__}"
        # The id in the reply lets a sender (and a test) find the stored message.
        return f"250 2.0.0 Ok: queued as {message_id}"

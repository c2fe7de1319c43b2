"""Sending one message to one recipient over SMTP, answered with a `Delivery` outcome.

An SMTP answer never raises: 2xx is `accepted` (with the server's reply, e.g. its queue
id), 5xx to MAIL/RCPT/DATA is `refused` (the recipient will not get it: tell the user),
4xx is `deferred` (try again later). A failure to connect, a timeout, a dropped
connection, TLS or login trouble is also `deferred` (code None, or the server's code for a
refused greeting or login): none of them says the buyer's address is wrong, and retrying
after the server or the configuration is fixed succeeds.

    with MailConnection(settings) as connection:      # several messages, one connection
        delivery = connection.send(message, "compras@cliente.co")
    delivery = send_message(message, "compras@cliente.co", settings=settings)  # one

The password is only given to `smtplib.login`; no message or log line contains it.
"""

from __future__ import annotations

import copy
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from types import TracebackType
from typing import Literal

from loggro_app.core.clock import Clock, system_clock
from loggro_app.core.email import validate_email
from loggro_app.mail.config import MailSettings

Status = Literal["accepted", "refused", "deferred"]


@dataclass(frozen=True)
class Delivery:
    status: Status
    recipient: str
    code: int | None  # the SMTP reply code; None when no server answered
    text: str  # the server's reply text, or in Spanish what went wrong

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    @property
    def deferred(self) -> bool:
        return self.status == "deferred"


def _reply(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def _answered(recipient: str, code: int, reply: bytes | str) -> Delivery:
    status: Status = ("accepted" if 200 <= code < 300 else
                      "refused" if 500 <= code < 600 else "deferred")
    return Delivery(status, recipient, code, _reply(reply))


class _Unreachable(Exception):
    """The server could not be used; `delivery` says why (always deferred)."""

    def __init__(self, delivery: Delivery) -> None:
        super().__init__(delivery.text)
        self.delivery = delivery


class MailConnection:
    """One SMTP session reused for several messages; it reconnects after a failure."""

    def __init__(self, settings: MailSettings, *, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.clock = clock
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> MailConnection:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _problem(self, recipient: str, exc: BaseException) -> Delivery:
        where = f"{self.settings.host}:{self.settings.port}"
        if isinstance(exc, smtplib.SMTPResponseException):
            return Delivery("deferred", recipient, exc.smtp_code, _reply(exc.smtp_error))
        # smtplib reports a read that timed out as a disconnection; the timeout is the news.
        if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(
                exc.__context__, TimeoutError):
            exc = exc.__context__
        reason = (
            "rechazó la conexión" if isinstance(exc, ConnectionRefusedError) else
            f"no respondió en {self.settings.timeout_seconds:g} s"
            if isinstance(exc, TimeoutError) else
            "falló el cifrado TLS" if isinstance(exc, ssl.SSLError) else
            "cerró la conexión" if isinstance(exc, smtplib.SMTPServerDisconnected) else
            "no admite lo configurado en LOGGRO_SMTP_SECURITY o LOGGRO_SMTP_USER"
            if isinstance(exc, smtplib.SMTPNotSupportedError) else
            f"falló ({type(exc).__name__})")
        return Delivery("deferred", recipient, None,
                        f"El servidor de correo {where} {reason}.")

    def _open(self, recipient: str) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds,
                                        context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password)
        except (smtplib.SMTPException, OSError) as exc:
            if smtp is not None:
                smtp.close()
            raise _Unreachable(self._problem(recipient, exc)) from None
        return smtp

    def _prepared(self, message: EmailMessage, recipient: str) -> bytes:
        """The message as sent: the caller's object is left as it was."""
        sent = copy.deepcopy(message)
        if sent["From"] is None:
            sent["From"] = self.settings.sender
        if sent["To"] is None:
            sent["To"] = recipient
        if sent["Date"] is None:
            sent["Date"] = format_datetime(self.clock())
        if sent["Message-ID"] is None:
            sent["Message-ID"] = make_msgid(domain=self.settings.sender_address.split("@")[1])
        return sent.as_bytes(policy=policy.SMTP)

    def _transaction(self, smtp: smtplib.SMTP, data: bytes, recipient: str) -> Delivery:
        options = [f"SIZE={len(data)}"] if smtp.has_extn("size") else []
        code, reply = smtp.mail(self.settings.sender_address, options)
        if code == 250:
            code, reply = smtp.rcpt(recipient)
            if code in (250, 251):
                code, reply = smtp.data(data)
                return _answered(recipient, code, reply)
        smtp.rset()  # the session stays usable for the next message
        return _answered(recipient, code, reply)

    def send(self, message: EmailMessage, recipient: str) -> Delivery:
        """Deliver `message` to `recipient` only; ValidationError for an invalid address."""
        address = validate_email(recipient, field="correo")
        data = self._prepared(message, address)
        reused = self._smtp is not None
        for _attempt in range(2):
            try:
                if self._smtp is None:
                    self._smtp = self._open(address)
                return self._transaction(self._smtp, data, address)
            except _Unreachable as exc:
                return exc.delivery
            except smtplib.SMTPDataError as exc:  # DATA itself refused (no 354)
                if self._smtp is not None:
                    self._smtp.rset()
                return _answered(address, exc.smtp_code, exc.smtp_error)
            except (smtplib.SMTPException, OSError) as exc:
                self._drop()
                # A kept connection the server closed while idle: one fresh try.
                if reused and isinstance(exc, smtplib.SMTPServerDisconnected):
                    reused = False
                    continue
                return self._problem(address, exc)
        raise AssertionError("unreachable")

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()


def send_message(message: EmailMessage, recipient: str, *, settings: MailSettings,
                 clock: Clock = system_clock) -> Delivery:
    """One message, one recipient, one connection."""
    with MailConnection(settings, clock=clock) as connection:
        return connection.send(message, recipient)

"""The reminder mailed to the organization when the term to claim or accept a received
invoice is about to end (pure: the message only; `send_message` delivers it)."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

from loggro_app.core.email import validate_email


def build_claim_reminder(*, recipient: str, number: str, supplier: str, last_day: str,
                         page_url: str) -> EmailMessage:
    """One short message: which invoice, until when, and where to answer."""
    message = EmailMessage(policy=policy.SMTP)
    message["To"] = validate_email(recipient, field="correo")
    # Short enough not to be folded; the supplier is named in the body
    message["Subject"] = f"Vence el plazo para reclamar la factura {number}"
    message.set_content(
        f"La factura {number} de {supplier} fue recibida (evento 032).\n\n"
        f"El plazo para reclamarla o aceptarla expresamente vence el {last_day}. Si no "
        "respondes, la factura queda aceptada tácitamente y el proveedor puede registrar "
        "la aceptación tácita ante la DIAN.\n\n"
        f"Respóndela en Loggro: {page_url}\n")
    return message

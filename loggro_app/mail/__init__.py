"""Mail to buyers: configuration, the DIAN delivery message, and sending over SMTP.

    from loggro_app.mail import (DocumentSubject, MailSettings, MailTemplate,
                                 build_document_mail, send_message)
    settings = MailSettings.from_env()
    message = build_document_mail(recipient=..., subject=DocumentSubject(...),
                                  attached_xml=..., xml_name="ad....xml", pdf=...)
    delivery = send_message(message, recipient, settings=settings)
    delivery.status  # "accepted" | "refused" | "deferred"; .code, .text

Not a stand-in: the default settings point at the local SMTP server, a real provider is
configuration (`mail/config.py`). See docs/mail.md.
"""

from loggro_app.mail.config import MailSettings
from loggro_app.mail.message import (
    MAX_MESSAGE_BYTES,
    AttachmentNames,
    DocumentSubject,
    MailTemplate,
    build_document_mail,
)
from loggro_app.mail.sender import Delivery, MailConnection, send_message

__all__ = [
    "MAX_MESSAGE_BYTES",
    "AttachmentNames",
    "Delivery",
    "DocumentSubject",
    "MailConnection",
    "MailSettings",
    "MailTemplate",
    "build_document_mail",
    "send_message",
]

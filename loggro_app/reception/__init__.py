"""Receiving suppliers' electronic invoices: the pure verification core.

`verify_received(data, buyer_nit=..., known_cufes=...)` takes what a supplier mailed (the ZIP
with the AttachedDocument and the PDF, or a bare XML) and returns a `Verdict`: ok, the
reasons in Spanish when not, and the document's key data and files (`ReceivedInvoice`).
No database, network or Reflex here: the caller stores, mails and shows.
"""

from loggro_app.reception.attached import DianAnswer, ReceivedInvoice, ReceivedLine
from loggro_app.reception.unpack import Member, Unpacked, UnsafeAttachment, unpack
from loggro_app.reception.verify import Verdict, verify_received

__all__ = [
    "DianAnswer",
    "Member",
    "ReceivedInvoice",
    "ReceivedLine",
    "Unpacked",
    "UnsafeAttachment",
    "Verdict",
    "unpack",
    "verify_received",
]

"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from loggro_app.models.billing import (
    LedgerMovement,
    PackPurchase,
    PaymentEventLog,
    Subscription,
)
from loggro_app.models.catalog import Customer, CustomerEmail, Item, PaymentMethod
from loggro_app.models.enablement import Numbering, OrgCertificate, TestSetItem, TestSetRun
from loggro_app.models.organization import (
    CashRegister,
    LoginAttempt,
    Organization,
    User,
    UserSession,
)
from loggro_app.models.pms import (
    PmsConnection,
    PmsIntake,
    PmsNotice,
    PmsNoticeAttempt,
    PmsToken,
)
from loggro_app.models.reception import (
    PurchaseEvent,
    ReceivedInvoice,
    ReceivedMessage,
    ReceptionMailbox,
)
from loggro_app.models.sales import (
    DocumentEvent,
    DocumentMovement,
    ExecutorHeartbeat,
    IssueAttempt,
    MailDelivery,
    SalesDocument,
)

__all__ = [
    "PmsConnection",
    "PmsIntake",
    "PmsNotice",
    "PmsNoticeAttempt",
    "PmsToken",
    "PurchaseEvent",
    "ReceivedInvoice",
    "ReceivedMessage",
    "ReceptionMailbox",
    "Numbering",
    "OrgCertificate",
    "TestSetItem",
    "TestSetRun",
    "CashRegister",
    "ExecutorHeartbeat",
    "IssueAttempt",
    "SalesDocument",
    "Customer",
    "CustomerEmail",
    "DocumentEvent",
    "DocumentMovement",
    "Item",
    "LedgerMovement",
    "LoginAttempt",
    "MailDelivery",
    "Organization",
    "PackPurchase",
    "PaymentEventLog",
    "PaymentMethod",
    "Subscription",
    "User",
    "UserSession",
]

"""*Simular proveedor* (sandbox only): the DIAN sandbox's simulated supplier invoices the
organization and mails the invoice to its reception address, as a real supplier would.

The sandbox is asked over its admin API (the sandbox's URL from the DIAN link). The mail
then travels like any other: under `make run` the local SMTP server holds it and local
delivery brings it in at once (otherwise the next reception check does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from loggro_app.core.errors import ConflictError
from loggro_app.models import Organization
from loggro_app.services import local_reception, reception
from loggro_app.services.dian_link import DianLink
from loggro_app.services.reception_mailbox import get_mailbox
from loggro_app.services.sandbox_portal import SandboxPortal
from loggro_app.services.scope import Scope

NO_MAILBOX = ("Tu organización aún no tiene dirección de recepción de facturas: "
              "configúrala antes de simular un proveedor.")


@dataclass(frozen=True)
class SimulatedInvoice:
    number: str
    supplier: str
    address: str
    received: reception.Reception | None  # None: it arrives with the next check


def simulate_supplier_invoice(*, session: Session, scope: Scope,
                              link: DianLink) -> SimulatedInvoice:
    portal = SandboxPortal.for_link(link)  # refuses outside the sandbox
    org = session.get(Organization, scope.organization_id)
    assert org is not None  # a session's organization always exists
    mailbox = get_mailbox(session=session, organization_id=scope.organization_id)
    if mailbox is None:
        raise ConflictError(NO_MAILBOX)
    answer = portal.supplier_invoice(org.nit, org.legal_name, mailbox.address)
    if not answer.get("mailed"):
        raise ConflictError("El servidor de correo no aceptó la factura del proveedor: "
                            + str(answer.get("smtp", "")))
    server = local_reception.LocalServer.from_env()
    done = (local_reception.deliver_local(session=session, server=server,
                                          organization_id=scope.organization_id)
            if server is not None else [])
    number = str(answer.get("number", ""))
    # Other mail may have been waiting too: report on this invoice's.
    mine = next((r for r in done if r.number == number), None)
    return SimulatedInvoice(number, str(answer.get("supplier_name", "")), mailbox.address,
                            mine)

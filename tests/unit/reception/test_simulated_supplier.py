"""The sandbox's simulated supplier: the mail it sends is a genuine invoice for the buyer
named, as the app's verification sees it (no network: the mail is built, not sent)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from loggro_app.reception import verify_received
from loggro_app.reception.mail import read_mail
from loggro_app.standins.dian_sandbox.admin import AdminError
from loggro_app.standins.dian_sandbox.app import create_app
from loggro_app.standins.dian_sandbox.supplier import SUPPLIER_NIT, supplier_invoice_mail

BUYER = {"buyer_nit": "901234561", "buyer_name": "La Ceiba Café S.A.S.",
         "address": "recepcion@laceiba.example.co"}


@pytest.fixture(scope="module")
def sandbox() -> Any:
    return create_app(db=":memory:")


def test_the_mailed_package_is_a_validated_invoice_to_the_buyer(sandbox: Any) -> None:
    message, report = supplier_invoice_mail(sandbox.state.service, sandbox.state.admin, dict(BUYER))

    mail = read_mail(message.as_bytes())
    assert message["To"] == BUYER["address"]
    assert mail.subject.startswith(f"{SUPPLIER_NIT};")
    [attachment] = mail.attachments
    verdict = verify_received(attachment.data, buyer_nit=BUYER["buyer_nit"], known_cufes=set())
    assert verdict.ok, verdict.reasons
    assert verdict.invoice is not None
    assert verdict.invoice.cufe == report["cufe"]
    assert verdict.invoice.supplier_nit == SUPPLIER_NIT
    # DIAN's part is the sandbox's own reception: validated, stored, answerable by GetStatus.
    assert sandbox.state.service.store.accepted(report["cufe"]) is not None
    assert verdict.invoice.answer is not None
    # Addressed to this buyer only.
    other = verify_received(attachment.data, buyer_nit="800199436", known_cufes=set())
    assert "comprador" in other.codes


def test_each_simulated_invoice_has_its_own_number_and_cufe(sandbox: Any) -> None:
    service, admin = sandbox.state.service, sandbox.state.admin
    first = supplier_invoice_mail(service, admin, dict(BUYER))[1]
    second = supplier_invoice_mail(service, admin, dict(BUYER))[1]
    assert first["number"] != second["number"] and first["cufe"] != second["cufe"]


@pytest.mark.parametrize("change", [{"buyer_nit": "90-12"}, {"buyer_name": " "},
                                    {"address": "sin-arroba"}])
def test_a_bad_request_is_refused_in_spanish(sandbox: Any, change: dict[str, str]) -> None:
    with pytest.raises(AdminError):
        supplier_invoice_mail(sandbox.state.service, sandbox.state.admin, {**BUYER, **change})


def test_without_a_mail_server_the_admin_action_says_so(sandbox: Any) -> None:
    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=sandbox, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
            return await client.post("/admin/supplier-invoices", json=BUYER)

    answer = asyncio.run(post())
    assert answer.status_code == 409
    assert "correo" in answer.json()["error"]

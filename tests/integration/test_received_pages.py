"""*Facturas recibidas* through Reflex's real state tree against a migrated database: an
upload registers a genuine invoice and shows it in the grid, a tampered one lands in the
quarantine with its reasons; the download route serves the originals only to their own
organization's users."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import reflex as rx
from dbos import DBOS
from reflex import constants
from sqlmodel import Session

import loggro_app.loggro_app  # noqa: F401  (registers every page state)
from loggro_app.api import api
from loggro_app.dian import demo_enabled
from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings
from loggro_app.state.auth import AuthState
from loggro_app.state.purchase_events import PurchaseEventsState
from loggro_app.state.received import ReceivedState
from tests.factories import make_org
from tests.integration.conftest import signed_up
from tests.integration.issuing_env import customer_named, invoice_draft, issue
from tests.integration.test_purchase_events import FOGON_NIT, PERSON
from tests.integration.test_session_state import log_in, sub, tab
from tests.unit.reception.package import addressed_to, tampered

pytestmark = pytest.mark.anyio
PASSWORD, STRANGER, STRANGER_PASSWORD = "Demo2026*", "beto@otra.co", "Clave2026*"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app_db(db_url: str, session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    assert load_enabled_demo(session, password=PASSWORD)
    make_org(session, "800197268", STRANGER, password=STRANGER_PASSWORD)
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


def upload_of(data: bytes, name: str) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


def genuine() -> bytes:
    return addressed_to(demo_enabled.NIT, demo_enabled.DV, demo_enabled.LEGAL_NAME)


async def test_upload_registers_quarantines_and_downloads(app_db: str) -> None:
    owner, stranger = tab("sid-a"), tab("sid-b")
    await log_in(owner, ENABLED_EMAIL, PASSWORD)
    await log_in(stranger, STRANGER, STRANGER_PASSWORD)
    page = sub(owner, ReceivedState)
    await page.load()
    assert page.rows == [] and page.quarantine == []

    await page.upload([upload_of(genuine(), "factura.zip")])
    assert page.upload_error == "", page.upload_reasons
    assert [r["number"] for r in page.rows] == ["SETP990000001"]
    row = page.rows[0]
    assert row["total"] == "$ 362.851,05" and row["taxes"] == "$ 40.050,05"
    assert row["status"] == "Validada DIAN" and row["due"] == "15/01/2027"

    await page.upload([upload_of(tampered(genuine()), "alterada.zip")])
    assert page.upload_error.startswith("No se registró la factura")
    assert any(r.startswith("Firma del proveedor") for r in page.upload_reasons)
    assert page.quarantine_total == 1 and "Firma del proveedor" in page.quarantine[0]["reasons"]
    assert "alterada.zip" in page.quarantine[0]["what"]
    assert len(page.rows) == 1

    await page.upload([upload_of(genuine(), "otra-vez.zip")])
    assert page.upload_error == "La factura SETP990000001 ya estaba registrada."

    await page.set_filter("supplier", "nadie")
    assert page.rows == [] and page.total == 0

    theirs = sub(stranger, ReceivedState)
    await theirs.load()
    assert theirs.rows == [] and theirs.quarantine == []

    invoice_id = row["id"]
    mine, other = sub(owner, AuthState).token, sub(stranger, AuthState).token
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        async def get(file: str, token: str | None) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
            return await client.get(f"/api/compras/recibidas/{invoice_id}/{file}",
                                    headers=headers)

        xml = await get("xml", mine)
        assert xml.status_code == 200 and b"<Invoice" in xml.content
        assert 'filename="900123456-SETP990000001.xml"' in xml.headers["content-disposition"]
        answer = await get("respuesta", mine)
        assert answer.status_code == 200 and b"ApplicationResponse" in answer.content
        assert (await get("pdf", mine)).content.startswith(b"%PDF")
        refused = await get("xml", other)
        assert refused.status_code == 404 and b"<Invoice" not in refused.content
        assert (await get("xml", None)).status_code == 401
        assert (await get("secreto", mine)).status_code == 404


async def sandbox_page(stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                       sid: str, email: str, password: str) -> ReceivedState:
    """The page of a user logged in while the app points at the local stand-ins."""
    for name, value in stack_env.items():
        monkeypatch.setenv(name, value)
    user = tab(sid)
    await log_in(user, email, password)
    page = sub(user, ReceivedState)
    await page.load()
    return page


async def test_simulate_supplier_brings_an_invoice_by_mail(
        app_db: str, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = await sandbox_page(stack_env, monkeypatch, "sid-c", ENABLED_EMAIL, PASSWORD)
    assert page.is_sandbox

    events = [e async for e in page.simulate_supplier()]

    assert page.simulate_error == "" and not page.simulating
    assert "quedó registrada" in str(events[-1])
    assert "Distribuidora Simulada" in {r["supplier"] for r in page.rows}.pop()


async def test_simulate_supplier_needs_a_reception_address(
        app_db: str, stack_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = await sandbox_page(stack_env, monkeypatch, "sid-d", STRANGER, STRANGER_PASSWORD)

    _ = [e async for e in page.simulate_supplier()]

    assert "dirección de recepción" in page.simulate_error
    assert page.rows == []


async def test_the_reception_mailbox_is_configured_without_keeping_the_password(
        app_db: str) -> None:
    from loggro_app.seed import ENABLED_RECEPTION
    from loggro_app.state.reception_mailbox import ReceptionMailboxState

    owner = tab("sid-e")
    await log_in(owner, ENABLED_EMAIL, PASSWORD)
    page = sub(owner, ReceptionMailboxState)
    await page.load()
    assert page.address == ENABLED_RECEPTION and page.host == "" and not page.credentials_stored

    page.set_field("host", "imap.laceiba.co")
    page.set_field("user", "recepcion")
    page.set_tls(False)
    await page.save("clave-del-buzon")
    assert page.errors == {"tls": "Un buzón remoto se lee siempre con TLS."}

    page.set_tls(True)
    page.set_field("port", "99x")
    await page.save("clave-del-buzon")
    assert "port" in page.errors

    page.set_field("port", "993")
    await page.save("clave-del-buzon")
    assert page.errors == {} and page.saved == "Guardado." and page.credentials_stored
    assert "clave-del-buzon" not in repr(page.dict())

    again = sub(owner, ReceptionMailboxState)
    await again.load()
    assert (again.host, again.port, again.user, again.credentials_stored) == (
        "imap.laceiba.co", "993", "recepcion", True)

    # the automatic acuse needs to know who receives: nobody was named yet
    assert not again.auto_acknowledge
    refused = await again.set_auto_acknowledge(True)
    assert not again.auto_acknowledge and "quién recibe" in str(refused)


def at_path(root: rx.State, path: str) -> None:
    """What Reflex records when the tab navigates to `path`."""
    data = {**root.router_data, constants.RouteVar.PATH: path, constants.RouteVar.ORIGIN: path}
    root.router_data = root._update_router_vars(data, root.router_data)


async def finished(buyer: Scope, invoice_id: str, code: str) -> str:
    """The event's workflow result (DBOS's blocking call, off the event loop)."""
    wid = f"org{buyer.organization_id}-purchase-event-{invoice_id}-{code}"
    return str(await asyncio.to_thread(lambda: DBOS.retrieve_workflow(wid).get_result()))


@pytest.fixture
def buyer_app(session: Session, seller: Scope, link: DianLink) -> Iterator[Scope]:
    """El Fogón, buying from La Ceiba (DBOS and the DIAN sandbox running)."""
    scope = signed_up(session, FOGON_NIT, "compras@fogon.example")
    yield scope
    get_settings.cache_clear()


@pytest.fixture
def ceiba_invoice(session: Session, seller: Scope) -> bytes:
    """La Ceiba's invoice to El Fogón, accepted by the sandbox: its AttachedDocument."""
    sold = issue(session, seller, invoice_draft(session, seller, customer_named(
        session, seller, "Fogón")))
    assert sold.attached_document is not None, sold.dian_messages
    return sold.attached_document


async def test_the_detail_page_offers_only_the_next_events(buyer_app: Scope,
                                                           ceiba_invoice: bytes) -> None:
    owner = tab("sid-fogon")
    await log_in(owner, "compras@fogon.example", "Espiga2026*")
    grid = sub(owner, ReceivedState)
    await grid.upload([upload_of(ceiba_invoice, "ceiba.xml")])
    assert grid.upload_error == "", grid.upload_reasons
    invoice_id = grid.rows[0]["id"]
    assert grid.rows[0]["events"] == ""

    at_path(owner, f"/compras/recibidas/{invoice_id}")
    page = sub(owner, PurchaseEventsState)
    await page.load()
    assert page.allowed == ["030"] and page.events == [] and not page.sending
    assert page.person["first_name"] == "Marta"  # the logged-in user, until someone is named
    for name, value in PERSON.items():
        page.set_person(name, value)
    page.set_person("job_title", "")
    await page.send("030")
    assert page.person_errors == {"person_job_title": "Este dato de quien recibe es "
                                                      "obligatorio."}
    assert page.events == []
    page.set_person("job_title", PERSON["job_title"])
    follow = await page.send("030")
    assert page.error == "" and follow is not None
    assert [e["code"] for e in page.events] == ["030"] and page.allowed == []
    await finished(buyer_app, invoice_id, "030")
    await page.load()
    assert [(e["code"], e["state"]) for e in page.events] == [("030", "accepted")]
    assert page.events[0]["label"] == "Registrado en la DIAN" and page.allowed == ["032"]
    assert page.status == "Acuse de recibo" and not page.sending

    await page.send("032")
    await finished(buyer_app, invoice_id, "032")
    await page.load()
    assert page.allowed == ["033", "031"] and "Puedes reclamar" in page.term_text
    page.set_claim_reason("03")
    assert page.claim_reason == "03"
    await page.send("031")
    await finished(buyer_app, invoice_id, "031")
    await page.load()
    assert page.allowed == [] and page.status == "Reclamada"
    assert page.events[-1]["reason"] == "Mercancía no entregada parcialmente"
    # an event the page no longer offers is still refused if asked for
    await page.send("033")
    assert "no admite" in page.error

    # the automatic acuse, kept for the organization with the person named last
    await page.set_auto_acknowledge(True)
    assert page.auto_acknowledge and page.error == ""
    # the same setting under Organización → Recepción de facturas, turned off there
    from loggro_app.state.reception_mailbox import ReceptionMailboxState

    settings = sub(owner, ReceptionMailboxState)
    await settings.load()
    assert settings.auto_acknowledge
    await settings.set_auto_acknowledge(False)
    await settings.load()
    assert not settings.auto_acknowledge
    await settings.set_auto_acknowledge(True)  # on again: who receives is known now
    await settings.load()
    assert settings.auto_acknowledge

    await grid.load()
    assert grid.rows[0]["events"] == "030 ✓ · 032 ✓ · 031 ✓"
    assert grid.rows[0]["status"] == "Reclamada"

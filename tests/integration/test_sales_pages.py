"""The Ventas page states driven through Reflex's real state tree against a migrated
database: pick a customer and items, save a draft, reopen it, try to issue it; and the
download route, which serves a document only to its own organization's users."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import Session

import loggro_app.loggro_app  # noqa: F401  (registers every page state)
from loggro_app.api import api
from loggro_app.core.clock import system_clock
from loggro_app.models import SalesDocument
from loggro_app.seed import CUSTOMERS, ITEMS, load_catalog
from loggro_app.settings import get_settings
from loggro_app.state.auth import AuthState, acting_scope
from loggro_app.state.sales import SalesListState
from loggro_app.state.sales_document import SalesDocumentState
from loggro_app.state.sales_form import SalesFormState
from tests.factories import make_org
from tests.integration.test_session_state import log_in, sub, tab

pytestmark = pytest.mark.anyio
ANA, BETO = "ana@empresa.co", "beto@otra.co"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app_db(db_url: str, session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    scope = make_org(session, "900123456", ANA)
    load_catalog(session, scope, customers=CUSTOMERS, items=ITEMS, clock=system_clock)
    other = make_org(session, "800197268", BETO)
    load_catalog(session, other, customers=CUSTOMERS[:1], items=ITEMS[:1], clock=system_clock)
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


async def drain(events: Any) -> list[Any]:
    return [e async for e in events]


async def new_form(root: Any, kind: str = "FE") -> SalesFormState:
    form = sub(root, SalesFormState)
    form._clear(kind)
    scope = await acting_scope(form)
    assert scope is not None
    await form._load_choices(scope)
    return form


async def draft_with_three_items(root: Any) -> SalesFormState:
    form = await new_form(root)
    await form.search_customers("860069804")  # by NIT
    assert [c["name"] for c in form.customer_options] == ["Hotel Andino S.A.S."]
    form.pick_customer(form.customer_options[0]["id"], form.customer_options[0]["name"])
    await form.search_items("")
    totals = []
    for item in form.item_options[:3]:
        form.pick_item(item)
        totals.append(form.totals[-1]["amount"])
    assert len(form.lines) == 3 and len(set(totals)) == 3  # the total moved with each line
    await drain(form.save_draft())
    assert form.document_id and form.form_error == ""
    return form


async def test_a_draft_is_saved_listed_and_reopened(app_db: str) -> None:
    root = tab()
    await log_in(root, ANA)
    form = await draft_with_three_items(root)
    assert form.final_consumer_id  # the catalog has consumidor final: the quick pick shows
    saved_lines, saved_id = list(form.lines), form.document_id

    listing = sub(root, SalesListState)
    await listing.load()
    assert [(r["id"], r["status_label"], r["customer"]) for r in listing.drafts] == [
        (str(saved_id), "Borrador", "Hotel Andino S.A.S.")]
    assert listing.rows == [] and listing.total == 0  # the grid lists issued documents

    document = sub(root, SalesDocumentState)
    event = await document._open(saved_id)
    assert document.editing and document.status == "draft"
    assert event is not None  # the form is loaded next
    form._clear("FE")
    await form.load_document(saved_id)
    assert form.lines == saved_lines and form.customer_label == "Hotel Andino S.A.S."


async def test_issuing_an_organization_not_enabled_lists_every_block(app_db: str) -> None:
    root = tab()
    await log_in(root, ANA)
    form = await draft_with_three_items(root)
    await drain(form.issue())
    links = {b["link"] for b in form.blocks}
    assert "/habilitacion" in links and "/configuracion/consecutivos" in links
    assert all(b["action"] for b in form.blocks)
    document = sub(root, SalesDocumentState)
    await document._open(form.document_id)
    assert document.status == "draft"  # nothing was numbered


async def test_field_errors_come_back_next_to_each_field(app_db: str) -> None:
    root = tab()
    await log_in(root, ANA)
    form = await new_form(root)
    form.set_line(0, "description", "Servicio")
    form.set_line(0, "quantity", "0")
    await drain(form.issue())
    assert form.errors["customer_id"] and form.line_errors[0]["quantity"]
    assert form.line_errors[0]["unit_price"]


async def test_another_organization_sees_nothing_of_the_document(app_db: str) -> None:
    owner, stranger = tab("sid-a"), tab("sid-b")
    await log_in(owner, ANA)
    await log_in(stranger, BETO)
    saved_id = (await draft_with_three_items(owner)).document_id

    document = sub(stranger, SalesDocumentState)
    await document._open(saved_id)
    assert document.missing and document.status == ""
    form = sub(stranger, SalesFormState)
    form._clear("FE")
    await form.load_document(saved_id)
    assert form.document_id == 0 and form.lines[0]["description"] == ""
    listing = sub(stranger, SalesListState)
    await listing.load()
    assert listing.rows == [] and listing.drafts == []


async def test_downloads_only_for_the_documents_organization(app_db: str,
                                                             session: Session) -> None:
    owner, stranger = tab("sid-a"), tab("sid-b")
    await log_in(owner, ANA)
    await log_in(stranger, BETO)
    saved_id = (await draft_with_three_items(owner)).document_id
    row = session.get(SalesDocument, saved_id)
    assert row is not None
    row.status, row.prefix, row.number = "accepted", "SETT", 7
    row.signed_xml, row.attached_document = b"<Invoice>firmada</Invoice>", b"PK\x03\x04zip"
    session.add(row)
    session.commit()
    mine, theirs = sub(owner, AuthState).token, sub(stranger, AuthState).token
    url = f"/api/ventas/documentos/{saved_id}"
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        async def get(file: str, token: str | None) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
            return await client.get(f"{url}/{file}", headers=headers)

        answer = await get("xml", mine)
        assert answer.status_code == 200 and answer.content == b"<Invoice>firmada</Invoice>"
        assert 'filename="FE-SETT7.xml"' in answer.headers["content-disposition"]
        zipped = await get("zip", mine)
        assert zipped.status_code == 200 and zipped.content.startswith(b"PK")
        assert (await get("pdf", mine)).status_code == 404  # no PDF yet
        other = await get("xml", theirs)
        assert other.status_code == 404 and b"firmada" not in other.content
        assert (await get("xml", None)).status_code == 401
        assert (await get("xml", "inventado")).status_code == 401
        assert (await get("secreto", mine)).status_code == 404

"""An app process for issuing tests: the seeded organization that can sell, DBOS launched
on the test's own database, and the real DIAN sandbox of the `link` fixture."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session, select

from loggro_app.core.sales import DocumentForm, LineInput
from loggro_app.models import Customer, Numbering, SalesDocument, User
from loggro_app.seed import ENABLED_EMAIL, load_enabled_demo
from loggro_app.services import issuing, sales
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from loggro_app.settings import get_settings

PASSWORD = "Demo2026*"
# The started stand-ins' environment (set by the `stack_env` fixture): mail goes to its SMTP.
STACK_ENV: dict[str, str] = {}


def configure(monkeypatch: pytest.MonkeyPatch, data_dir: Path, db_url: str,
              link: DianLink) -> None:
    assert link.url is not None
    monkeypatch.setenv("LOGGRO_DATA_DIR", str(data_dir))
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("LOGGRO_DIAN_URL", link.url)
    monkeypatch.setenv("LOGGRO_RETRY_BASE_SECONDS", "1")
    monkeypatch.setenv("LOGGRO_MAIL_RETRY_BASE_SECONDS", "1")
    for name, value in STACK_ENV.items():
        if name.startswith(("LOGGRO_SMTP_", "LOGGRO_MAIL_")):
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()


# Each seller seeded in this test session numbers from its own block of each range, one of
# BLOCKS; block 0 (the first numbers) is left to tests that issue the demo's first invoice.
BLOCKS = 250
_blocks = itertools.count(1)


def seed_seller(session: Session) -> Scope:
    """La Ceiba, with numbers far from other tests': the sandbox outlives each database."""
    assert load_enabled_demo(session, password=PASSWORD)
    user = session.exec(select(User).where(User.email == ENABLED_EMAIL)).one()
    assert user.id is not None
    block = next(_blocks)
    for row in session.exec(select(Numbering).where(
            Numbering.organization_id == user.organization_id)).all():
        # the sandbox refuses a number it accepted before (rule 90): a block of its own
        assert block < BLOCKS, "the demo ranges have no block left"
        row.next_number = row.range_from + block * ((row.range_to - row.range_from + 1) // BLOCKS)
        session.add(row)
    session.commit()
    return Scope(user.organization_id, user.id, user.role, user.is_principal)


@contextmanager
def durable_running() -> Iterator[str]:
    from loggro_app.durable import engine

    executor = engine.launch()
    try:
        yield executor
    finally:
        engine.shutdown()


def customer_named(session: Session, scope: Scope, text: str) -> Customer:
    return session.exec(select(Customer).where(
        Customer.organization_id == scope.organization_id,
        Customer.name.contains(text))).one()  # type: ignore[attr-defined]


THREE_LINES = (
    LineInput("Almuerzo ejecutivo", "2", "18.000", "INC_8", item_code="ALM-1"),
    LineInput("Café de origen 500 g", "3", "32.500", "IVA_5", discount="2.500"),
    LineInput("Asesoría contable (hora)", "1,5", "120.000", "IVA_19"),
)


def invoice_draft(session: Session, scope: Scope, customer: Customer) -> int:
    form = DocumentForm("FE", customer.id, THREE_LINES, notes="Gracias por su compra")
    row = sales.save_draft(session=session, scope=scope, form=form)
    assert row.id is not None
    return row.id


def issue(session: Session, scope: Scope, document_id: int) -> SalesDocument:
    """Emitir, then wait for the workflow and, once accepted, for its PDF and container."""
    from dbos import DBOS

    from loggro_app.durable import issuing as work

    _, round_ = issuing.request_issue(session=session, scope=scope, document_id=document_id)
    wid = work.start_sync(scope.organization_id, document_id, round_)
    if DBOS.retrieve_workflow(wid).get_result() == "accepted":
        DBOS.retrieve_workflow(f"{wid}-files").get_result()  # the PDF and container
    session.expire_all()
    row = session.get(SalesDocument, document_id)
    assert row is not None
    return row

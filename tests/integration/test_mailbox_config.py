"""The reception mailbox's configuration: validated in Spanish, the password sealed at rest
(or taken from LOGGRO_IMAP_PASSWORD), kept when not retyped."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session

from loggro_app.core.errors import ValidationError
from loggro_app.services import imap_poll
from loggro_app.services.reception_mailbox import mailbox_password, save_mailbox
from tests.factories import make_org


@pytest.fixture
def org_id(session: Session) -> int:
    return make_org(session, "900373115", "ana@empresa.co", password="Clave2026*").organization_id


def test_the_password_is_sealed_and_kept_when_not_retyped(session: Session,
                                                          org_id: int) -> None:
    row = save_mailbox(session=session, organization_id=org_id, address="Facturas@Empresa.co",
                       host="imap.empresa.co", user="facturas", password="s3creta-del-buzon")
    assert row.address == "facturas@empresa.co"
    stored = session.execute(text("SELECT password_sealed FROM receptionmailbox")).scalar()
    assert stored and "s3creta" not in stored
    assert "s3creta" not in repr(row)
    row = save_mailbox(session=session, organization_id=org_id, address="facturas@empresa.co",
                       host="imap.empresa.co", port=993, user="facturas")
    assert mailbox_password(row) == "s3creta-del-buzon"
    assert imap_poll.mailboxes_to_poll(session=session) == [org_id]


def test_without_a_stored_password_the_environment_gives_it(
        session: Session, org_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGGRO_IMAP_PASSWORD", "desde-el-entorno")
    row = save_mailbox(session=session, organization_id=org_id, address="f@empresa.co",
                       host="imap.empresa.co", user="f")
    assert mailbox_password(row) == "desde-el-entorno"


def test_an_address_only_mailbox_is_not_polled(session: Session, org_id: int) -> None:
    save_mailbox(session=session, organization_id=org_id, address="f@empresa.co")
    assert imap_poll.mailboxes_to_poll(session=session) == []
    done = imap_poll.poll_mailbox(session=session, organization_id=org_id)
    assert done.read == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"address": "sin-arroba"}, "address"),
    ({"port": 0}, "port"),
    ({"user": ""}, "user"),
    ({"tls": False}, "tls"),  # a password never crosses the network in clear text
])
def test_a_bad_configuration_is_refused(session: Session, org_id: int,
                                        change: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"address": "f@empresa.co", "host": "imap.empresa.co",
                                 "user": "f", "port": 993, "tls": True, **change}
    with pytest.raises(ValidationError) as refused:
        save_mailbox(session=session, organization_id=org_id, **values)  # type: ignore[arg-type]
    assert field in refused.value.errors


def test_clear_text_is_allowed_on_loopback_only(session: Session, org_id: int) -> None:
    row = save_mailbox(session=session, organization_id=org_id, address="f@empresa.co",
                       host="127.0.0.1", port=1143, tls=False, user="f")
    assert not row.tls

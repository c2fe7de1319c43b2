"""Only the organization's admins change its standing at DIAN, and the sandbox's "wait two
hours" moves the clock of the organization that asked, not of every tenant."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from loggro_app.core.errors import ConflictError, PermissionDenied
from loggro_app.services import numbering, sandbox_portal, test_set
from loggro_app.services.dian_link import DianLink
from loggro_app.services.scope import Scope
from tests.integration.conftest import signed_up

pytestmark = pytest.mark.integration
TEST_SET_ID = "6f66faaf-9cb0-4972-8840-424b55f36fd7"


def _seller(admin: Scope) -> Scope:
    return Scope(admin.organization_id, admin.user_id, "seller", False)


@pytest.mark.parametrize("action", [
    sandbox_portal.request_resolution, sandbox_portal.register_software,
    sandbox_portal.new_test_set, sandbox_portal.associate_prefix,
    sandbox_portal.advance_clock,
])
def test_a_seller_cannot_run_sandbox_portal_actions(session: Session, org: Scope,
                                                    link: DianLink, action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied) as err:
        action(session=session, scope=_seller(org), link=link)
    assert "administrador" in err.value.message


def test_a_seller_cannot_start_the_test_set(session: Session, org: Scope) -> None:
    with pytest.raises(PermissionDenied) as err:
        test_set.start_run(session=session, scope=_seller(org), test_set_id=TEST_SET_ID)
    assert "administrador" in err.value.message
    assert test_set.current_run(session=session, organization_id=org.organization_id) is None


def _resolution_in_a_consecutive(session: Session, scope: Scope, link: DianLink) -> None:
    from datetime import date

    from loggro_app.core import numbering as rules

    issued = sandbox_portal.request_resolution(session=session, scope=scope, link=link)
    today = date.fromisoformat(issued["issued_at"][:10])
    numbering.save_numbering(session=session, scope=scope, name="Facturas", document_kind="FE",
                             channel="NO_POS", resolution=rules.Resolution(
                                 issued["number"], "FE", 1, 5000, today,
                                 today.replace(year=today.year + 1)))


def test_waiting_two_hours_moves_only_this_organizations_clock(session: Session, org: Scope,
                                                               link: DianLink) -> None:
    other = signed_up(session, "900373115", "ana@otra.example")
    for scope in (org, other):
        sandbox_portal.register_software(session=session, scope=scope, link=link)
        _resolution_in_a_consecutive(session, scope, link)
    sandbox_portal.advance_clock(session=session, scope=org, link=link)
    assert sandbox_portal.associate_prefix(session=session, scope=org, link=link) == "FE"
    with pytest.raises(ConflictError) as err:  # the other tenant still waits its 2 hours
        sandbox_portal.associate_prefix(session=session, scope=other, link=link)
    assert "2 horas" in err.value.message

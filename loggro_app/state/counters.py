"""Document counters shared by every page (Ayuda, Tu plan, Inicio's chart), kept live.

A background task per open tab polls the organization's ledger version once a second and
refreshes the counters when it moves, so a payment confirmed or a document consumed shows
in every open page of the organization within about a second, whichever worker served it.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from loggro_app.core.errors import NotFoundError
from loggro_app.db import session_scope
from loggro_app.services import ledger
from loggro_app.services.plan_summary import PlanSummary, plan_summary
from loggro_app.state.auth import acting_scope

POLL_SECONDS = 1.0
MAX_WATCH_SECONDS = 4 * 3600  # a forgotten tab stops polling eventually


def _connected(token: str) -> bool:
    from reflex.utils.prerequisites import get_app

    namespace = get_app().app.event_namespace
    return namespace is None or token in namespace.token_to_sid


class CountersState(rx.State):
    has_plan: bool = False
    plan_label: str = ""
    quota_text: str = ""
    status: str = ""
    period_text: str = ""
    plan_allotment: int = 0
    plan_used: int = 0
    plan_available: int = 0
    purchased_available: int = 0
    available_total: int = 0
    used_percent: int = 0
    overdrawn: int = 0
    monthly: list[dict[str, int | str]] = []  # mes, usados, comprados, cupo
    watching: bool = False
    _organization_id: int = 0
    _version: int = -1

    def _apply(self, summary: PlanSummary) -> None:
        self.has_plan = True
        self.plan_label, self.quota_text = summary.plan_label, summary.quota_text
        self.status, self.period_text = summary.status, summary.period_text
        self.plan_allotment, self.plan_used = summary.plan_allotment, summary.plan_used
        self.plan_available = summary.plan_available
        self.purchased_available = summary.purchased_available
        self.available_total, self.used_percent = summary.available_total, summary.used_percent
        self.overdrawn = summary.overdrawn
        self.monthly = [{"mes": label, "usados": used, "comprados": bought,
                         "cupo": summary.monthly_quota}
                        for (label, used), (_, bought) in zip(summary.monthly,
                                                              summary.monthly_purchased,
                                                              strict=True)]
        self._version = summary.version

    def _load(self, organization_id: int) -> None:
        try:
            with session_scope() as session:
                self._apply(plan_summary(session=session, organization_id=organization_id))
        except NotFoundError:
            self.has_plan = False

    @rx.event
    async def refresh(self):  # type: ignore[no-untyped-def]
        scope = await acting_scope(self, activity=False)  # check_login already counted it
        if scope is None:
            return None
        self._organization_id = scope.organization_id
        await asyncio.to_thread(self._load, scope.organization_id)
        if not self.watching:
            return CountersState.watch
        return None

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        async with self:
            if self.watching or not self._organization_id:
                return
            self.watching = True
            organization_id, token = self._organization_id, self.router.session.client_token
        try:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + MAX_WATCH_SECONDS
            while loop.time() < deadline and _connected(token):
                await asyncio.sleep(POLL_SECONDS)
                if self._organization_id != organization_id:
                    break  # logged out (states reset) or another organization: stop
                version = await asyncio.to_thread(_version_of, organization_id)
                if version != self._version:
                    async with self:
                        if self._organization_id != organization_id:
                            break
                        await asyncio.to_thread(self._load, organization_id)
                    yield _on_ledger_change()
        finally:
            async with self:
                self.watching = False


def _on_ledger_change():  # type: ignore[no-untyped-def]
    """Pages that list ledger-backed rows reload them too (a purchase just approved)."""
    from loggro_app.state.portal import PortalState

    return PortalState.load


def _version_of(organization_id: int) -> int:
    with session_scope() as session:
        return ledger.ledger_version(session=session, organization_id=organization_id)

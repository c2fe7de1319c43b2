"""What the counters show: the plan, this period's use, purchased documents left."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from loggro_app.core.clock import BOGOTA, Clock, system_clock
from loggro_app.core.plans import YEAR
from loggro_app.core.plans import plan as plan_by_code
from loggro_app.services import ledger
from loggro_app.services.ledger import STATUSES


@dataclass(frozen=True)
class PlanSummary:
    plan_label: str
    quota_text: str
    status: str
    period_text: str
    plan_allotment: int
    plan_used: int
    plan_available: int
    purchased_available: int
    reserved: int
    available_total: int
    version: int
    monthly: list[tuple[str, int]]
    monthly_purchased: list[tuple[str, int]]  # documents bought in packs, same months
    monthly_quota: int  # 0 for yearly plans: a monthly line would mislead
    # received invoices counted with no documents left (reception is mandatory)
    overdrawn: int = 0

    @property
    def used_percent(self) -> int:
        if self.plan_allotment == 0:
            return 100
        return min(100, round(100 * self.plan_used / self.plan_allotment))


def plan_summary(*, session: Session, organization_id: int,
                 clock: Clock = system_clock) -> PlanSummary:
    sub = ledger.subscription_row(session, organization_id)
    plan = plan_by_code(sub.plan_code)
    now = clock()
    bal = ledger.balance(session=session, organization_id=organization_id, clock=lambda: now)
    start = bal.period_start.astimezone(BOGOTA)
    last_day = (bal.period_end.astimezone(BOGOTA)).date()
    per = "año" if plan.period == YEAR else "mes"
    counted, bought = ledger.monthly(session=session, organization_id=organization_id, now=now)
    return PlanSummary(
        plan_label=f"{plan.product_line} {plan.name}",
        quota_text=f"{plan.quota} documentos por {per}",
        status=STATUSES.get(sub.status, sub.status),
        period_text=f"{start:%d/%m/%Y} a {last_day.fromordinal(last_day.toordinal() - 1):%d/%m/%Y}",
        plan_allotment=bal.plan_allotment, plan_used=bal.plan_used,
        plan_available=bal.plan_available, purchased_available=bal.purchased_available,
        reserved=bal.reserved, available_total=bal.available_total,
        version=ledger.ledger_version(session=session, organization_id=organization_id),
        monthly=counted, monthly_purchased=bought,
        monthly_quota=0 if plan.period == YEAR else plan.quota,
        overdrawn=bal.overdrawn,
    )

"""The electronic-document quota ledger: periods, consumption order, packs, states."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from loggro_app.core import plans, quota
from loggro_app.core.clock import BOGOTA
from loggro_app.core.errors import ConflictError, ValidationError
from loggro_app.core.quota import Movement, Subscription

ANCHOR = date(2026, 1, 15)
SAC_BASICO = Subscription(plans.plan("sac_basico"), ANCHOR)  # 30 per month
FE_BASICO = Subscription(plans.plan("fe_basico"), ANCHOR)  # 100 per year
INVOICE = plans.INVOICE


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BOGOTA)


class Ledger:
    """Applies the pure functions the way the service will: append what they return."""

    def __init__(self, subscription: Subscription) -> None:
        self.subscription = subscription
        self.movements: list[Movement] = []
        # the service's running counters: advanced by Standing.after, never replayed
        self.counters = (0, 0)  # (purchased, held)

    def _append(self, movement: Movement | None) -> Movement | None:
        if movement is not None:
            replayed = quota.standing(self.movements, self.subscription, movement.at,
                                      movement.document_key, movement.payment_reference)
            before = replace(replayed, purchased=self.counters[0], held=self.counters[1])
            after = before.after(movement)
            self.counters = (after.purchased, after.held)
            self.movements.append(movement)
        return movement

    def reserve(self, key: str, now: datetime, kind: str = INVOICE) -> Movement | None:
        return self._append(quota.reserve(self.movements, self.subscription, key, kind, now))

    def commit(self, key: str, now: datetime, kind: str = INVOICE) -> Movement | None:
        return self._append(quota.commit(self.movements, self.subscription, key, kind, now))

    def issue(self, key: str, now: datetime) -> Movement | None:
        self.reserve(key, now)
        return self.commit(key, now)

    def release(self, key: str, now: datetime) -> Movement | None:
        return self._append(quota.release(self.movements, key, now))

    def credit(self, size: int, count: int, reference: str, now: datetime) -> Movement | None:
        return self._append(quota.credit_pack(self.movements, size, count, reference, now))

    def forfeit(self, now: datetime) -> Movement | None:
        return self._append(quota.forfeit_on_inactivity(self.movements, self.subscription, now))

    def balance(self, now: datetime) -> quota.Balance:
        return quota.balance(self.movements, self.subscription, now)


# --- periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 2, 14), date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 2, 15), date(2026, 2, 15), date(2026, 3, 15)),
        (date(2026, 12, 20), date(2026, 12, 15), date(2027, 1, 15)),
        (date(2027, 1, 3), date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_monthly_periods(today: date, start: date, end: date) -> None:
    period = quota.current_period(SAC_BASICO.plan, ANCHOR, at(today))
    assert period == (at(start, 0), at(end, 0))


def test_month_end_anchor_clamps_without_drifting() -> None:
    plan, anchor = SAC_BASICO.plan, date(2026, 1, 31)
    assert quota.current_period(plan, anchor, at(date(2026, 2, 27))) == (
        at(date(2026, 1, 31), 0),
        at(date(2026, 2, 28), 0),
    )
    assert quota.current_period(plan, anchor, at(date(2026, 3, 1))) == (
        at(date(2026, 2, 28), 0),
        at(date(2026, 3, 31), 0),
    )


def test_yearly_periods_and_leap_day_anchor() -> None:
    plan = FE_BASICO.plan
    assert quota.current_period(plan, ANCHOR, at(date(2026, 12, 31))) == (
        at(date(2026, 1, 15), 0),
        at(date(2027, 1, 15), 0),
    )
    assert quota.current_period(plan, date(2024, 2, 29), at(date(2025, 3, 1))) == (
        at(date(2025, 2, 28), 0),
        at(date(2026, 2, 28), 0),
    )


def test_period_boundary_is_midnight_in_bogota() -> None:
    # 04:59 UTC on 15 Feb is still 14 Feb in Bogotá (UTC-5).
    before = datetime(2026, 2, 15, 4, 59, tzinfo=UTC)
    after = datetime(2026, 2, 15, 5, 0, tzinfo=UTC)
    assert quota.current_period(SAC_BASICO.plan, ANCHOR, before)[1] == after
    assert quota.current_period(SAC_BASICO.plan, ANCHOR, after)[0] == after


def test_period_needs_aware_time_after_the_anchor() -> None:
    with pytest.raises(ValueError):
        quota.current_period(SAC_BASICO.plan, ANCHOR, datetime(2026, 2, 1, 10))
    with pytest.raises(ValueError):
        quota.current_period(SAC_BASICO.plan, ANCHOR, at(date(2026, 1, 14)))


# --- consumption ---------------------------------------------------------------------


def test_fresh_balance() -> None:
    now = at(date(2026, 1, 20))
    assert Ledger(SAC_BASICO).balance(now) == quota.Balance(
        plan_allotment=30,
        plan_used=0,
        plan_available=30,
        purchased_available=0,
        reserved=0,
        available_total=30,
        period_start=at(ANCHOR, 0),
        period_end=at(date(2026, 2, 15), 0),
    )


def test_monthly_rollover_restores_the_plan_and_keeps_purchased() -> None:
    ledger, day = Ledger(SAC_BASICO), date(2026, 1, 20)
    ledger.credit(50, 1, "pago-1", at(day))
    for number in range(40):
        ledger.issue(f"FE-{number}", at(day))
    assert ledger.balance(at(day)).plan_available == 0
    assert ledger.balance(at(day)).purchased_available == 40
    new_period = ledger.balance(at(date(2026, 2, 15)))
    assert (new_period.plan_used, new_period.plan_available) == (0, 30)
    assert new_period.purchased_available == 40
    assert new_period.available_total == 70


def test_plan_documents_are_used_first() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    kinds = [ledger.issue(f"FE-{n}", now).kind for n in range(32)]  # type: ignore[union-attr]
    assert kinds == [quota.PLAN_CONSUME] * 30 + [quota.PACK_CONSUME] * 2


def test_yearly_basico_lasts_until_the_anniversary() -> None:
    ledger = Ledger(FE_BASICO)
    for number in range(100):
        ledger.issue(f"FE-{number}", at(date(2026, 3, 1)))
    with pytest.raises(ConflictError):
        ledger.reserve("FE-100", at(date(2026, 12, 31)))
    assert ledger.balance(at(date(2027, 1, 14))).available_total == 0
    assert ledger.balance(at(date(2027, 1, 15))).available_total == 100
    assert ledger.reserve("FE-100", at(date(2027, 1, 15))) is not None


def test_nothing_left_is_refused_with_a_spanish_message() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    for number in range(30):
        ledger.issue(f"FE-{number}", now)
    with pytest.raises(ConflictError) as caught:
        ledger.reserve("FE-30", now)
    assert caught.value.message.startswith("No tienes documentos electrónicos disponibles")
    with pytest.raises(ConflictError):
        ledger.commit("FE-30", now)  # a commit without a hold needs a unit too
    assert ledger.balance(now).available_total == 0


def test_reservations_hold_units_and_release_frees_them() -> None:
    ledger, now = Ledger(Subscription(SAC_BASICO.plan, ANCHOR)), at(date(2026, 1, 20))
    for number in range(30):
        assert ledger.reserve(f"FE-{number}", now) is not None
    assert ledger.balance(now).available_total == 0
    with pytest.raises(ConflictError):
        ledger.reserve("FE-30", now)
    assert ledger.release("FE-3", now) is not None
    assert ledger.release("FE-3", now) is None  # already free: nothing to record
    assert ledger.reserve("FE-30", now) is not None
    ledger.commit("FE-0", now)
    assert ledger.balance(now).plan_used == 1
    assert ledger.release("FE-0", now) is None  # a counted document cannot be released


def test_a_released_document_can_be_reserved_again() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.reserve("FE-1", now)
    ledger.release("FE-1", now)
    assert ledger.reserve("FE-1", now) is not None
    assert ledger.commit("FE-1", now) is not None
    assert ledger.balance(now).plan_used == 1


def test_double_commit_counts_once() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    first = ledger.issue("FE-1", now)
    assert first is not None and first.kind == quota.PLAN_CONSUME
    assert ledger.commit("FE-1", now) is None
    assert ledger.reserve("FE-1", now) is None  # already counted: no new hold
    # Even a log that recorded the consumption twice (a race without the unique index)
    # counts the document once.
    ledger.movements.append(first)
    assert ledger.balance(now).plan_used == 1
    assert ledger.balance(now).reserved == 0


def test_reserving_twice_holds_one_unit() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    assert ledger.reserve("FE-1", now) is not None
    assert ledger.reserve("FE-1", now) is None
    assert ledger.balance(now).reserved == 1


def test_notes_are_not_counted_unless_the_plan_says_so() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    assert ledger.reserve("NC-1", now, kind=plans.CREDIT_NOTE) is None
    assert ledger.commit("NC-1", now, kind=plans.CREDIT_NOTE) is None
    counting = plans.Plan(
        "x", "Línea", "Con notas", 30, plans.MONTH, True,
        frozenset(plans.DOCUMENT_KINDS),
    )  # fmt: skip
    ledger = Ledger(Subscription(counting, ANCHOR))
    assert ledger.reserve("NC-1", now, kind=plans.CREDIT_NOTE) is not None


def test_support_documents_and_receptions_count() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.reserve("DS-1", now, kind=plans.SUPPORT_DOCUMENT)
    ledger.reserve("RC-1", now, kind=plans.PURCHASE_RECEPTION)
    assert ledger.balance(now).reserved == 2


def test_consumption_is_charged_to_the_period_of_acceptance() -> None:
    ledger = Ledger(SAC_BASICO)
    ledger.reserve("FE-1", at(date(2026, 2, 14), 23))
    ledger.commit("FE-1", at(date(2026, 2, 15), 1))
    assert ledger.balance(at(date(2026, 2, 15))).plan_used == 1
    assert ledger.balance(at(date(2026, 2, 14))).plan_used == 0


# --- packs and account states --------------------------------------------------------


def test_pack_credit_is_idempotent_per_payment() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    credit = ledger.credit(150, 2, "stripe-pi-1", now)
    assert credit is not None and credit.quantity == 300
    assert credit.reason == "Compra de 2 paquete(s) de 150 documentos"
    assert ledger.credit(150, 2, "stripe-pi-1", now) is None
    assert ledger.balance(now).purchased_available == 300


def test_pack_credit_validates_the_purchase() -> None:
    with pytest.raises(ValidationError):
        quota.credit_pack([], 75, 1, "p", at(date(2026, 1, 20)))
    with pytest.raises(ValidationError):
        quota.credit_pack([], 50, 0, "p", at(date(2026, 1, 20)))


def test_extraccion_keeps_purchased_documents() -> None:
    # Extracción records nothing: months pass and the purchased documents stay.
    ledger = Ledger(SAC_BASICO)
    ledger.credit(450, 1, "pago-1", at(date(2026, 1, 20)))
    ledger.issue("FE-1", at(date(2026, 1, 20)))
    later = ledger.balance(at(date(2026, 9, 1)))
    assert later.purchased_available == 450
    assert later.available_total == 480


def test_inactividad_forfeits_purchased_documents() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 2, "pago-1", now)
    forfeit = ledger.forfeit(now)
    assert forfeit is not None and forfeit.quantity == 100
    assert ledger.balance(now).purchased_available == 0
    assert ledger.balance(now).available_total == 30  # the plan's own documents remain
    assert ledger.forfeit(now) is None
    ledger.credit(50, 1, "pago-2", now)  # a later purchase counts normally
    assert ledger.balance(now).purchased_available == 50


def test_inactividad_keeps_units_held_by_documents_in_flight() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    for number in range(32):  # 30 from the plan, 2 held beyond it
        ledger.reserve(f"FE-{number}", now)
    forfeit = ledger.forfeit(now)
    assert forfeit is not None and forfeit.quantity == 48
    for number in range(32):
        ledger.commit(f"FE-{number}", now)
    assert ledger.balance(now).purchased_available == 0


def test_balance_never_goes_below_zero_even_with_a_corrupt_log() -> None:
    now = at(date(2026, 1, 20))
    movements = [
        Movement(quota.PURCHASED_FORFEIT, now, quantity=500),
        Movement(quota.PACK_CONSUME, now, document_key="X", document_kind=INVOICE),
    ]
    current = quota.balance(movements, SAC_BASICO, now)
    assert current.purchased_available == 0
    assert current.available_total == 30


@pytest.mark.parametrize(
    "build",
    [
        lambda now: Movement("gift", now),
        lambda now: Movement(quota.RESERVE, now.replace(tzinfo=None), document_key="A"),
        lambda now: Movement(quota.RESERVE, now),
        lambda now: Movement(quota.RESERVE, now, quantity=2, document_key="A"),
        lambda now: Movement(quota.PACK_CREDIT, now, quantity=0, payment_reference="p"),
        lambda now: Movement(quota.PACK_CREDIT, now, quantity=50),
        lambda now: Movement(quota.PURCHASED_FORFEIT, now, quantity=True),
    ],
)
def test_invalid_movements_cannot_exist(build: object) -> None:
    with pytest.raises(ValueError):
        build(at(date(2026, 1, 20)))  # type: ignore[operator]


def test_quota_modules_are_pure() -> None:
    forbidden = {"reflex", "sqlmodel", "sqlalchemy", "httpx", "socket", "urllib"}
    for module in (quota, plans):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {name.split(".")[0] for name in names} & forbidden
        assert "datetime.now" not in Path(module.__file__ or "").read_text(encoding="utf-8")


def test_a_day_of_issuing_in_order() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    for minute in range(3):
        ledger.issue(f"FE-{minute}", now + timedelta(minutes=minute))
    assert [m.kind for m in ledger.movements] == [quota.RESERVE, quota.PLAN_CONSUME] * 3


# --- property: random operation sequences against a simple reference model -----------

KEYS = st.sampled_from([f"D{n}" for n in range(8)])
MINI_MONTHLY = plans.Plan(
    "mini_m", "Prueba", "Mini", 3, plans.MONTH, False, plans.plan("sac_basico").counted_kinds
)
MINI_YEARLY = plans.Plan(
    "mini_y", "Prueba", "Mini anual", 4, plans.YEAR, False, plans.plan("fe_basico").counted_kinds
)


class QuotaMachine(RuleBasedStateMachine):
    """Drives the ledger with random calls and checks it against counters kept by hand."""

    @initialize(plan=st.sampled_from([MINI_MONTHLY, MINI_YEARLY]))
    def start(self, plan: plans.Plan) -> None:
        self.ledger = Ledger(Subscription(plan, ANCHOR))
        self.now = at(ANCHOR)
        self.plan_uses: list[datetime] = []  # when each plan consumption happened
        self.purchased = 0
        self.held: set[str] = set()
        self.counted: set[str] = set()
        self.payments: set[str] = set()

    def model_plan_available(self) -> int:
        start, end = quota.current_period(self.ledger.subscription.plan, ANCHOR, self.now)
        used = sum(1 for moment in self.plan_uses if start <= moment < end)
        return self.ledger.subscription.plan.quota - used

    def model_available(self) -> int:
        return self.model_plan_available() + self.purchased - len(self.held)

    @rule(days=st.integers(min_value=0, max_value=70))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days, minutes=1)

    @rule(key=KEYS, kind=st.sampled_from([plans.INVOICE, plans.CREDIT_NOTE]))
    def reserve(self, key: str, kind: str) -> None:
        expect_refusal = (
            kind == plans.INVOICE
            and key not in self.held | self.counted
            and self.model_available() < 1
        )
        if expect_refusal:
            with pytest.raises(ConflictError):
                self.ledger.reserve(key, self.now, kind=kind)
            return
        movement = self.ledger.reserve(key, self.now, kind=kind)
        assert (movement is not None) == (
            kind == plans.INVOICE and key not in self.held | self.counted
        )
        if movement is not None:
            self.held.add(key)

    @rule(key=KEYS)
    def commit(self, key: str) -> None:
        if key in self.counted:
            assert self.ledger.commit(key, self.now) is None
            return
        if key not in self.held and self.model_available() < 1:
            with pytest.raises(ConflictError):
                self.ledger.commit(key, self.now)
            return
        plan_first = self.model_plan_available() >= 1
        movement = self.ledger.commit(key, self.now)
        assert movement is not None
        assert movement.kind == (quota.PLAN_CONSUME if plan_first else quota.PACK_CONSUME)
        if plan_first:
            self.plan_uses.append(self.now)
        else:
            self.purchased -= 1
        self.held.discard(key)
        self.counted.add(key)

    @rule(key=KEYS)
    def release(self, key: str) -> None:
        movement = self.ledger.release(key, self.now)
        assert (movement is not None) == (key in self.held)
        self.held.discard(key)

    @rule(size=st.sampled_from([50, 150]), count=st.integers(1, 2), ref=st.sampled_from("ab"))
    def buy(self, size: int, count: int, ref: str) -> None:
        movement = self.ledger.credit(size, count, ref, self.now)
        assert (movement is not None) == (ref not in self.payments)
        if movement is not None:
            self.payments.add(ref)
            self.purchased += size * count

    @rule()
    def inactivity(self) -> None:
        keep = max(0, len(self.held) - self.model_plan_available())
        movement = self.ledger.forfeit(self.now)
        lost = movement.quantity if movement else 0
        assert lost == max(0, self.purchased - keep)
        self.purchased -= lost

    @invariant()
    def balance_matches_the_model(self) -> None:
        current = self.ledger.balance(self.now)
        assert current.plan_available == self.model_plan_available()
        assert current.plan_used == current.plan_allotment - current.plan_available
        assert current.purchased_available == self.purchased
        assert current.reserved == len(self.held)
        assert current.available_total == self.model_available()

    @invariant()
    def running_counters_match_the_replay(self) -> None:
        replayed = quota.standing(self.ledger.movements, self.ledger.subscription, self.now)
        assert self.ledger.counters == (replayed.purchased, replayed.held)

    @invariant()
    def nothing_negative_and_nothing_counted_twice(self) -> None:
        current = self.ledger.balance(self.now)
        assert min(current.plan_available, current.purchased_available, current.reserved) >= 0
        assert current.available_total >= 0
        assert current.reserved <= current.plan_available + current.purchased_available
        consumed = [
            m.document_key
            for m in self.ledger.movements
            if m.kind in (quota.PLAN_CONSUME, quota.PACK_CONSUME)
        ]
        assert len(consumed) == len(set(consumed)) == len(self.counted)


QuotaMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_random_operation_sequences = QuotaMachine.TestCase


# --- edges ---------------------------------------------------------------------------


def test_a_document_at_midnight_of_the_first_day_belongs_to_the_new_period() -> None:
    boundary = at(date(2026, 2, 15), 0)  # the period starts at 00:00 Bogotá
    for when, counted_in_old, counted_in_new in (
        (boundary, 0, 1),
        (boundary - timedelta(microseconds=1), 1, 0),
    ):
        ledger = Ledger(SAC_BASICO)
        ledger.reserve("FE-1", when)
        ledger.commit("FE-1", when)
        assert ledger.balance(at(date(2026, 2, 14), 23)).plan_used == counted_in_old
        assert ledger.balance(boundary).plan_used == counted_in_new


def test_a_duplicated_pack_consumption_is_counted_once() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    for number in range(30):
        ledger.issue(f"FE-{number}", now)
    pack = ledger.issue("FE-30", now)
    assert pack is not None and pack.kind == quota.PACK_CONSUME
    ledger.movements.append(pack)  # recorded twice (a race without the unique index)
    ledger.movements.append(
        Movement(quota.PLAN_CONSUME, now, document_key="FE-30", document_kind=INVOICE)
    )
    current = ledger.balance(now)
    assert (current.plan_used, current.purchased_available) == (30, 49)
    assert current.available_total == 49


def test_a_held_unit_is_honoured_after_a_mid_period_downgrade() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    for number in range(5):
        ledger.reserve(f"FE-{number}", now)
    ledger.commit("FE-0", now)
    small = plans.Plan("x", "Línea", "Menor", 1, plans.MONTH, False, frozenset({INVOICE}))
    ledger.subscription = Subscription(small, ANCHOR)  # downgraded with 4 units held
    committed = ledger.commit("FE-1", now)
    assert committed is not None and committed.kind == quota.PLAN_CONSUME
    current = ledger.balance(now)
    assert (current.plan_used, current.plan_available, current.available_total) == (2, 0, 0)
    with pytest.raises(ConflictError):
        ledger.commit("FE-9", now)  # no hold: nothing left for it


def test_the_last_unit_can_be_reserved_and_committed() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    for number in range(29):
        ledger.issue(f"FE-{number}", now)
    assert ledger.balance(now).available_total == 1
    assert ledger.reserve("FE-29", now) is not None
    ledger.release("FE-29", now)
    assert ledger.commit("FE-29", now) is not None  # without a hold, the last unit too
    assert ledger.balance(now).available_total == 0


def test_the_last_plan_unit_comes_from_the_plan_and_the_next_from_the_pack() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    for number in range(29):
        ledger.issue(f"FE-{number}", now)
    assert ledger.issue("FE-29", now).kind == quota.PLAN_CONSUME  # type: ignore[union-attr]
    assert ledger.issue("FE-30", now).kind == quota.PACK_CONSUME  # type: ignore[union-attr]
    assert ledger.balance(now).purchased_available == 49


def test_forfeit_of_exactly_one_purchased_unit() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    for number in range(30 + 49):  # the plan and all but one purchased unit held
        ledger.reserve(f"FE-{number}", now)
    forfeit = ledger.forfeit(now)
    assert forfeit is not None and forfeit.quantity == 1
    assert forfeit.reason == "Documentos adquiridos perdidos por inactividad"
    assert ledger.forfeit(now) is None


def test_the_last_purchased_unit_is_used_then_nothing_is_left() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    for number in range(30 + 49):
        ledger.issue(f"FE-{number}", now)
    assert ledger.balance(now).purchased_available == 1
    assert ledger.issue("FE-79", now).kind == quota.PACK_CONSUME  # type: ignore[union-attr]
    with pytest.raises(ConflictError):
        ledger.reserve("FE-80", now)


def test_invalid_movements_say_why() -> None:
    now = at(date(2026, 1, 20))
    for build, message in (
        (lambda: Movement("gift", now), "unknown movement kind 'gift'"),
        (lambda: Movement(quota.RESERVE, now.replace(tzinfo=None), document_key="A"),
         "movement time must be timezone-aware"),
        (lambda: Movement(quota.PURCHASED_FORFEIT, now, quantity=True),
         "movement quantity must be an integer"),
        (lambda: Movement(quota.RESERVE, now, quantity=2, document_key="A"),
         "reserve quantity 2 is not allowed"),
        (lambda: Movement(quota.RESERVE, now), "reserve needs a document_key"),
        (lambda: Movement(quota.PACK_CREDIT, now, quantity=50),
         "pack_credit needs a payment_reference"),
        (lambda: quota.current_period(SAC_BASICO.plan, ANCHOR, datetime(2026, 2, 1)),
         "now must be timezone-aware"),
        (lambda: quota.current_period(SAC_BASICO.plan, ANCHOR, at(date(2026, 1, 14))),
         "2026-01-14 is before the subscription started (2026-01-15)"),
    ):
        with pytest.raises(ValueError) as caught:
            build()
        assert str(caught.value) == message


def test_document_movements_record_the_kind_and_reason() -> None:
    now = at(date(2026, 1, 20))
    held = quota.reserve([], SAC_BASICO, "DS-1", plans.SUPPORT_DOCUMENT, now)
    assert held is not None and held.document_kind == plans.SUPPORT_DOCUMENT
    counted = quota.commit([held], SAC_BASICO, "DS-1", plans.SUPPORT_DOCUMENT, now)
    assert counted is not None
    assert (counted.document_kind, counted.reason) == (plans.SUPPORT_DOCUMENT, "")
    accepted = quota.commit([held], SAC_BASICO, "DS-1", plans.SUPPORT_DOCUMENT, now, "Aceptado")
    assert accepted is not None and accepted.reason == "Aceptado"
    freed = quota.release([held], "DS-1", now)
    assert freed is not None and freed.reason == ""
    assert quota.release([held], "DS-1", now, "Rechazado").reason == "Rechazado"  # type: ignore[union-attr]


def test_purchases_add_up_and_a_commit_without_units_says_why() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    ledger.credit(150, 1, "pago-2", now)
    assert ledger.balance(now).purchased_available == 200
    empty = Ledger(Subscription(plans.Plan("x", "Línea", "Cero", 0, plans.MONTH, False,
                                           frozenset({INVOICE})), ANCHOR))
    with pytest.raises(ConflictError) as caught:
        empty.commit("FE-1", now)
    assert caught.value.message == quota.NO_DOCUMENTS_LEFT


# --- mandatory documents (a supplier's invoice received): overdraw --------------------

RECEPTION = plans.PURCHASE_RECEPTION


def test_overdraw_counts_a_reception_with_nothing_left_and_shows_it() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    for number in range(30):
        ledger.issue(f"FE-{number}", now)
    with pytest.raises(ConflictError):
        quota.commit(ledger.movements, SAC_BASICO, "cufe-1", RECEPTION, now)
    movement = quota.commit(ledger.movements, SAC_BASICO, "cufe-1", RECEPTION, now,
                            overdraw=True)
    assert movement is not None and movement.kind == quota.PLAN_CONSUME
    ledger.movements.append(movement)
    after = ledger.balance(now)
    assert (after.plan_used, after.plan_available, after.available_total) == (31, 0, 0)
    assert after.overdrawn == 1
    # counted once: the same CUFE again records nothing
    assert quota.commit(ledger.movements, SAC_BASICO, "cufe-1", RECEPTION, now,
                        overdraw=True) is None
    # a new period starts afresh
    assert ledger.balance(at(date(2026, 2, 15))).overdrawn == 0


def test_overdraw_uses_the_plan_normally_while_documents_remain() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    movement = quota.commit(ledger.movements, SAC_BASICO, "cufe-1", RECEPTION, now,
                            overdraw=True)
    assert movement is not None and movement.kind == quota.PLAN_CONSUME
    ledger.movements.append(movement)
    assert ledger.balance(now).overdrawn == 0
    assert ledger.balance(now).plan_used == 1


def test_overdraw_with_purchased_units_all_held_charges_the_plan() -> None:
    ledger, now = Ledger(SAC_BASICO), at(date(2026, 1, 20))
    ledger.credit(50, 1, "pago-1", now)
    for number in range(30):
        ledger.issue(f"FE-{number}", now)
    for number in range(50):
        ledger.reserve(f"FE-held-{number}", now)
    assert ledger.balance(now).available_total == 0
    movement = quota.commit(ledger.movements, SAC_BASICO, "cufe-1", RECEPTION, now,
                            overdraw=True)
    assert movement is not None and movement.kind == quota.PLAN_CONSUME
    ledger.movements.append(movement)
    assert ledger.balance(now).overdrawn == 1
    assert ledger.balance(now).purchased_available == 50  # still there for the held ones


def test_standing_after_follows_the_replay_rules_one_movement_at_a_time() -> None:
    now = at(date(2026, 1, 20))
    fresh = quota.Standing(plan_used=2, purchased=5, held=1)
    reserve = Movement(quota.RESERVE, now, document_key="K")
    assert fresh.after(reserve).held == 2
    assert replace(fresh, document_held=True).after(reserve).held == 1
    assert replace(fresh, document_counted=True).after(reserve).held == 1
    release = Movement(quota.RELEASE, now, document_key="K")
    assert replace(fresh, document_held=True).after(release).held == 0
    assert fresh.after(release).held == 1
    pack = Movement(quota.PACK_CONSUME, now, document_key="K")
    held_pack = replace(fresh, document_held=True).after(pack)
    assert (held_pack.purchased, held_pack.held, held_pack.plan_used) == (4, 0, 2)
    plan_use = replace(fresh, document_held=True).after(
        Movement(quota.PLAN_CONSUME, now, document_key="K"))
    assert (plan_use.purchased, plan_use.held, plan_use.plan_used) == (5, 0, 3)
    assert replace(fresh, document_counted=True).after(pack) == replace(
        fresh, document_counted=True)
    credit = Movement(quota.PACK_CREDIT, now, quantity=50, payment_reference="p")
    assert fresh.after(credit).purchased == 55
    assert replace(fresh, payment_credited=True).after(credit).purchased == 5
    forfeit = Movement(quota.PURCHASED_FORFEIT, now, quantity=9)
    assert fresh.after(forfeit).purchased == 0

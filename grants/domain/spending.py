"""The Strategy's money by partner department, pillar and fiscal year: what it planned
(the envelopes, amended with a reason), and what departments that pay no grants report
they spent (their actual spending is reported, not disbursed through the tracker).

An aggregate of its own, at an id every process knows: no rule ties it to the results
framework, and the two are kept at different times of the year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid5

from grants.domain.aggregate import Aggregate
from grants.domain.errors import InvalidValue, rule
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import Pillar, department_code
from grants.domain.values import TEXT_LENGTH, cents, text

SPENDING_ID = uuid5(UUID("6f1c1bde-7f8e-4a54-9d57-3c0f3d8b2a41"), "strategy-spending")


@dataclass(frozen=True)
class Line:
    department: str
    pillar: Pillar
    fiscal_year: FiscalYear


class SpendingPlan(Aggregate):
    planned: dict[Line, int]
    reported: dict[Line, int]

    def __init__(self) -> None:
        """The state comes from the creation event's ``apply``, like every change."""

    class Opened(Aggregate.Created):
        def apply(self, plan: SpendingPlan) -> None:
            plan.planned = {}
            plan.reported = {}

    class PlannedSpendingSet(Aggregate.Event):
        """``previous_cents``: what was planned before, when this amends it."""

        department: str
        pillar: Pillar
        fiscal_year: FiscalYear
        amount_cents: int
        previous_cents: int | None
        reason: str

        def apply(self, plan: SpendingPlan) -> None:
            line = Line(self.department, self.pillar, self.fiscal_year)
            plan.planned[line] = self.amount_cents

    class SpendingReported(Aggregate.Event):
        """A department's actual spending, as its departmental results report gives it;
        a later report for the same line replaces the earlier one."""

        department: str
        pillar: Pillar
        fiscal_year: FiscalYear
        amount_cents: int
        replaced_cents: int | None
        source: str
        note: str

        def apply(self, plan: SpendingPlan) -> None:
            line = Line(self.department, self.pillar, self.fiscal_year)
            plan.reported[line] = self.amount_cents

    @classmethod
    def open(cls, *, actor: str, effective_on: date) -> SpendingPlan:
        return cls._create(cls.Opened, id=SPENDING_ID, actor=actor, effective_on=effective_on)

    def plan(
        self,
        *,
        department: str,
        pillar: Pillar,
        fiscal_year: FiscalYear,
        amount_cents: int,
        reason: str,
        actor: str,
        effective_on: date,
    ) -> None:
        """Sets a line of the plan; changing one already set needs a reason."""
        line = Line(department_code(department), Pillar(pillar), fiscal_year)
        reason = text(reason, field="reason", max_length=TEXT_LENGTH, multiline=True)
        previous = self.planned.get(line)
        if previous is not None and not reason:
            raise InvalidValue(rule("say why the planned spending is amended"), field="reason")
        self.trigger_event(
            self.PlannedSpendingSet,
            department=line.department,
            pillar=line.pillar,
            fiscal_year=fiscal_year,
            amount_cents=cents(amount_cents, field="amount_cents"),
            previous_cents=previous,
            reason=reason,
            actor=actor,
            effective_on=effective_on,
        )

    def report(
        self,
        *,
        department: str,
        pillar: Pillar,
        fiscal_year: FiscalYear,
        amount_cents: int,
        source: str,
        note: str,
        actor: str,
        effective_on: date,
    ) -> None:
        line = Line(department_code(department), Pillar(pillar), fiscal_year)
        self.trigger_event(
            self.SpendingReported,
            department=line.department,
            pillar=line.pillar,
            fiscal_year=fiscal_year,
            amount_cents=cents(amount_cents, field="amount_cents"),
            replaced_cents=self.reported.get(line),
            source=text(source, field="source", required=True),
            note=text(note, field="note", max_length=TEXT_LENGTH, multiline=True),
            actor=actor,
            effective_on=effective_on,
        )

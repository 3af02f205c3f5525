"""A call for proposals under a program."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from grants.domain.aggregate import Aggregate
from grants.domain.errors import (
    CallNotOpen,
    InvalidDates,
    InvalidPillar,
    InvalidValue,
    StatusForbids,
    rule,
)
from grants.domain.program import Program
from grants.domain.reference import Pillar
from grants.domain.values import cents, day, text


class Call(Aggregate):
    program_id: UUID
    title_en: str
    title_fr: str
    pillar: Pillar
    opens_on: date
    closes_on: date
    budget_cents: int
    closed_on: date | None

    def __init__(self) -> None:
        """The state comes from the creation event's ``apply``, like every change."""

    class Opened(Aggregate.Created):
        program_id: UUID
        title_en: str
        title_fr: str
        pillar: Pillar
        opens_on: date
        closes_on: date
        budget_cents: int

        def apply(self, call: Call) -> None:
            call.program_id = self.program_id
            call.title_en = self.title_en
            call.title_fr = self.title_fr
            call.pillar = self.pillar
            call.opens_on = self.opens_on
            call.closes_on = self.closes_on
            call.budget_cents = self.budget_cents
            call.closed_on = None

    class Closed(Aggregate.Event):
        def apply(self, call: Call) -> None:
            call.closed_on = self.effective_on

    @classmethod
    def open(
        cls,
        program: Program,
        *,
        title_en: str,
        title_fr: str,
        pillar: Pillar,
        opens_on: date,
        closes_on: date,
        budget_cents: int,
        actor: str,
        effective_on: date,
    ) -> Call:
        title_en, title_fr = text(title_en, field="title_en"), text(title_fr, field="title_fr")
        if not title_en or not title_fr:
            field = "title_en" if not title_en else "title_fr"
            raise InvalidValue(rule("a call needs its title in English and French"), field=field)
        if not program.serves(pillar):
            raise InvalidPillar(
                rule("{program} does not fund the {pillar} pillar"),
                field="pillar",
                program=program.name_en,
                pillar=pillar,
            )
        if day(closes_on, field="closes_on") < day(opens_on, field="opens_on"):
            raise InvalidDates(rule("a call cannot close before it opens"), field="closes_on")
        cents(budget_cents, field="budget_cents")
        return cls._create(
            cls.Opened,
            id=uuid4(),
            program_id=program.id,
            title_en=title_en,
            title_fr=title_fr,
            pillar=pillar,
            opens_on=opens_on,
            closes_on=closes_on,
            budget_cents=budget_cents,
            actor=actor,
            effective_on=effective_on,
        )

    def close(self, *, actor: str, effective_on: date) -> None:
        if self.closed_on is not None:
            raise StatusForbids(
                rule("the call was already closed on {closed_on}"), closed_on=self.closed_on
            )
        self.trigger_event(self.Closed, actor=actor, effective_on=effective_on)

    @property
    def last_day(self) -> date:
        """The last day it takes applications: its closing day, or the day it was
        closed early."""
        return min(self.closes_on, self.closed_on or self.closes_on)

    def check_accepts(self, received_on: date, pillar: Pillar) -> None:
        """An application under this call must arrive while it is open, for its pillar."""
        last_day = self.last_day
        if not self.opens_on <= received_on <= last_day:
            raise CallNotOpen(
                rule(
                    "the call takes applications from {opens_on} to {last_on}; one received "
                    "on {received_on} cannot be under it"
                ),
                field="call_id",
                opens_on=self.opens_on,
                last_on=last_day,
                received_on=received_on,
            )
        if pillar != self.pillar:
            raise InvalidPillar(
                rule("the call funds the {call_pillar} pillar, not {pillar}"),
                field="pillar",
                call_pillar=self.pillar,
                pillar=pillar,
            )

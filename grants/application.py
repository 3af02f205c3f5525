"""The grants application: the one writer of the event store.

Each command loads its aggregates, calls one domain command and saves. The one rule that
spans aggregates lives here: a project's cash flow is committed against its program's
allocations, and both are saved in one transaction with optimistic concurrency.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError, Mapper, Recording
from eventsourcing.utils import get_topic

from grants.commands import (
    FRAMEWORK_COMMANDS,
    PROGRAM_COMMANDS,
    PROJECT_COMMANDS,
    SPENDING_COMMANDS,
    CloseFiscalYear,
    Command,
    CorrectApplication,
    OpenCall,
    ReceiveApplication,
    RecoverOverpayment,
    RegisterProgram,
    ReopenFiscalYear,
    ReportResults,
    SetPublicationDetails,
)
from grants.domain.aggregate import Aggregate
from grants.domain.books import BOOKS_ID, Books, check_open, guard, touched
from grants.domain.call import Call
from grants.domain.cash_flow import changes
from grants.domain.errors import DomainError, RuleViolation, rule
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import FRAMEWORK_ID, Framework
from grants.domain.program import Program
from grants.domain.project import Project
from grants.domain.spending import SPENDING_ID, SpendingPlan
from grants.domain.values import not_after
from grants.eventstore import IdempotentRecorder, InMemoryFactory, MsgspecMapper
from grants.idempotency import Claim, Receipt

A = TypeVar("A", bound=Aggregate)
S = TypeVar("S", bound=Framework | SpendingPlan)
_STRATEGY_IDS: dict[type[Aggregate], UUID] = {Framework: FRAMEWORK_ID, SpendingPlan: SPENDING_ID}

# A command that meets a concurrent change to its aggregates is run again on the new
# state, as long as the caller did not pin the version it saw; the pause before each
# new attempt grows and is random, so that commands racing for one program spread out.
ATTEMPTS = 10
PAUSE_SECONDS = 0.005


def _mutate(aggregate: Any, events: Iterable[Any]) -> Any:
    """The aggregate with the events applied, in order: eventsourcing's
    ``project_aggregate`` without its assertion that each event can mutate, which
    Python 3.11 answers for a runtime Protocol by walking the protocol's classes, some
    10 µs an event (a project of a thousand events took 10 ms more to load)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class NotFound(Exception):
    def __init__(self, kind: str, id: UUID | str, *, field: str | None = None) -> None:
        super().__init__(f"no {kind} has the id {id}")
        self.field = field


class StaleVersion(RuleViolation):
    code = "stale_version"


class ConcurrentUpdate(RuleViolation):
    code = "concurrent_update"


@dataclass(frozen=True)
class YearState:
    """A fiscal year as the views know it, for closing it: the projects with
    commitments in it, and the payment requests charged to it still to be released."""

    committed: Sequence[UUID]
    awaiting_release: int


@dataclass(frozen=True)
class Context:
    """Who sends a command, and how: the version of the aggregate they saw, if they
    want the command refused when it has changed since, and their idempotency claim.
    ``trial``: decide it, every rule checked, and record nothing (a page asks a person
    to confirm only what would be taken)."""

    actor: str
    expected_version: int | None = None
    claim: Claim | None = None
    trial: bool = False


class Grants(Application[UUID]):
    name = "grants"
    env: ClassVar[dict[str, str]] = {
        "APPLICATION_RECORDER_TOPIC": get_topic(IdempotentRecorder),
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        # The cache keeps each aggregate as this process last saved or read it, and is
        # brought up to the store's state only where a decision needs that (_load).
        "AGGREGATE_CACHE_FASTFORWARD": "n",
    }

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        self._no_books = False

    def construct_mapper(self) -> Mapper[UUID]:
        return MsgspecMapper()

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """Saves the aggregates' new events in one transaction, as ``Application.save``
        does, which first asks of each object whether it is an event: through a runtime
        Protocol, which Python 3.11 answers by walking the protocol's classes (19 µs a
        question, 3% of the server's CPU per command). Only aggregates are saved here."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in objs:
            assert isinstance(aggregate, Aggregate)
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def handle(
        self, ctx: Context, command: Command, target: UUID | None = None, **given: Any
    ) -> Receipt:
        """Runs a command: a new program, call or application; or, on the program, call
        or project ``target``, its domain method with the command's fields (and what
        the request's path ``given``)."""
        arguments = {**command.arguments(), **given, "actor": ctx.actor}
        on = not_after(command.day(), date.today(), field=command.dated_by)
        if isinstance(command, RegisterProgram):
            return self._run(
                ctx,
                lambda cached: self._save(
                    ctx, Program.register(**arguments, effective_on=on), cached=cached
                ),
            )
        if isinstance(command, OpenCall | ReceiveApplication):
            return self._run(ctx, lambda cached: self._receive(ctx, command, arguments, on, cached))
        if isinstance(command, ReopenFiscalYear):
            return self._run(ctx, lambda cached: self._reopen(ctx, arguments, on, cached))
        if isinstance(command, (*FRAMEWORK_COMMANDS, *SPENDING_COMMANDS)):
            strategy: type[Framework | SpendingPlan] = (
                Framework if isinstance(command, FRAMEWORK_COMMANDS) else SpendingPlan
            )

            def keep(cached: bool) -> Receipt:
                aggregate = self._strategy(strategy, ctx, cached=cached)
                getattr(aggregate, command.method)(**arguments, effective_on=on)
                return self._save(ctx, aggregate, cached=cached)

            return self._run(ctx, keep)
        assert target is not None, f"{type(command).__name__} acts on an aggregate"
        if isinstance(command, SetPublicationDetails):
            arguments["programs"] = [p for p in self.programs() if p.id != target]
        if isinstance(command, PROJECT_COMMANDS):
            reads: dict[UUID, int] = {}

            def carry_out(project: Project, cached: bool) -> object:
                if isinstance(command, RecoverOverpayment):
                    arguments["lapses"] = command.fiscal_year in self._books(cached).closed
                if isinstance(command, CorrectApplication):
                    arguments["program"] = self._load(Program, project.program_id, cached=cached)
                if isinstance(command, ReportResults):
                    # As the store has it, and the save checks that it still is: an
                    # indicator retired meanwhile has the report decided again.
                    framework = self.framework()
                    arguments["in_use"] = framework.in_use
                    if framework.in_use:
                        reads[framework.id] = framework.version
                return getattr(project, command.method)(**arguments, effective_on=on)

            return self._on_project(ctx, target, carry_out, reads)
        kind: type[Program | Call] = Program if isinstance(command, PROGRAM_COMMANDS) else Call

        def attempt(cached: bool) -> Receipt:
            aggregate = self._load(kind, target, ctx, cached=cached)
            getattr(aggregate, command.method)(**arguments, effective_on=on)
            return self._save(ctx, aggregate, cached=cached)

        return self._run(ctx, attempt)

    def close_fiscal_year(
        self,
        ctx: Context,
        command: CloseFiscalYear,
        fiscal_year: FiscalYear,
        state: Callable[[], YearState],
    ) -> Receipt:
        """Closes the fiscal year (``Books``): freezes it, then, on its state as the views
        know it once they have read up to the freeze (``state``), lapses project by
        project what it committed and did not pay, and closes it."""
        on = not_after(command.day(), date.today(), field=command.dated_by)
        quiet = Context(actor=ctx.actor)  # the close's answer is the last step's

        def freeze(cached: bool) -> Receipt:
            books = self._books(cached)
            awaiting = state().awaiting_release
            books.freeze(fiscal_year, awaiting_release=awaiting, actor=ctx.actor, effective_on=on)
            return self._save(quiet, books, cached=cached)

        self._run(quiet, freeze)
        year = state()
        refused: list[DomainError] = []

        def close(cached: bool) -> Receipt:
            books = self._books(cached)
            refused.clear()
            if refusal := books.close(
                fiscal_year,
                awaiting_release=year.awaiting_release,
                actor=ctx.actor,
                effective_on=on,
            ):
                refused.append(refusal)
                return self._save(quiet, books, cached=cached)
            programs: dict[UUID, Program] = {}
            lapsed = []
            for project_id in year.committed:
                project = self._load(Project, project_id, cached=cached)
                before = dict(project.cash_flow)
                project.lapse(fiscal_year, actor=ctx.actor, effective_on=on)
                if self._change_commitment(project, before, programs, cached=cached):
                    lapsed.append(project)
            return self._save(ctx, *programs.values(), *lapsed, books, cached=cached)

        receipt = self._run(ctx, close)
        if refused:
            raise refused[0]
        return receipt

    def _reopen(self, ctx: Context, arguments: dict[str, Any], on: date, cached: bool) -> Receipt:
        books = self._books(cached)
        books.reopen(**arguments, effective_on=on)
        return self._save(ctx, books, cached=cached)

    def _receive(
        self,
        ctx: Context,
        command: OpenCall | ReceiveApplication,
        arguments: dict[str, Any],
        on: date,
        cached: bool,
    ) -> Receipt:
        """A call under its program, or an application to its program (and call)."""
        program = self._load(Program, command.program_id, field="program_id")
        if isinstance(command, OpenCall):
            return self._save(ctx, Call.open(program, **arguments, effective_on=on), cached=cached)
        call = self._load(Call, command.call_id, field="call_id") if command.call_id else None
        project = Project.receive(program, call, **arguments, effective_on=on)
        return self._save(ctx, project, cached=cached)

    # Queries

    def program(self, program_id: UUID) -> Program:
        return self._load(Program, program_id)

    def call(self, call_id: UUID) -> Call:
        return self._load(Call, call_id)

    def project(self, project_id: UUID) -> Project:
        return self._load(Project, project_id)

    def history(self, project_id: UUID) -> list[Aggregate.Event]:
        events = [e for e in self.events.get(project_id) if isinstance(e, Aggregate.Event)]
        if not events or not isinstance(events[0], Project.ApplicationReceived):
            raise NotFound("project", project_id)
        return events

    def programs(self) -> list[Program]:
        return [self.program(id) for id in self._created(Program.Registered)]

    def calls(self) -> list[Call]:
        return [self.call(id) for id in self._created(Call.Opened)]

    # How commands run

    def _on_project(
        self,
        ctx: Context,
        project_id: UUID,
        command: Callable[[Project, bool], object],
        reads: Mapping[UUID, int] | None = None,
    ) -> Receipt:
        """Runs a project command; when it changes what the project has committed, the
        program's commitment control must accept the change, in the same save.
        ``reads``: the versions of other aggregates the command decided on, as it
        fills them in."""

        def attempt(cached: bool) -> Receipt:
            project = self._load(Project, project_id, ctx, cached=cached)
            committed_before = dict(project.cash_flow)
            result = command(project, cached)
            programs: dict[UUID, Program] = {}
            self._change_commitment(project, committed_before, programs, cached=cached)
            return self._save(
                ctx, *programs.values(), project, answer_for=result, cached=cached, reads=reads
            )

        return self._run(ctx, attempt)

    def _change_commitment(
        self, project: Project, before: dict[Any, int], programs: dict[UUID, Program], cached: bool
    ) -> bool:
        """Has the project's program (loaded into ``programs``) accept the change the
        project's last event made to its commitments, if it made one."""
        change = changes(before, project.cash_flow)
        if not change:
            return False
        program = programs.get(project.program_id) or self._load(
            Program, project.program_id, cached=cached
        )
        programs[program.id] = program
        cause = project.pending_events[-1]
        assert isinstance(cause, Aggregate.Event)
        program.change_commitment(
            project.id,
            change,
            reason=type(cause).__name__,
            pillar=project.pillar,
            actor=cause.actor,
            effective_on=cause.effective_on,
        )
        return True

    def _run(self, ctx: Context, attempt: Callable[[bool], Receipt]) -> Receipt:
        """Runs a command, again on the store's state if another command changed the
        same aggregates meanwhile. The first attempt decides on the aggregates it will
        save as this process's cache holds them, without reading the store: saving
        checks their versions, so a decision on a state another process has since
        changed is never stored, and is taken again; a refusal is given only once the
        store's state confirms it. A retried command is answered with its first answer:
        its key is looked up only when the command fails, since the key is stored with
        the events and a second success for one key cannot be stored."""
        cached = True
        for attempt_number in range(ATTEMPTS):
            if attempt_number > 1:  # the first retry reads the store: no pause before it
                time.sleep(random.uniform(0, PAUSE_SECONDS * attempt_number))
            try:
                return attempt(cached)
            except IntegrityError:
                # Decided again on the store's state, which checks the version the
                # sender saw (If-Match) against the subject's: an aggregate the decision
                # only read, or the program's books, may have been what changed.
                cached = False
                if first_answer := self._first_answer(ctx.claim):
                    return first_answer
            except (DomainError, NotFound):
                if first_answer := self._first_answer(ctx.claim):
                    return first_answer
                if not cached:
                    raise
                cached = False
        raise ConcurrentUpdate(rule("other commands keep changing the same records: try again"))

    def _save(
        self,
        ctx: Context,
        *aggregates: Aggregate,
        answer_for: object = None,
        cached: bool,
        reads: Mapping[UUID, int] | None = None,
    ) -> Receipt:
        """Saves the aggregates in one transaction, unless what they changed falls in a
        closed fiscal year. The last one is the command's subject; a payment request's
        id, when the command made one, is the answer's. ``cached``: the books as this
        process last knew them will do (the store checks again, and a refusal there
        has the command decided again on the store's state). ``reads``: the versions of
        aggregates the decision read and does not save, which the store checks likewise.
        Saving nothing answers the subject as it is."""
        events = [cast(Aggregate.Event, e) for a in aggregates for e in a.pending_events]
        books = next((a for a in aggregates if isinstance(a, Books)), None)
        check_open(books.frozen if books else self._frozen(cached), touched(events))
        subject = aggregates[-1]
        receipt = (
            Receipt(id=answer_for, version=subject.version, position=0, project_id=subject.id)
            if isinstance(answer_for, UUID)
            else Receipt(id=subject.id, version=subject.version, position=0)
        )
        if not events or ctx.trial:
            return Receipt(id=subject.id, version=subject.version, position=0)
        kwargs: dict[str, Any] = {"periods": guard(events), "reads": reads}
        if ctx.claim is not None:
            kwargs["idempotency"] = (ctx.claim, receipt)
        recordings = self.save(*aggregates, **kwargs)
        position = max(r.notification.id for r in recordings)
        return Receipt(
            id=receipt.id, version=receipt.version, position=position, project_id=receipt.project_id
        )

    def _load(
        self,
        kind: type[A],
        id: UUID,
        ctx: Context | None = None,
        *,
        field: str | None = None,
        cached: bool = False,
    ) -> A:
        """The aggregate, a copy of its own; ``cached``: as this process last saved or
        read it (for a command that saves it, whose save checks its version), otherwise
        as the store has it now."""
        try:
            aggregate: Aggregate = (
                self.repository.get(id, projector_func=_mutate) if cached else self._latest(id)
            )
        except AggregateNotFoundError:
            raise NotFound(kind.__name__.lower(), id, field=field) from None
        if not isinstance(aggregate, kind):
            raise NotFound(kind.__name__.lower(), id, field=field)
        if ctx and ctx.expected_version is not None and aggregate.version != ctx.expected_version:
            raise StaleVersion(
                rule(
                    "it is at version {version}, not {expected}: read it again and decide on "
                    "its new state"
                ),
                version=aggregate.version,
                expected=ctx.expected_version,
            )
        return aggregate

    def _latest(self, id: UUID) -> Aggregate:
        """The aggregate as the store has it: the cached one, brought forward with the
        events other processes have recorded since, on a copy (the cached object is
        replaced, never changed in place, since other threads copy it meanwhile)."""
        cache = self.repository.cache
        assert cache is not None
        try:
            cached = cast(Aggregate, cache.get(id))
        except KeyError:
            fetched: Aggregate = self.repository.get(id, projector_func=_mutate)  # and cached
            return fetched
        aggregate = _mutate(deepcopy(cached), self.events.get(id, gt=cached.version))
        assert isinstance(aggregate, Aggregate)
        if aggregate.version != cached.version:
            cache.put(id, deepcopy(aggregate))
        return aggregate

    def _books(self, cached: bool) -> Books:
        """The books; new ones, saved with the first close, while none are stored.
        That none are is remembered for the commands that may decide on this process's
        cache: were the books stored by another process since, the store would refuse
        a write into a year they froze, and the command would be decided again here on
        the store's state."""
        if not (cached and self._no_books):
            try:
                books = self._load(Books, BOOKS_ID, cached=cached)
            except NotFound:
                self._no_books = True
            else:
                self._no_books = False
                return books
        return Books.open(actor="tracker", effective_on=date.today())

    def _frozen(self, cached: bool) -> frozenset[FiscalYear]:
        """The years the books froze, for every command's check: read, when the cache
        will do, from the cached books without a copy, or nothing while none exist."""
        if cached and self._no_books:
            return frozenset()
        if cached:
            with suppress(KeyError):
                return cast(Books, self.repository.cache.get(BOOKS_ID)).frozen  # type: ignore[union-attr]
        return self._books(cached).frozen

    def books(self) -> Books:
        return self._books(cached=False)

    def _strategy(self, kind: type[S], ctx: Context | None = None, *, cached: bool = False) -> S:
        """The Strategy team's results framework or spending plan: made by its first
        command, and empty until then."""
        try:
            return self._load(kind, _STRATEGY_IDS[kind], ctx, cached=cached)
        except NotFound:
            made = kind.open(actor=ctx.actor if ctx else "tracker", effective_on=date.today())
            return cast(S, made)

    def framework(self) -> Framework:
        return self._strategy(Framework)

    def spending_plan(self) -> SpendingPlan:
        return self._strategy(SpendingPlan)

    def strategy_history(self) -> list[Aggregate.Event]:
        """Every change to the framework and the spending plan, in the order made."""
        events = [
            e
            for id in _STRATEGY_IDS.values()
            for e in self.events.get(id)
            if isinstance(e, Aggregate.Event)
        ]
        return sorted(events, key=lambda e: e.timestamp)

    def _first_answer(self, claim: Claim | None) -> Receipt | None:
        if claim is None:
            return None
        answers: Any = self.recorder  # the recorder keeps the answers with the events
        first: Receipt | None = answers.first_answer(claim)
        return first

    def _created(self, event_class: type[Aggregate.Created]) -> Iterable[UUID]:
        """The ids of aggregates of one kind, in the order they were created: fine for
        the few programs and calls; projects are listed by a projection."""
        notifications: Sequence[Any] = self.recorder.select_notifications(
            start=None, limit=100_000, topics=[get_topic(event_class)]
        )
        return [n.originator_id for n in notifications]


def in_memory() -> Grants:
    """The application on a store kept in memory: its rules, commitment control and
    idempotent retries run without a server, in the time the domain's take."""
    return Grants(env={"PERSISTENCE_MODULE": get_topic(InMemoryFactory)})

"""The grants application: the one writer of the event store.

Each command loads its aggregates, calls one domain command and saves. The one rule that
spans aggregates lives here: a project's cash flow is committed against its program's
allocations, and both are saved in one transaction with optimistic concurrency.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.persistence import IntegrityError, Mapper
from eventsourcing.utils import get_topic

from grants.commands import (
    PROGRAM_COMMANDS,
    PROJECT_COMMANDS,
    Command,
    OpenCall,
    ReceiveApplication,
    RegisterProgram,
    SetPublicationDetails,
)
from grants.domain.aggregate import Aggregate
from grants.domain.call import Call
from grants.domain.cash_flow import changes
from grants.domain.errors import DomainError, RuleViolation, rule
from grants.domain.program import Program
from grants.domain.project import Project
from grants.eventstore import IdempotentRecorder, InMemoryFactory, MsgspecMapper
from grants.idempotency import Claim, Receipt

A = TypeVar("A", bound=Aggregate)

# A command that meets a concurrent change to its aggregates is run again on the new
# state, as long as the caller did not pin the version it saw; the pause before each
# new attempt grows and is random, so that commands racing for one program spread out.
ATTEMPTS = 10
PAUSE_SECONDS = 0.005


class NotFound(Exception):
    def __init__(self, kind: str, id: UUID | str, *, field: str | None = None) -> None:
        super().__init__(f"no {kind} has the id {id}")
        self.field = field


class StaleVersion(RuleViolation):
    code = "stale_version"


class ConcurrentUpdate(RuleViolation):
    code = "concurrent_update"


@dataclass(frozen=True)
class Context:
    """Who sends a command, and how: the version of the aggregate they saw, if they
    want the command refused when it has changed since, and their idempotency claim."""

    actor: str
    expected_version: int | None = None
    claim: Claim | None = None


class Grants(Application[UUID]):
    name = "grants"
    env: ClassVar[dict[str, str]] = {
        "APPLICATION_RECORDER_TOPIC": get_topic(IdempotentRecorder),
        "AGGREGATE_CACHE_MAXSIZE": "10000",
        # The cache keeps each aggregate as this process last saved or read it, and is
        # brought up to the store's state only where a decision needs that (_load).
        "AGGREGATE_CACHE_FASTFORWARD": "n",
    }

    def construct_mapper(self) -> Mapper[UUID]:
        return MsgspecMapper()

    def handle(
        self, ctx: Context, command: Command, target: UUID | None = None, **given: Any
    ) -> Receipt:
        """Runs a command: a new program, call or application; or, on the program, call
        or project ``target``, its domain method with the command's fields (and what
        the request's path ``given``)."""
        arguments = {**command.arguments(), **given, "actor": ctx.actor}
        on = command.day()
        if isinstance(command, RegisterProgram):
            return self._run(
                ctx, lambda _: self._save(ctx, Program.register(**arguments, effective_on=on))
            )
        if isinstance(command, OpenCall | ReceiveApplication):
            return self._run(ctx, lambda _: self._receive(ctx, command, arguments, on))
        assert target is not None, f"{type(command).__name__} acts on an aggregate"
        if isinstance(command, SetPublicationDetails):
            arguments["programs"] = [p for p in self.programs() if p.id != target]
        if isinstance(command, PROJECT_COMMANDS):
            return self._on_project(
                ctx,
                target,
                lambda project: getattr(project, command.method)(**arguments, effective_on=on),
            )
        kind: type[Program | Call] = Program if isinstance(command, PROGRAM_COMMANDS) else Call

        def attempt(cached: bool) -> Receipt:
            aggregate = self._load(kind, target, ctx, cached=cached)
            getattr(aggregate, command.method)(**arguments, effective_on=on)
            return self._save(ctx, aggregate)

        return self._run(ctx, attempt)

    def _receive(
        self,
        ctx: Context,
        command: OpenCall | ReceiveApplication,
        arguments: dict[str, Any],
        on: date,
    ) -> Receipt:
        """A call under its program, or an application to its program (and call)."""
        program = self._load(Program, command.program_id, field="program_id")
        if isinstance(command, OpenCall):
            return self._save(ctx, Call.open(program, **arguments, effective_on=on))
        call = self._load(Call, command.call_id, field="call_id") if command.call_id else None
        return self._save(ctx, Project.receive(program, call, **arguments, effective_on=on))

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
        self, ctx: Context, project_id: UUID, command: Callable[[Project], object]
    ) -> Receipt:
        """Runs a project command; when it changes what the project has committed, the
        program's commitment control must accept the change, in the same save."""

        def attempt(cached: bool) -> Receipt:
            project = self._load(Project, project_id, ctx, cached=cached)
            committed_before = dict(project.cash_flow)
            result = command(project)
            change = changes(committed_before, project.cash_flow)
            if not change:
                return self._save(ctx, project, answer_for=result)
            program = self._load(Program, project.program_id, cached=cached)
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
            return self._save(ctx, program, project, answer_for=result)

        return self._run(ctx, attempt)

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
                cached = False
                if first_answer := self._first_answer(ctx.claim):
                    return first_answer
                if ctx.expected_version is not None:
                    raise StaleVersion(
                        rule(
                            "it changed while the command ran: read it again and decide on "
                            "its new state"
                        )
                    ) from None
            except (DomainError, NotFound):
                if first_answer := self._first_answer(ctx.claim):
                    return first_answer
                if not cached:
                    raise
                cached = False
        raise ConcurrentUpdate(rule("other commands keep changing the same records: try again"))

    def _save(self, ctx: Context, *aggregates: Aggregate, answer_for: object = None) -> Receipt:
        """Saves the aggregates in one transaction. The last one is the command's
        subject; a payment request's id, when the command made one, is the answer's."""
        subject = aggregates[-1]
        receipt = (
            Receipt(id=answer_for, version=subject.version, position=0, project_id=subject.id)
            if isinstance(answer_for, UUID)
            else Receipt(id=subject.id, version=subject.version, position=0)
        )
        kwargs: dict[str, Any] = {}
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
            aggregate: Aggregate = self.repository.get(id) if cached else self._latest(id)
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
            fetched: Aggregate = self.repository.get(id)  # from the store, and cached
            return fetched
        aggregate = project_aggregate(deepcopy(cached), self.events.get(id, gt=cached.version))
        assert isinstance(aggregate, Aggregate)
        if aggregate.version != cached.version:
            cache.put(id, deepcopy(aggregate))
        return aggregate

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

"""The grants application: the one writer of the event store.

Each command loads its aggregates, calls one domain command and saves. The one rule that
spans aggregates lives here: a project's cash flow is committed against its program's
allocations, and both are saved in one transaction with optimistic concurrency.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Mapper
from eventsourcing.utils import get_topic

from grants.domain.aggregate import Aggregate
from grants.domain.call import Call
from grants.domain.cash_flow import CashFlow, changes
from grants.domain.disclosure import Disclosure
from grants.domain.errors import DomainError, RuleViolation
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import Project
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, PaymentKind, Pillar, TransferType
from grants.eventstore import IdempotentRecorder, MsgspecMapper
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
    }

    def construct_mapper(self) -> Mapper[UUID]:
        return MsgspecMapper()

    # Programs and calls

    def register_program(
        self,
        ctx: Context,
        *,
        department: str,
        name_en: str,
        name_fr: str,
        transfer_type: TransferType,
        pillars: tuple[Pillar, ...],
        effective_on: date,
    ) -> Receipt:
        return self._run(
            ctx,
            lambda: self._save(
                ctx,
                Program.register(
                    department=department,
                    name_en=name_en,
                    name_fr=name_fr,
                    transfer_type=transfer_type,
                    pillars=pillars,
                    actor=ctx.actor,
                    effective_on=effective_on,
                ),
            ),
        )

    def set_allocation(
        self,
        ctx: Context,
        program_id: UUID,
        fiscal_year: FiscalYear,
        amount_cents: int,
        *,
        effective_on: date,
    ) -> Receipt:
        def attempt() -> Receipt:
            program = self._load(Program, program_id, ctx)
            program.set_allocation(
                fiscal_year, amount_cents, actor=ctx.actor, effective_on=effective_on
            )
            return self._save(ctx, program)

        return self._run(ctx, attempt)

    def set_publication_details(
        self,
        ctx: Context,
        program_id: UUID,
        *,
        department_number: str,
        purpose_en: str,
        purpose_fr: str,
        effective_on: date,
    ) -> Receipt:
        def attempt() -> Receipt:
            program = self._load(Program, program_id, ctx)
            program.set_publication_details(
                department_number=department_number,
                purpose_en=purpose_en,
                purpose_fr=purpose_fr,
                actor=ctx.actor,
                effective_on=effective_on,
            )
            return self._save(ctx, program)

        return self._run(ctx, attempt)

    def open_call(
        self,
        ctx: Context,
        program_id: UUID,
        *,
        title_en: str,
        title_fr: str,
        pillar: Pillar,
        opens_on: date,
        closes_on: date,
        budget_cents: int,
        effective_on: date,
    ) -> Receipt:
        def attempt() -> Receipt:
            program = self._load(Program, program_id, field="program_id")
            call = Call.open(
                program,
                title_en=title_en,
                title_fr=title_fr,
                pillar=pillar,
                opens_on=opens_on,
                closes_on=closes_on,
                budget_cents=budget_cents,
                actor=ctx.actor,
                effective_on=effective_on,
            )
            return self._save(ctx, call)

        return self._run(ctx, attempt)

    def close_call(self, ctx: Context, call_id: UUID, *, effective_on: date) -> Receipt:
        def attempt() -> Receipt:
            call = self._load(Call, call_id, ctx)
            call.close(actor=ctx.actor, effective_on=effective_on)
            return self._save(ctx, call)

        return self._run(ctx, attempt)

    # Projects

    def receive_application(
        self,
        ctx: Context,
        program_id: UUID,
        call_id: UUID | None,
        *,
        recipient: Recipient,
        title_en: str,
        title_fr: str,
        pillar: Pillar,
        requested_cents: int,
        effective_on: date,
    ) -> Receipt:
        def attempt() -> Receipt:
            program = self._load(Program, program_id, field="program_id")
            call = self._load(Call, call_id, field="call_id") if call_id else None
            project = Project.receive(
                program,
                call,
                recipient=recipient,
                title_en=title_en,
                title_fr=title_fr,
                pillar=pillar,
                requested_cents=requested_cents,
                actor=ctx.actor,
                effective_on=effective_on,
            )
            return self._save(ctx, project)

        return self._run(ctx, attempt)

    def assess(
        self, ctx: Context, project_id: UUID, score: int, recommendation: str, *, effective_on: date
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.assess(score, recommendation, actor=ctx.actor, effective_on=effective_on),
        )

    def approve(
        self, ctx: Context, project_id: UUID, cash_flow: CashFlow, *, effective_on: date
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.approve(cash_flow, actor=ctx.actor, effective_on=effective_on),
        )

    def reject(self, ctx: Context, project_id: UUID, reason: str, *, effective_on: date) -> Receipt:
        return self._on_project(
            ctx, project_id, lambda p: p.reject(reason, actor=ctx.actor, effective_on=effective_on)
        )

    def withdraw(
        self, ctx: Context, project_id: UUID, reason: str, *, effective_on: date
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.withdraw(reason, actor=ctx.actor, effective_on=effective_on),
        )

    def sign_agreement(
        self,
        ctx: Context,
        project_id: UUID,
        *,
        start_on: date,
        end_on: date,
        payment_basis: PaymentBasis,
        holdback_percent: int,
        disclosure: Disclosure,
        signed_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.sign_agreement(
                start_on=start_on,
                end_on=end_on,
                payment_basis=payment_basis,
                holdback_percent=holdback_percent,
                disclosure=disclosure,
                actor=ctx.actor,
                effective_on=signed_on,
            ),
        )

    def amend_agreement(
        self,
        ctx: Context,
        project_id: UUID,
        *,
        cash_flow: CashFlow | None,
        start_on: date | None,
        end_on: date | None,
        effective_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.amend(
                cash_flow=cash_flow,
                start_on=start_on,
                end_on=end_on,
                actor=ctx.actor,
                effective_on=effective_on,
            ),
        )

    def reprofile(
        self,
        ctx: Context,
        project_id: UUID,
        from_fiscal_year: FiscalYear,
        to_fiscal_year: FiscalYear,
        amount_cents: int,
        *,
        effective_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.reprofile(
                from_fiscal_year,
                to_fiscal_year,
                amount_cents,
                actor=ctx.actor,
                effective_on=effective_on,
            ),
        )

    def request_payment(
        self,
        ctx: Context,
        project_id: UUID,
        fiscal_year: FiscalYear,
        amount_cents: int,
        kind: PaymentKind | None,
        *,
        effective_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.request_payment(
                fiscal_year, amount_cents, kind, actor=ctx.actor, effective_on=effective_on
            ),
        )

    def release_payment(
        self,
        ctx: Context,
        project_id: UUID,
        payment_request_id: UUID,
        payment_ref: str,
        *,
        paid_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.release_payment(
                payment_request_id, payment_ref, actor=ctx.actor, effective_on=paid_on
            ),
        )

    def recover_overpayment(
        self,
        ctx: Context,
        project_id: UUID,
        fiscal_year: FiscalYear,
        amount_cents: int,
        payment_ref: str,
        *,
        effective_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.recover_overpayment(
                fiscal_year, amount_cents, payment_ref, actor=ctx.actor, effective_on=effective_on
            ),
        )

    def report_results(
        self,
        ctx: Context,
        project_id: UUID,
        fiscal_year: FiscalYear,
        indicators: Mapping[str, int],
        *,
        effective_on: date,
    ) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.report_results(
                fiscal_year, indicators, actor=ctx.actor, effective_on=effective_on
            ),
        )

    def accept_final_report(self, ctx: Context, project_id: UUID, *, effective_on: date) -> Receipt:
        return self._on_project(
            ctx,
            project_id,
            lambda p: p.accept_final_report(actor=ctx.actor, effective_on=effective_on),
        )

    def close_project(self, ctx: Context, project_id: UUID, *, effective_on: date) -> Receipt:
        return self._on_project(
            ctx, project_id, lambda p: p.close(actor=ctx.actor, effective_on=effective_on)
        )

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

        def attempt() -> Receipt:
            project = self._load(Project, project_id, ctx)
            committed_before = dict(project.cash_flow)
            result = command(project)
            change = changes(committed_before, project.cash_flow)
            if not change:
                return self._save(ctx, project, answer_for=result)
            program = self._load(Program, project.program_id)
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

    def _run(self, ctx: Context, attempt: Callable[[], Receipt]) -> Receipt:
        """Runs a command, again on fresh state if another command changed the same
        aggregates meanwhile. A retried command is answered with its first answer: its
        key is looked up only when the command fails, since the key is stored with the
        events and a second success for one key cannot be stored."""
        for attempt_number in range(ATTEMPTS):
            if attempt_number:
                time.sleep(random.uniform(0, PAUSE_SECONDS * attempt_number))
            try:
                return attempt()
            except IntegrityError:
                if first_answer := self._first_answer(ctx.claim):
                    return first_answer
                if ctx.expected_version is not None:
                    raise StaleVersion(
                        "the aggregate changed while the command ran; "
                        "read it again and decide on its new state"
                    ) from None
            except (DomainError, NotFound):
                if first_answer := self._first_answer(ctx.claim):
                    return first_answer
                raise
        raise ConcurrentUpdate("other commands keep changing the same records; try again")

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
    ) -> A:
        try:
            aggregate: Aggregate = self.repository.get(id)
        except AggregateNotFoundError:
            raise NotFound(kind.__name__.lower(), id, field=field) from None
        if not isinstance(aggregate, kind):
            raise NotFound(kind.__name__.lower(), id, field=field)
        if ctx and ctx.expected_version is not None and aggregate.version != ctx.expected_version:
            raise StaleVersion(
                f"the {kind.__name__.lower()} is at version {aggregate.version}, "
                f"not {ctx.expected_version}: read it again and decide on its new state"
            )
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

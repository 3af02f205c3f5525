"""The views, on real PostgreSQL: for any history of commands they hold what a plain
fold of the same events gives, whether processed event by event, in batches, stopped
and restarted anywhere, or rebuilt from nothing."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grants.application import Grants
from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import LAPSES, Project
from grants.projections.rebuild import batches, catch_up, rebuild
from tests.conftest import empty
from tests.history import Played, histories, play


def all_events(grants: Grants) -> list[Any]:
    return [event for chunk in batches(grants, 0, None) for _, event in chunk]


def expected_funding(events: list[Any]) -> dict[tuple[Any, ...], tuple[int, int, int, int]]:
    """Committed, disbursed, projects holding money, lapsed: per year, pillar,
    department and program."""
    money: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    held: dict[tuple[Any, ...], dict[UUID, int]] = defaultdict(lambda: defaultdict(int))
    for e in events:
        if isinstance(e, Program.CommitmentChanged):
            for year, cents in e.changes.items():
                key = (year, e.pillar, e.department, e.originator_id)
                money[key][0] += cents
                money[key][2] -= cents if e.reason in LAPSES else 0
                held[key][e.project_id] += cents
        elif isinstance(e, Project.DisbursementReleased | Project.OverpaymentRecovered):
            sign = 1 if isinstance(e, Project.DisbursementReleased) else -1
            money[(e.fiscal_year, e.pillar, e.department, e.program_id)][1] += sign * e.amount_cents
    rows = {
        key: (c, d, sum(1 for cents in held[key].values() if cents), lapsed)
        for key, (c, d, lapsed) in money.items()
    }
    return {key: row for key, row in rows.items() if any(row)}


def expected_cases(events: list[Any]) -> dict[tuple[UUID, str], tuple[UUID, date, date | None]]:
    """The service standards' clocks: each started once, stopped by its first stop; a
    withdrawn application's running clocks dropped."""
    program: dict[UUID, UUID] = {}
    cases: dict[tuple[UUID, str], list[Any]] = {}

    def stop(key: tuple[UUID, str], on: date) -> None:
        if key in cases and cases[key][2] is None:
            cases[key][2] = on

    for e in events:
        project = e.originator_id
        if isinstance(e, Project.ApplicationReceived):
            program[project] = e.program_id
            cases[(project, "acknowledgement")] = [e.program_id, e.effective_on, None]
        elif isinstance(e, Project.ApplicationAcknowledged):
            stop((project, "acknowledgement"), e.effective_on)
        elif isinstance(e, Project.ApplicationAssessed):
            cases.setdefault((project, "decision"), [program[project], e.effective_on, None])
        elif isinstance(e, Project.ApplicationApproved | Project.ApplicationRejected):
            stop((project, "acknowledgement"), e.effective_on)
            stop((project, "decision"), e.effective_on)
        elif isinstance(e, Project.ApplicationWithdrawn):
            for key in [k for k, c in cases.items() if k[0] == project and c[2] is None]:
                del cases[key]
        elif isinstance(e, Project.PaymentRequested):
            started = e.claim_received_on or e.effective_on
            cases[(e.payment_request_id, "payment")] = [program[project], started, None]
        elif isinstance(e, Project.DisbursementReleased):
            stop((e.payment_request_id, "payment"), e.effective_on)
    return {key: (c[0], c[1], c[2]) for key, c in cases.items()}


def expected_projects(events: list[Any], fiscal_year: str | None) -> dict[str, int]:
    """Per pillar, the projects holding money in the year (or in any year), once each."""
    held: dict[UUID, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    pillar: dict[UUID, str] = {}
    for e in events:
        if isinstance(e, Program.CommitmentChanged):
            pillar[e.project_id] = e.pillar
            for year, cents in e.changes.items():
                held[e.project_id][year] += cents
    counts: dict[str, int] = defaultdict(int)
    for project, years in held.items():
        if any(cents for year, cents in years.items() if fiscal_year in (None, year)):
            counts[pillar[project]] += 1
    return dict(counts)


def expected_outcomes(events: list[Any]) -> dict[tuple[str, str, str], tuple[int, int]]:
    latest = {
        (e.originator_id, e.fiscal_year): e
        for e in events
        if isinstance(e, Project.ResultsReported)
    }
    totals: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [0, set()])
    for (project, year), report in latest.items():
        for code, value in report.indicators.items():
            totals[(report.pillar, year, code)][0] += value
            totals[(report.pillar, year, code)][1].add(project)
    return {key: (total, len(projects)) for key, (total, projects) in totals.items()}


def expected_commitments(events: list[Any]) -> dict[tuple[UUID, str], tuple[int, int, int]]:
    years: dict[tuple[UUID, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in events:
        if isinstance(e, Program.AllocationSet):
            years[(e.originator_id, e.fiscal_year)][0] = e.amount_cents
        elif isinstance(e, Program.CommitmentChanged):
            for year, cents in e.changes.items():
                years[(e.originator_id, year)][1] += cents
        elif isinstance(e, Project.DisbursementReleased | Project.OverpaymentRecovered):
            sign = 1 if isinstance(e, Project.DisbursementReleased) else -1
            years[(e.program_id, e.fiscal_year)][2] += sign * e.amount_cents
    return {key: (a, c, d) for key, (a, c, d) in years.items()}


def views_agree_with_the_events(services: Services, played: Played) -> None:
    grants, views = services.grants, services.views
    events = all_events(grants)
    funding = {
        (r.fiscal_year, r.pillar, r.department, r.program_id): (
            r.committed_cents,
            r.disbursed_cents,
            r.projects,
            r.lapsed_cents,
        )
        for r in views.funding.rows()
    }
    assert funding == expected_funding(events)
    for fiscal_year in (None, "2021-22", "2022-23"):
        counted = views.funding.projects(fiscal_year=fiscal_year)
        assert counted == expected_projects(events, fiscal_year)
    outcomes = {
        (r.pillar, r.fiscal_year, r.indicator): (r.total, r.projects)
        for r in views.outcomes.totals()
    }
    assert outcomes == expected_outcomes(events)
    commitments = {
        (program, r.fiscal_year): (r.allocation_cents, r.committed_cents, r.disbursed_cents)
        for program in played.programs
        for r in views.commitments.years(program)
    }
    assert commitments == expected_commitments(events)
    total, rows = views.projects.page(limit=1000)
    assert total == len(played.projects)
    listed = {
        r.project_id: (
            r.status,
            r.committed_cents,
            r.disbursed_cents,
            r.title_en,
            r.recipient,
            r.requested_cents,
        )
        for r in rows
    }
    for project_id in played.projects:
        project = grants.project(project_id)
        assert listed[project_id] == (
            project.status,
            project.value_cents,
            project.disbursed_cents,
            project.title_en,
            project.recipient.legal_name,
            project.requested_cents,
        )
    for year in ("2021-22", "2022-23"):
        _, in_year = views.projects.page(fiscal_year=year, limit=1000)
        assert {r.project_id for r in in_year} == {
            p for p in played.projects if grants.project(p).cash_flow.get(FiscalYear(year))
        }
    payments_agree(services, played, events)
    awards_agree(services, played)
    standards = services.views.standards
    cases = standards.cases(date.min, date.max) + standards.open_cases()
    assert {
        (c.case_id, c.standard): (c.program_id, c.started_on, c.ended_on) for c in cases
    } == expected_cases(events)


def payments_agree(services: Services, played: Played, events: list[Any]) -> None:
    """The payment register holds every request as the projects do, and every recovery."""
    projects = [services.grants.project(p) for p in played.projects]
    requests = [r for p in projects for r in p.payment_requests.values()]
    awaiting = services.views.payments.awaiting_release()
    assert sorted((r.request_id, r.amount_cents, r.certified_by) for r in awaiting) == sorted(
        (r.id, r.amount_cents, r.certified_by) for r in requests if r.paid_on is None
    )
    recoveries = [e for e in events if isinstance(e, Project.OverpaymentRecovered)]
    assert sorted(
        (p.payment_ref, p.amount_cents, p.paid_on) for p in services.views.payments.paid(None)
    ) == sorted(
        [(r.payment_ref, r.amount_cents, r.paid_on) for r in requests if r.paid_on is not None]
        + [(e.payment_ref, -e.amount_cents, e.effective_on) for e in recoveries]
    )


def awards_agree(services: Services, played: Played) -> None:
    """The award register follows each project; its agreements are numbered one after
    the other within their department and quarter."""
    awards = {a.project_id: a for a in services.views.awards.awards()}
    commitments = services.views.awards.commitments()
    for project_id in played.projects:
        project, award = services.grants.project(project_id), awards[project_id]
        agreement = project.agreement
        assert award.status == project.status
        assert (award.title_en, award.recipient, award.requested_cents) == (
            project.title_en,
            msgspec.to_builtins(project.recipient),
            project.requested_cents,
        )
        assert (award.signed_on, award.start_on, award.end_on, award.holdback_percent) == (
            (agreement.signed_on, agreement.start_on, agreement.end_on, agreement.holdback_percent)
            if agreement
            else (None, None, None, 0)
        )
        assert award.value_cents == (project.value_cents if agreement else 0)
        assert (award.disclosure is not None, award.ref_sequence is not None) == (
            agreement is not None,
            agreement is not None,
        )
        assert award.modified_at is not None
        assert sum(c.amount_cents for c in commitments.get(project_id, [])) == project.value_cents
    numbered: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for award in awards.values():
        if award.ref_sequence is not None:
            key = (award.department, award.ref_fiscal_year, award.ref_quarter)
            numbered[key].append(award.ref_sequence)
    for sequences in numbered.values():
        assert sorted(sequences) == list(range(1, len(sequences) + 1))


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=histories, batch=st.integers(1, 9), data=st.data())
def test_views_follow_every_history(
    services: Services, operations: list[tuple[Any, ...]], batch: int, data: st.DataObject
) -> None:
    empty(services.database_url)
    played = play(services.grants, operations)
    head = services.grants.recorder.max_notification_id() or 0
    stored = [n.id for n in services.grants.recorder.select_notifications(None, limit=10_000)]
    folded = data.draw(st.integers(0, len(stored)), label="events folded before a stop")
    stop_at = stored[folded - 1] if folded else 0
    for view in services.views.by_name().values():
        for events in batches(services.grants, 0, stop_at, batch):
            view.record(events)
        catch_up(services.grants, view, size=batch)  # a restart carries on from the position
        assert view.position() == head
    views_agree_with_the_events(services, played)

    assert rebuild(services.grants, list(services.views.by_name().values()), size=batch + 2) == head
    views_agree_with_the_events(services, played)


def test_an_event_already_in_a_view_is_not_counted_twice(services: Services) -> None:
    played = play(services.grants, [("apply", 0, 10_000), ("approve", 0, 5_000, 0)])
    for view in services.views.by_name().values():
        catch_up(services.grants, view)
    first = next(batches(services.grants, 0, None))
    for view in services.views.by_name().values():
        view.record(first)  # delivered again after a restart
    views_agree_with_the_events(services, played)

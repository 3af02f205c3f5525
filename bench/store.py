"""A store of realistic shape for the benchmarks: programs in each department, and
projects that apply, are assessed, approved against their program's allocations, sign
agreements, are paid each year, report results and now and then repay an overpayment.

Events come from the domain's own commands; they are written in large batches straight
through the recorder, since the benchmarks measure reading, not writing."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

from grants.application import Grants
from grants.database import embedded_postgres
from grants.domain.disclosure import Disclosure
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import Project
from grants.domain.recipient import PROVINCES, Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from grants.domain.values import MAX_CENTS
from grants.settings import Settings

# What every generated agreement says for the open-data disclosure.
DISCLOSURE = Disclosure(
    recipient_city="Ottawa",
    description_en="Support for survivors of human trafficking.",
    description_fr="Soutien aux personnes survivantes de la traite.",
)

YEARS = [FiscalYear.starting(year) for year in range(2019, 2025)]
DEPARTMENTS = ["PS", "WAGE", "JUS", "ESDC", "GAC"]
INDICATORS = ["survivors_served", "referrals", "people_trained", "awareness_reach"]


@contextmanager
def bench_database(name: str) -> Iterator[str]:
    """A database made for one benchmark run on DATABASE_URL's server (or the embedded
    one), dropped afterwards."""
    server = Settings.from_env().database_url or embedded_postgres(Path(".grants-bench"))
    database = f"grants_{name}_{int(time.time())}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield make_conninfo(server, dbname=database)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Generator:
    def __init__(self, grants: Grants, seed: int = 2019) -> None:
        self.grants = grants
        self.random = random.Random(seed)
        self.pending: list[Any] = []
        self.programs: list[Program] = []
        for department in DEPARTMENTS:
            for pillar in Pillar:
                program = Program.register(
                    department=department,
                    name_en=f"{department} {pillar} program",
                    name_fr=f"Programme {department} {pillar}",
                    transfer_type=TransferType.CONTRIBUTION,
                    pillars=(pillar,),
                    actor="olivia",
                    effective_on=date(2019, 4, 1),
                )
                for year in YEARS:
                    program.set_allocation(
                        year, MAX_CENTS, actor="olivia", effective_on=date(2019, 4, 1)
                    )
                self.programs.append(program)
                self._collect(program)

    def fill(self, events: int) -> int:
        """Adds projects until the store holds at least ``events`` events."""
        while (self.grants.recorder.max_notification_id() or 0) + len(self.pending) < events:
            self._project()
            if len(self.pending) >= 5_000:
                self._flush()
        self._flush()
        return self.grants.recorder.max_notification_id() or 0

    def _project(self) -> None:
        r = self.random
        program = r.choice(self.programs)
        first = r.randrange(len(YEARS) - 2)
        years = YEARS[first : first + r.randint(1, 3)]
        flow = {year: r.randrange(50_000_00, 500_000_00, 100) for year in years}
        on = years[0].starts_on
        project = Project.receive(
            program,
            None,
            recipient=Recipient(f"Organization {r.randrange(10**6)}", r.choice(PROVINCES)),
            title_en="Project",
            title_fr="Projet",
            pillar=program.pillars[0],
            requested_cents=sum(flow.values()),
            actor="olivia",
            effective_on=on,
        )
        project.assess(r.randint(50, 100), "fund", actor="olivia", effective_on=on)
        project.approve(flow, actor="olivia", effective_on=on)
        program.change_commitment(
            project.id,
            flow,
            "ApplicationApproved",
            pillar=project.pillar,
            actor="olivia",
            effective_on=on,
        )
        project.sign_agreement(
            start_on=on,
            end_on=years[-1].ends_on,
            payment_basis=PaymentBasis.ADVANCE,
            holdback_percent=0,
            disclosure=DISCLOSURE,
            actor="olivia",
            effective_on=on,
        )
        for year, cents in flow.items():
            paid_on = date(year.start_year, 9, 15)
            request = project.request_payment(
                year, cents, None, actor="olivia", effective_on=paid_on
            )
            project.release_payment(
                request, f"P{r.randrange(10**9)}", actor="fiona", effective_on=paid_on
            )
            project.report_results(
                year,
                {r.choice(INDICATORS): r.randrange(1000)},
                in_use=INDICATORS,
                actor="olivia",
                effective_on=year.ends_on,
            )
            if r.random() < 0.05:
                project.recover_overpayment(
                    year,
                    cents // 10,
                    f"R{r.randrange(10**9)}",
                    actor="fiona",
                    effective_on=year.ends_on,
                )
        self._collect(project)
        self._collect(program)

    def _collect(self, aggregate: Any) -> None:
        self.pending.extend(
            self.grants.mapper.to_stored_event(e) for e in aggregate.collect_events()
        )

    def _flush(self) -> None:
        if self.pending:
            self.grants.recorder.insert_events(self.pending)
            self.pending = []


def peak_rss_mb() -> float:
    """The peak resident memory of this process or of the largest of its children that
    ended, in MB (Linux reports kilobytes)."""
    import resource

    return max(
        resource.getrusage(who).ru_maxrss / 1024
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def cores() -> int:
    return os.cpu_count() or 1

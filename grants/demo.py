"""Loads the demo (``demo.toml``): the real programs of the Strategy's reports, their
calls, projects, allocations, approvals, agreements, payments and results.

Every command is sent with an idempotency key named after its step, so loading the demo
again adds nothing: each command gets its first answer back.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from grants.application import Context, Grants
from grants.commands import (
    Acknowledge,
    Approve,
    Assess,
    CashFlowLine,
    Command,
    DefineExpectedResult,
    DefineIndicator,
    ExplainResult,
    OpenCall,
    ReceiveApplication,
    RegisterProgram,
    ReleasePayment,
    ReportDepartmentalResult,
    ReportResults,
    RequestPayment,
    RetireIndicator,
    SetAllocation,
    SetPlannedSpending,
    SetPublicationDetails,
    SetTarget,
    SignAgreement,
)
from grants.domain.disclosure import Disclosure
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import Direction, Frequency
from grants.domain.recipient import PROVINCES, Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from grants.domain.targets import TargetKind
from grants.idempotency import Claim, Receipt
from grants.users import Role, add_user

DATA = Path(__file__).with_name("demo.toml")

# What a program's registration step is sent with (its idempotency fingerprint).
_REGISTERED = ("key", "department", "name_en", "name_fr", "transfer_type", "pillars")

# Where the demo's recipients are, for the open-data disclosure: each province's capital.
_CITIES = {
    "AB": "Edmonton", "BC": "Victoria", "MB": "Winnipeg", "NB": "Fredericton",
    "NL": "St. John's", "NS": "Halifax", "NT": "Yellowknife", "NU": "Iqaluit",
    "ON": "Toronto", "PE": "Charlottetown", "QC": "Québec", "SK": "Regina",
    "YT": "Whitehorse",
}  # fmt: skip

# Payments are released for the years the reports cover; later years stay committed.
PAID_THROUGH = FiscalYear("2022-23")

# Demo users and their tokens: for trying the tracker on a developer's machine only.
USERS = {
    "olivia": Role.PROGRAM_OFFICER,
    "fiona": Role.FINANCE_OFFICER,
    "sasha": Role.STRATEGY_ANALYST,
    "ada": Role.ADMIN,
}


def token(name: str) -> str:
    return f"demo-{name}"


def password(name: str) -> str:
    return f"{name}-demo"


def load(grants: Grants, database_url: str, data: Path = DATA) -> int:
    """Loads the demo; returns the store position it reached."""
    for name, role in USERS.items():
        add_user(database_url, name, role, token=token(name), password=password(name))
    demo = tomllib.loads(data.read_text())
    loader = _Loader(grants)
    # First: projects report their results against the framework's indicators.
    loader.framework(demo)
    programs = {p["key"]: loader.program(p) for p in demo["programs"]}
    calls = {c["key"]: loader.call(c, programs[c["program"]]) for c in demo["calls"]}
    for project in demo["projects"]:
        cents = {year: dollars * 100 for year, dollars in project["cash_flow"].items()}
        loader.project(project, cents, programs[project["program"]], None, project["recipient"], 0)
    for group in demo["groups"]:
        call = calls.get(group.get("call", ""))
        for n, share in enumerate(_shares(group), start=1):
            recipient = f"{group['title_en']} recipient {n}"
            loader.project(group, share, programs[group["program"]], call, recipient, n)
    loader.planned_spending(planned_lines(demo))
    return loader.position


# The Strategy's framework is set as the Strategy began.
FRAMEWORK_ON = date(2019, 4, 1)
# The evaluation that asks for fewer indicators had reported by then.
RETIRED_ON = date(2023, 4, 1)


def planned_lines(demo: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """Planned dollars per department, pillar and fiscal year, the envelopes added up."""
    lines: dict[tuple[str, str, str], int] = {}
    for envelope in demo["planned_spending"]:
        for line in envelope["lines"]:
            for years, dollars in (
                (envelope["years"], line["five_years"]),
                (envelope["ongoing_years"], line["ongoing"]),
            ):
                for year in years:
                    key = (line["department"], line["pillar"], year)
                    lines[key] = lines.get(key, 0) + dollars
    return lines


def _shares(group: dict[str, Any]) -> Iterator[dict[str, int]]:
    """The group's cash flow shared out among its projects, evenly to the cent."""
    count = group["count"]
    for n in range(count):
        yield {
            year: (dollars * 100 // count + (1 if n < dollars * 100 % count else 0))
            for year, dollars in group["cash_flow"].items()
        }


class _Loader:
    def __init__(self, grants: Grants) -> None:
        self.grants = grants
        self.position = 0

    def claim(self, actor: str, step: str, fields: dict[str, Any]) -> Claim:
        """The claim that makes a step's command idempotent: its key names the step, its
        fingerprint the data it was sent with."""
        fingerprint = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode())
        return Claim(user=actor, key=f"demo:{step}", fingerprint=fingerprint.hexdigest())

    def context(self, actor: str, step: str, **fields: Any) -> Context:
        return Context(actor=actor, claim=self.claim(actor, step, fields))

    def done(self, receipt: Receipt) -> Receipt:
        self.position = max(self.position, receipt.position)
        return receipt

    def program(self, p: dict[str, Any]) -> UUID:
        key = p["key"]
        registered = {k: p[k] for k in _REGISTERED}
        program_id = self.done(
            self.grants.handle(
                self.context("olivia", f"program:{key}", **registered),
                RegisterProgram(
                    department=p["department"],
                    name_en=p["name_en"],
                    name_fr=p["name_fr"],
                    transfer_type=TransferType(p["transfer_type"]),
                    pillars=[Pillar(pillar) for pillar in p["pillars"]],
                    effective_on=date(2018, 4, 1),
                ),
            )
        ).id
        published = {k: p[k] for k in ("department_number", "purpose_en", "purpose_fr")}
        self.done(
            self.grants.handle(
                self.context("olivia", f"publication:{key}", **published),
                SetPublicationDetails(**published, effective_on=date(2018, 4, 1)),
                program_id,
            )
        )
        for year, dollars in p["allocations"].items():
            fiscal_year = FiscalYear(year)
            self.done(
                self.grants.handle(
                    self.context("olivia", f"allocation:{key}:{year}", cents=dollars),
                    SetAllocation(amount_cents=dollars * 100, effective_on=fiscal_year.starts_on),
                    program_id,
                    fiscal_year=fiscal_year,
                )
            )
        return program_id

    def call(self, c: dict[str, Any], program_id: UUID) -> UUID:
        return self.done(
            self.grants.handle(
                self.context("olivia", f"call:{c['key']}", **c),
                OpenCall(
                    program_id=program_id,
                    title_en=c["title_en"],
                    title_fr=c["title_fr"],
                    pillar=Pillar(c["pillar"]),
                    opens_on=c["opens_on"],
                    closes_on=c["closes_on"],
                    budget_cents=c["budget"] * 100,
                    effective_on=c["opens_on"],
                ),
            )
        ).id

    def project(
        self,
        p: dict[str, Any],
        cents: dict[str, int],
        program_id: UUID,
        call_id: UUID | None,
        recipient: str,
        n: int,
    ) -> None:
        """A project's whole life to date; ``n`` numbers the projects of a group."""
        flow = {FiscalYear(year): amount for year, amount in cents.items()}
        first, last = min(flow), max(flow)
        country = p.get("country", "CA")
        province = p.get("province", PROVINCES[n % len(PROVINCES)]) if country == "CA" else None
        approved_on = min(p.get("signed_on", first.starts_on), first.starts_on)
        received_on = p.get("received_on", approved_on - timedelta(days=90))
        step = f"project:{p['program']}:{p['title_en']}:{n}"
        ctx = self.context
        project_id = self.done(
            self.grants.handle(
                ctx(
                    "olivia", f"{step}:application", **{**p, "recipient": recipient, "cents": cents}
                ),
                ReceiveApplication(
                    program_id=program_id,
                    call_id=call_id,
                    recipient=Recipient(recipient, province, country=country),
                    title_en=p["title_en"] + (f" {n}" if n else ""),
                    title_fr=p["title_fr"] + (f" {n}" if n else ""),
                    pillar=Pillar(p["pillar"]),
                    requested_cents=sum(flow.values()),
                    effective_on=received_on,
                ),
            )
        ).id
        # The reports give no acknowledgement dates: a week after receipt, as a rule.
        self.done(
            self.grants.handle(
                ctx("olivia", f"{step}:acknowledgement"),
                Acknowledge(effective_on=received_on + timedelta(days=7)),
                project_id,
            )
        )
        self.done(
            self.grants.handle(
                ctx("olivia", f"{step}:assessment"),
                Assess(
                    score=80, recommendation="fund", effective_on=approved_on - timedelta(days=30)
                ),
                project_id,
            )
        )
        self.done(
            self.grants.handle(
                ctx("olivia", f"{step}:approval"),
                Approve(
                    cash_flow=[CashFlowLine(year, cents) for year, cents in flow.items()],
                    effective_on=approved_on,
                ),
                project_id,
            )
        )
        signed_on = p.get("signed_on", approved_on)
        self.done(
            self.grants.handle(
                ctx("olivia", f"{step}:agreement"),
                SignAgreement(
                    signed_on=signed_on,
                    start_on=signed_on,
                    end_on=p.get("end_on", last.ends_on),
                    payment_basis=PaymentBasis.ADVANCE,
                    holdback_percent=0,
                    disclosure=Disclosure(
                        agreement_number=f"DEMO-{project_id.hex[:8].upper()}",
                        recipient_type="N",
                        recipient_city=p.get("city") or _CITIES[province or ""],
                        description_en=f"{p['title_en']}: a project funded under the National "
                        "Strategy to Combat Human Trafficking.",
                        description_fr=f"{p['title_fr']} : un projet financé dans le cadre de la "
                        "Stratégie nationale de lutte contre la traite des personnes.",
                        expected_results_en="Fewer people trafficked; more survivors supported.",
                        expected_results_fr="Moins de personnes victimes de la traite; plus de "
                        "personnes survivantes soutenues.",
                    ),
                ),
                project_id,
            )
        )
        for year, amount in flow.items():
            if year > PAID_THROUGH:
                continue
            requested_on = max(date(year.start_year, 9, 1), signed_on)
            request = self.done(
                self.grants.handle(
                    ctx("olivia", f"{step}:payment:{year}"),
                    RequestPayment(
                        fiscal_year=year, amount_cents=amount, effective_on=requested_on
                    ),
                    project_id,
                )
            )
            self.done(
                self.grants.handle(
                    ctx("fiona", f"{step}:release:{year}"),
                    ReleasePayment(
                        payment_request_id=request.id,
                        payment_ref=f"DEMO-{request.id.hex[:10].upper()}",
                        paid_on=requested_on + timedelta(days=14),
                    ),
                    project_id,
                )
            )
        for year, indicators in p.get("results", {}).items():
            fiscal_year = FiscalYear(year)
            self.done(
                self.grants.handle(
                    ctx("olivia", f"{step}:results:{year}", **indicators),
                    ReportResults(
                        fiscal_year=fiscal_year,
                        indicators=indicators,
                        effective_on=fiscal_year.ends_on,
                    ),
                    project_id,
                )
            )

    def framework(self, demo: dict[str, Any]) -> None:
        """The Strategy team's results framework: expected results, indicators, their
        targets, the departments' results, an explanation and a retirement."""
        strategy = self._strategy
        for result in demo["expected_results"]:
            strategy(
                f"expected-result:{result['code']}",
                result,
                DefineExpectedResult(**result, effective_on=FRAMEWORK_ON),
            )
        for i in demo["indicators"]:
            code = i["code"]
            definition = {k: i[k] for k in DefineIndicator.__struct_fields__ if k in i}
            defined = {
                **definition,
                "direction": Direction(i["direction"]),
                "frequency": Frequency(i["frequency"]),
            }
            strategy(
                f"indicator:{code}",
                definition,
                DefineIndicator(**defined, effective_on=FRAMEWORK_ON),
                code=code,
            )
            for year, target in i.get("targets", {}).items():
                fiscal_year = FiscalYear(year)
                strategy(
                    f"target:{code}:{year}",
                    target,
                    SetTarget(
                        kind=TargetKind(target["kind"]),
                        low=target.get("low"),
                        high=target.get("high"),
                        effective_on=FRAMEWORK_ON,
                    ),
                    indicator=code,
                    fiscal_year=fiscal_year,
                )
            for result in i.get("results", []):
                period = result.get("fiscal_year") or f"{result['starts_on']}:{result['ends_on']}"
                year = result.get("fiscal_year")
                strategy(
                    f"result:{code}:{result['department']}:{period}",
                    result,
                    ReportDepartmentalResult(
                        department=result["department"],
                        value=result["value"],
                        source=result["source"],
                        note=result.get("note", ""),
                        fiscal_year=FiscalYear(year) if year else None,
                        starts_on=result.get("starts_on"),
                        ends_on=result.get("ends_on"),
                        effective_on=FiscalYear(year).ends_on if year else result["ends_on"],
                    ),
                    indicator=code,
                )
            for year, words in i.get("explanations", {}).items():
                strategy(
                    f"explanation:{code}:{year}",
                    words,
                    ExplainResult(
                        explanation_en=words["en"],
                        explanation_fr=words["fr"],
                        effective_on=RETIRED_ON,
                    ),
                    indicator=code,
                    fiscal_year=FiscalYear(year),
                )
            if "retired" in i:
                strategy(
                    f"retirement:{code}",
                    {"reason": i["retired"]},
                    RetireIndicator(reason=i["retired"], effective_on=RETIRED_ON),
                    code=code,
                )

    def planned_spending(self, lines: dict[tuple[str, str, str], int]) -> None:
        for (department, pillar, year), dollars in lines.items():
            fiscal_year = FiscalYear(year)
            self._strategy(
                f"planned:{department}:{pillar}:{year}",
                {"dollars": dollars},
                SetPlannedSpending(
                    department=department,
                    pillar=Pillar(pillar),
                    fiscal_year=fiscal_year,
                    amount_cents=dollars * 100,
                    effective_on=min(fiscal_year.starts_on, date.today()),
                ),
            )

    def _strategy(self, step: str, fields: Any, command: Command, **given: Any) -> None:
        """One of the Strategy team's commands, sent by sasha."""
        self.done(self.grants.handle(self.context("sasha", step, **fields), command, **given))

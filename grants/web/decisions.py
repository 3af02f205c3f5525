"""The forms the program side records a project's life with: assessment, approval with
its cash flow, agreement, amendment, payment request and results. Each is a step: its
fields, what the form starts with, and the command it sends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from grants import money
from grants.application import Grants
from grants.commands import (
    AcceptFinalReport,
    Acknowledge,
    Amend,
    Approve,
    Assess,
    CashFlowLine,
    CloseProject,
    Command,
    CorrectApplication,
    RecoverOverpayment,
    Reject,
    ReportResults,
    Reprofile,
    RequestPayment,
    SignAgreement,
    Withdraw,
)
from grants.domain.disclosure import (
    PARAGRAPHS,
    RECIPIENT_TYPES,
    Disclosure,
    missing_error,
    required_since,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.framework import Framework
from grants.domain.program import Program
from grants.domain.project import ALLOWS, Action, Project, Status
from grants.domain.reference import PaymentBasis, PaymentKind, Pillar
from grants.idempotency import Receipt
from grants.users import Role, User
from grants.web.applications import (
    Applicant,
    applicant,
    applicant_fields,
    applicant_values,
    choose,
)
from grants.web.forms import (
    Field,
    Form,
    FormPage,
    Kind,
    Refused,
    Section,
    submit,
    version_seen,
)
from grants.web.i18n import Translator
from grants.web.layout import page, translator

CASH_FLOW_LINES = 4


PROGRAM_OFFICERS = frozenset({Role.PROGRAM_OFFICER, Role.ADMIN})


@dataclass(frozen=True)
class Step:
    action: Action
    sections: Callable[[Translator, Project], Sequence[Section]]
    defaults: Callable[[Translator, Project], dict[str, str]]
    # The command the filled form gives, or refusals by field (``Form.check``).
    command: Callable[[Form, Project], Command]
    # Who fills it: as the API's guard for the same command lets through.
    roles: frozenset[Role] = PROGRAM_OFFICERS
    # For a decision that commits money: the sentence a person confirms before it is
    # sent, with its figures.
    confirm: Callable[[Translator, Project, Any], str] | None = None
    # The figures the form is filled with: the request, the allocation, the cash flow.
    facts: Callable[[Translator, Project, Program], list[str]] | None = None
    # For a report against the results framework: its sections of the indicators in
    # use, after the others.
    indicators: Callable[[Translator, Framework], list[Section]] | None = None


def _dated(t: Translator, label: str = "field.effective_on") -> Field:
    return Field("effective_on", t(label), "date", hint=t("hint.date"))


def _today(_: Translator, __: Project) -> dict[str, str]:
    return {"effective_on": date.today().isoformat()}


def _cash_flow_section(t: Translator, lines: int, hint: str) -> Section:
    fields = []
    for n in range(lines):
        fields += [
            Field(
                f"cash_flow[{n}].fiscal_year",
                t("field.cash_flow_year", n=n + 1),
                required=False,
                hint=t("hint.fiscal_year"),
            ),
            Field(
                f"cash_flow[{n}].amount",
                t("field.cash_flow_amount", n=n + 1),
                "money",
                required=False,
            ),
        ]
    return Section(
        fields,
        legend=t("project.cash_flow"),
        hint=t(hint),
        name="cash_flow",
        total=t("field.cash_flow_total"),
    )


def _cash_flow_values(t: Translator, project: Project) -> dict[str, str]:
    values = {}
    for n, (year, cents) in enumerate(sorted(project.cash_flow.items())):
        values[f"cash_flow[{n}].fiscal_year"] = str(year)
        values[f"cash_flow[{n}].amount"] = money.editable(cents, t.language)
    return values


def _years(project: Project) -> list[tuple[str, str]]:
    return [(year, year) for year in sorted(project.cash_flow)]


# Correction, before the assessment


def _correct(form: Form, project: Project) -> CorrectApplication:
    given = applicant(form, country=project.recipient.country)
    day = form.day("effective_on")
    form.check()
    assert given.pillar and given.requested_cents is not None
    return CorrectApplication(
        recipient=given.recipient,
        title_en=given.title_en,
        title_fr=given.title_fr,
        pillar=given.pillar,
        requested_cents=given.requested_cents,
        effective_on=day,
    )


CORRECTION = Step(
    action=Action.CORRECT,
    sections=lambda t, _: [Section([*applicant_fields(t), _dated(t)])],
    defaults=lambda t, project: {
        **applicant_values(
            t,
            Applicant(
                project.recipient,
                project.title_en,
                project.title_fr,
                project.pillar,
                project.requested_cents,
            ),
        ),
        **_today(t, project),
    },
    command=_correct,
)


# Assessment


def _acknowledge(form: Form, _: Project) -> Acknowledge:
    day = form.day("effective_on")
    form.check()
    return Acknowledge(effective_on=day)


ACKNOWLEDGEMENT = Step(
    action=Action.ACKNOWLEDGE,
    sections=lambda t, _: [Section([_dated(t)])],
    defaults=_today,
    command=_acknowledge,
)


def _assess(form: Form, _: Project) -> Assess:
    score = form.whole("score")
    recommendation = form.text("recommendation")
    day = form.day("effective_on")
    form.check()
    assert score is not None and day is not None
    return Assess(score=score, recommendation=recommendation, effective_on=day)


ASSESSMENT = Step(
    action=Action.ASSESS,
    sections=lambda t, _: [
        Section(
            [
                Field("score", t("field.score"), "number"),
                Field("recommendation", t("field.recommendation")),
                _dated(t),
            ]
        )
    ],
    defaults=_today,
    command=_assess,
)


# Approval


def _approve(form: Form, _: Project) -> Approve:
    lines = form.cash_flow("cash_flow", CASH_FLOW_LINES)
    day = form.day("effective_on")
    form.check()
    assert day is not None
    return Approve(cash_flow=lines, effective_on=day)


def _year(year: FiscalYear) -> str:
    """A fiscal year in a sentence: its hyphen does not break the line (2023-24)."""
    return year.replace("-", "\u2011")


def _years_in_words(t: Translator, lines: Sequence[CashFlowLine]) -> str:
    return ", ".join(f"{_year(line.fiscal_year)} {t.money(line.amount_cents)}" for line in lines)


def _commitment_facts(t: Translator, project: Project, program: Program) -> list[str]:
    """What an approval or an amendment is weighed against: the request, what the
    program's allocation has left each year, what the project holds."""
    years = sorted({*program.allocations, *project.cash_flow})
    left = ", ".join(
        f"{_year(year)} {t.money(program.available(year) + project.cash_flow.get(year, 0))}"
        for year in years
    )
    facts = [t("facts.requested", amount=t.money(project.requested_cents))]
    if project.cash_flow:
        facts.append(t("facts.cash_flow", years=_years_in_words(t, _lines(project))))
    facts.append(t("facts.available", program=t.name(program), years=left or t("common.none")))
    return facts


def _room_facts(t: Translator, project: Project, _: Program) -> list[str]:
    """What a payment request may ask of each year: the cash flow less what is paid or
    awaiting release."""
    room = ", ".join(
        f"{_year(year)} {t.money(cents - project.spent(year))}"
        for year, cents in sorted(project.cash_flow.items())
    )
    return [t("facts.room", years=room or t("common.none"))]


def _lines(project: Project) -> list[CashFlowLine]:
    return [CashFlowLine(year, cents) for year, cents in sorted(project.cash_flow.items())]


def _confirm_approval(t: Translator, project: Project, approval: Approve) -> str:
    return t(
        "confirm.approval",
        amount=t.money(sum(line.amount_cents for line in approval.cash_flow)),
        recipient=project.recipient.legal_name,
        title=t.name(project),
        years=_years_in_words(t, approval.cash_flow),
        requested=t.money(project.requested_cents),
    )


APPROVAL = Step(
    action=Action.APPROVE,
    sections=lambda t, _: [
        _cash_flow_section(t, CASH_FLOW_LINES, "hint.cash_flow"),
        Section([_dated(t)]),
    ],
    defaults=lambda t, project: {
        "effective_on": date.today().isoformat(),
        "cash_flow[0].fiscal_year": str(FiscalYear.of(date.today())),
    },
    command=_approve,
    confirm=_confirm_approval,
    facts=_commitment_facts,
)


# Agreement


# What the agreement form asks of the open-data disclosure: every field the published
# table has, grouped as people fill them; which the table requires depends on when the
# agreement starts, and each says so.
DISCLOSED = (
    (
        "field.disclosure",
        (
            "agreement_number",
            "recipient_type",
            "recipient_legal_name_fr",
            "recipient_operating_name",
            "recipient_city",
            "recipient_postal_code",
        ),
    ),
    (
        "field.disclosure_riding",
        ("federal_riding_name_en", "federal_riding_name_fr", "federal_riding_number"),
    ),
    (
        "field.disclosure_description",
        (
            "description_en",
            "description_fr",
            "expected_results_en",
            "expected_results_fr",
            "additional_information_en",
            "additional_information_fr",
        ),
    ),
    ("field.disclosure_classification", ("naics_identifier", "coverage")),
)


def _sign(form: Form, _: Project) -> SignAgreement:
    signed_on, start_on, end_on = form.day("signed_on"), form.day("start_on"), form.day("end_on")
    basis = form.choice("payment_basis", PaymentBasis)
    holdback = form.whole("holdback_percent")
    disclosure = Disclosure(
        **{
            name: form.text(f"disclosure.{name}", required=False)
            for _, names in DISCLOSED
            for name in names
        }
    )
    # Every field the table requires and left empty is named at once.
    for name in disclosure.missing(start_on) if start_on else ():
        form.refused_by(missing_error(name))
    form.check()
    assert signed_on and start_on and end_on and basis and holdback is not None
    return SignAgreement(
        signed_on=signed_on,
        start_on=start_on,
        end_on=end_on,
        payment_basis=basis,
        holdback_percent=holdback,
        disclosure=disclosure,
    )


def _disclosure_field(t: Translator, name: str) -> Field:
    since = required_since(name)
    hint = t("hint.disclosure_required", since_on=t.day(since)) if since else None
    if name == "recipient_type":
        options = [choose(t)] + [(code, t(f"recipient_type.{code}")) for code in RECIPIENT_TYPES]
        return Field(f"disclosure.{name}", t(f"field.{name}"), "select", options, hint=hint)
    kind: Kind = "textarea" if name in PARAGRAPHS else "text"
    # Required or not depends on the start date, so none is marked optional.
    return Field(f"disclosure.{name}", t(f"field.{name}"), kind, hint=hint)


def _disclosure_sections(t: Translator) -> list[Section]:
    return [
        Section([_disclosure_field(t, name) for name in names], legend=t(legend))
        for legend, names in DISCLOSED
    ]


def _agreement_defaults(_: Translator, project: Project) -> dict[str, str]:
    today = date.today().isoformat()
    last = max(project.cash_flow, default=FiscalYear.of(date.today()))
    return {
        "signed_on": today,
        "start_on": today,
        "end_on": last.ends_on.isoformat(),
        "payment_basis": PaymentBasis.ADVANCE.value,
        "holdback_percent": "0",
    }


def _confirm_agreement(t: Translator, project: Project, signing: SignAgreement) -> str:
    return t(
        "confirm.agreement",
        recipient=project.recipient.legal_name,
        value=t.money(project.value_cents),
        signed_on=t.day(signing.signed_on),
        start_on=t.day(signing.start_on),
        end_on=t.day(signing.end_on),
        basis=t(f"option.{signing.payment_basis.value}").lower(),
        holdback_percent=signing.holdback_percent,
        holdback=t.money(project.value_cents * signing.holdback_percent // 100),
    )


AGREEMENT = Step(
    action=Action.SIGN_AGREEMENT,
    sections=lambda t, _: [
        Section(
            [
                Field("signed_on", t("field.signed_on"), "date", hint=t("hint.date")),
                Field("start_on", t("field.start_on"), "date", hint=t("hint.date")),
                Field("end_on", t("field.end_on"), "date", hint=t("hint.date")),
                Field(
                    "payment_basis",
                    t("field.payment_basis"),
                    "select",
                    [(b.value, t(f"option.{b.value}")) for b in PaymentBasis],
                ),
                Field("holdback_percent", t("field.holdback_percent"), "number"),
            ]
        ),
        *_disclosure_sections(t),
    ],
    defaults=_agreement_defaults,
    command=_sign,
    confirm=_confirm_agreement,
)


# Amendment


def _amend(form: Form, project: Project) -> Amend:
    lines = form.cash_flow("cash_flow", _amendment_lines(project), required=False)
    start_on = form.day("start_on", required=False)
    end_on = form.day("end_on", required=False)
    day = form.day("effective_on")
    form.check()
    assert day is not None
    return Amend(cash_flow=lines or None, start_on=start_on, end_on=end_on, effective_on=day)


def _amendment_lines(project: Project) -> int:
    return max(CASH_FLOW_LINES, len(project.cash_flow) + 1)


def _confirm_amendment(t: Translator, project: Project, amendment: Amend) -> str:
    if amendment.cash_flow is None:
        return t("confirm.amendment_dates", recipient=project.recipient.legal_name)
    return t(
        "confirm.amendment",
        recipient=project.recipient.legal_name,
        before=t.money(project.value_cents),
        after=t.money(sum(line.amount_cents for line in amendment.cash_flow)),
        years=_years_in_words(t, amendment.cash_flow),
    )


AMENDMENT = Step(
    action=Action.AMEND,
    sections=lambda t, project: [
        _cash_flow_section(t, _amendment_lines(project), "hint.amendment"),
        Section(
            [
                Field("start_on", t("field.start_on"), "date", required=False, hint=t("hint.date")),
                Field("end_on", t("field.end_on"), "date", required=False, hint=t("hint.date")),
                _dated(t),
            ]
        ),
    ],
    defaults=lambda t, project: {**_cash_flow_values(t, project), **_today(t, project)},
    command=_amend,
    confirm=_confirm_amendment,
    facts=_commitment_facts,
)


# Payment request


def _request_payment(form: Form, _: Project) -> RequestPayment:
    year = form.fiscal_year("fiscal_year")
    amount = form.money("amount")
    kind = form.choice("kind", PaymentKind, required=False)
    claim_received_on = form.day("claim_received_on", required=False)
    day = form.day("effective_on")
    form.check()
    assert year and amount is not None and day
    return RequestPayment(
        fiscal_year=year,
        amount_cents=amount,
        kind=kind,
        claim_received_on=claim_received_on,
        effective_on=day,
    )


PAYMENT_REQUEST = Step(
    action=Action.REQUEST_PAYMENT,
    sections=lambda t, project: [
        Section(
            [
                Field("fiscal_year", t("field.fiscal_year"), "select", _years(project)),
                Field("amount", t("field.payment_amount"), "money"),
                Field(
                    "kind",
                    t("field.kind"),
                    "select",
                    [("", t("option.default_kind"))]
                    + [(k.value, t(f"option.{k.value}")) for k in PaymentKind],
                    required=False,
                ),
                Field(
                    "claim_received_on",
                    t("field.claim_received_on"),
                    "date",
                    required=False,
                    hint=t("hint.claim_received_on"),
                ),
                _dated(t),
            ]
        )
    ],
    defaults=lambda t, project: {
        "fiscal_year": str(FiscalYear.of(date.today())),
        "effective_on": date.today().isoformat(),
    },
    command=_request_payment,
    facts=_room_facts,
)


# Results


def _report(form: Form, _: Project) -> ReportResults:
    year = form.fiscal_year("fiscal_year")
    # Every indicator the form sent, as in use when it was drawn: one retired since is
    # refused by the rule, which names it.
    sent = [name for name in form.data if name.startswith("indicators.")]
    values = {name.removeprefix("indicators."): form.whole(name, required=False) for name in sent}
    day = form.day("effective_on")
    form.check()
    assert year and day
    indicators = {code: value for code, value in values.items() if value is not None}
    return ReportResults(fiscal_year=year, indicators=indicators, effective_on=day)


def _indicators_in_use(t: Translator, framework: Framework) -> list[Section]:
    """The indicators in use, a section per pillar in the Strategy's order: the
    framework has a score of them, too many to read as one list. The first section
    carries the hint and a refusal of the report as a whole."""
    by_pillar: dict[Pillar, list[Field]] = {pillar: [] for pillar in Pillar}
    for code in framework.in_use:
        indicator = framework.indicators[code]
        by_pillar[indicator.pillar].append(
            Field(f"indicators.{code}", t.name(indicator), "number", required=False)
        )
    sections = [
        Section(fields, legend=t("project.results_of", pillar=t.pillar(pillar)))
        for pillar, fields in by_pillar.items()
        if fields
    ] or [Section([], legend=t("project.results"))]
    hint = t("hint.results") if framework.in_use else t("hint.no_indicators")
    sections[0] = replace(sections[0], hint=hint, name="indicators")
    return sections


RESULTS = Step(
    action=Action.REPORT_RESULTS,
    sections=lambda t, project: [
        Section(
            [Field("fiscal_year", t("field.fiscal_year"), "select", _years(project)), _dated(t)]
        ),
    ],
    defaults=lambda t, project: {
        "fiscal_year": str(FiscalYear.of(date.today())),
        "effective_on": date.today().isoformat(),
    },
    command=_report,
    indicators=_indicators_in_use,
)


# Decisions against an application


def _reason_section(t: Translator) -> Section:
    return Section(
        [
            Field("reason", t("field.reason"), "textarea", required=False),
            _dated(t),
        ]
    )


def _reject(form: Form, _: Project) -> Reject:
    reason = form.text("reason", required=False)
    day = form.day("effective_on")
    form.check()
    return Reject(reason=reason, effective_on=day)


REJECTION = Step(
    action=Action.REJECT,
    sections=lambda t, _: [_reason_section(t)],
    defaults=_today,
    command=_reject,
)


def _withdraw(form: Form, _: Project) -> Withdraw:
    reason = form.text("reason", required=False)
    day = form.day("effective_on")
    form.check()
    return Withdraw(reason=reason, effective_on=day)


WITHDRAWAL = Step(
    action=Action.WITHDRAW,
    sections=lambda t, _: [_reason_section(t)],
    defaults=_today,
    command=_withdraw,
)


# Reprofiling: money moved between the agreement's years, without an amendment.


def _reprofile(form: Form, _: Project) -> Reprofile:
    source = form.fiscal_year("from_fiscal_year")
    target = form.fiscal_year("to_fiscal_year")
    amount = form.money("amount")
    day = form.day("effective_on")
    form.check()
    assert source and target and amount is not None
    return Reprofile(
        from_fiscal_year=source, to_fiscal_year=target, amount_cents=amount, effective_on=day
    )


def _agreement_years(project: Project) -> list[tuple[str, str]]:
    """The fiscal years the agreement covers: money moves only within its period."""
    if project.agreement is None:
        return _years(project)
    year, last = FiscalYear.of(project.agreement.start_on), FiscalYear.of(project.agreement.end_on)
    years = [year]
    while year < last:
        year = year.next()
        years.append(year)
    return [(str(y), str(y)) for y in years]


def _reprofile_sections(t: Translator, project: Project) -> list[Section]:
    return [
        Section(
            [
                Field("from_fiscal_year", t("field.from_fiscal_year"), "select", _years(project)),
                Field(
                    "to_fiscal_year",
                    t("field.to_fiscal_year"),
                    "select",
                    _agreement_years(project),
                    hint=t("hint.reprofile"),
                ),
                Field("amount", t("field.reprofile_amount"), "money"),
                _dated(t),
            ]
        )
    ]


REPROFILING = Step(
    action=Action.REPROFILE,
    sections=_reprofile_sections,
    defaults=lambda t, project: {
        **_today(t, project),
        "from_fiscal_year": str(min(project.cash_flow, default="")),
        "to_fiscal_year": _agreement_years(project)[-1][0],
    },
    command=_reprofile,
    facts=_room_facts,
)


# The end of a project's life


def _accept_final_report(form: Form, _: Project) -> AcceptFinalReport:
    day = form.day("effective_on")
    form.check()
    return AcceptFinalReport(effective_on=day)


FINAL_REPORT = Step(
    action=Action.ACCEPT_FINAL_REPORT,
    sections=lambda t, _: [Section([_dated(t)])],
    defaults=_today,
    command=_accept_final_report,
)


def _close(form: Form, _: Project) -> CloseProject:
    day = form.day("effective_on")
    form.check()
    return CloseProject(effective_on=day)


CLOSE_OUT = Step(
    action=Action.CLOSE,
    sections=lambda t, _: [Section([_dated(t)], hint=t("hint.close_out"))],
    defaults=_today,
    command=_close,
)


# Recovery of an overpayment, by finance


def _recover(form: Form, _: Project) -> RecoverOverpayment:
    year = form.fiscal_year("fiscal_year")
    amount = form.money("amount")
    reference = form.text("payment_ref")
    day = form.day("effective_on")
    form.check()
    assert year and amount is not None
    return RecoverOverpayment(
        fiscal_year=year, amount_cents=amount, payment_ref=reference, effective_on=day
    )


RECOVERY = Step(
    action=Action.RECOVER,
    sections=lambda t, project: [
        Section(
            [
                Field(
                    "fiscal_year",
                    t("field.fiscal_year"),
                    "select",
                    [(str(year), str(year)) for year in sorted(project.disbursed)],
                ),
                Field("amount", t("field.recovered_amount"), "money"),
                Field("payment_ref", t("field.payment_ref"), hint=t("hint.recovery_ref")),
                _dated(t),
            ]
        )
    ],
    defaults=lambda t, project: {
        **_today(t, project),
        "fiscal_year": str(max(project.disbursed, default="")),
    },
    command=_recover,
    roles=frozenset({Role.FINANCE_OFFICER, Role.ADMIN}),
)


STEPS: dict[str, Step] = {
    "correction": CORRECTION,
    "acknowledgement": ACKNOWLEDGEMENT,
    "assessment": ASSESSMENT,
    "approval": APPROVAL,
    "rejection": REJECTION,
    "withdrawal": WITHDRAWAL,
    "agreement": AGREEMENT,
    "amendment": AMENDMENT,
    "reprofiling": REPROFILING,
    "payment_request": PAYMENT_REQUEST,
    "results": RESULTS,
    "final_report": FINAL_REPORT,
    "close_out": CLOSE_OUT,
    "recovery": RECOVERY,
}


def next_steps(status: Status, role: Role) -> tuple[str, ...]:
    """The forms this person may fill next, as the project's status and their role allow."""
    return tuple(
        name for name, step in STEPS.items() if step.action in ALLOWS[status] and role in step.roles
    )


def _step(name: str, user: User) -> Step:
    step = STEPS.get(name)
    if step is None:
        raise NotFoundException(f"no step is called {name}")
    if user.role not in step.roles:
        raise PermissionDeniedException(f"a {user.role.replace('_', ' ')} may not do this")
    return step


def _form(t: Translator, grants: Grants, project: Project, name: str, step: Step) -> FormPage:
    facts = step.facts(t, project, grants.program(project.program_id)) if step.facts else []
    return FormPage(
        facts=facts,
        title=t(f"form.{name}"),
        action=f"/projects/{project.id}/{name}",
        submit=t("common.save"),
        cancel=f"/projects/{project.id}",
        sections=[
            *step.sections(t, project),
            *(step.indicators(t, grants.framework()) if step.indicators else []),
        ],
        values=step.defaults(t, project),
        version=project.version,
        intro=t.name(project),
    )


@get("/projects/{project_id:uuid}/{step:str}", sync_to_thread=True)
def step_form(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    step: FromPath[str],
    grants: NamedDependency[Grants],
) -> Template:
    chosen = _step(step, request.user)
    form_page = _form(translator(request), grants, grants.project(project_id), step, chosen)
    return page(request, "form.html", form=form_page)


@post("/projects/{project_id:uuid}/{step:str}", sync_to_thread=True, status_code=303)
def record_step(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    step: FromPath[str],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    chosen = _step(step, request.user)
    project = grants.project(project_id)
    form_page = _form(t, grants, project, step, chosen)
    form_page.version = version_seen(data.get("version", ""))
    changing = bool(data.get("change"))  # back from the confirmation, to change a figure
    asked: list[str] = []

    def carry_out(form: Form) -> Receipt:
        command = chosen.command(form, project)
        context = form.context(request.user)
        if chosen.confirm and changing:
            asked.append("")
            raise Refused
        if chosen.confirm and data.get("confirmed") != "yes":
            # Only what the rules would take is put to the person to confirm.
            grants.handle(replace(context, trial=True), command, project.id)
            asked.append(chosen.confirm(t, project, command))
            raise Refused
        return grants.handle(context, command, project.id)

    receipt = submit(data, t, form_page, carry_out)
    if receipt is None and asked and asked[0]:
        return page(request, "confirm.html", form=form_page, sentence=asked[0])
    if receipt is None:
        status = 200 if asked else 422
        return page(request, "form.html", status_code=status, form=form_page)
    return Redirect(f"/projects/{project_id}?saved=true", status_code=303)


DECISION_PAGES = [step_form, record_step]

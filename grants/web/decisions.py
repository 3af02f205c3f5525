"""The forms the program side records a project's life with: assessment, approval with
its cash flow, agreement, amendment, payment request and results. Each is a step: its
fields, what the form starts with, and the command it sends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from grants import money
from grants.access import PROGRAM_SIDE
from grants.application import Grants
from grants.commands import (
    Acknowledge,
    Amend,
    Approve,
    Assess,
    Command,
    ReportResults,
    RequestPayment,
    SignAgreement,
)
from grants.domain.disclosure import RECIPIENT_TYPES, Disclosure
from grants.domain.fiscal_year import FiscalYear
from grants.domain.indicators import CATALOGUE
from grants.domain.project import ALLOWS, Action, Project, Status
from grants.domain.reference import PaymentBasis, PaymentKind
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section, submit, version_seen
from grants.web.i18n import Translator
from grants.web.layout import page, translator

CASH_FLOW_LINES = 4


@dataclass(frozen=True)
class Step:
    action: Action
    sections: Callable[[Translator, Project], Sequence[Section]]
    defaults: Callable[[Translator, Project], dict[str, str]]
    # The command the filled form gives, or refusals by field (``Form.check``).
    command: Callable[[Form, Project], Command]


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
    return Section(fields, legend=t("project.cash_flow"), hint=t(hint), name="cash_flow")


def _cash_flow_values(t: Translator, project: Project) -> dict[str, str]:
    values = {}
    for n, (year, cents) in enumerate(sorted(project.cash_flow.items())):
        values[f"cash_flow[{n}].fiscal_year"] = str(year)
        values[f"cash_flow[{n}].amount"] = money.editable(cents, t.language)
    return values


def _years(project: Project) -> list[tuple[str, str]]:
    return [(year, year) for year in sorted(project.cash_flow)]


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
)


# Agreement


# What the agreement form asks of the open-data disclosure: what the publication
# requires of agreements starting now, and the number and postal code people look for.
DISCLOSED = (
    "agreement_number",
    "recipient_type",
    "recipient_city",
    "recipient_postal_code",
    "description_en",
    "description_fr",
    "expected_results_en",
    "expected_results_fr",
)


def _sign(form: Form, _: Project) -> SignAgreement:
    signed_on, start_on, end_on = form.day("signed_on"), form.day("start_on"), form.day("end_on")
    basis = form.choice("payment_basis", PaymentBasis)
    holdback = form.whole("holdback_percent")
    disclosed = {name: form.text(f"disclosure.{name}", required=False) for name in DISCLOSED}
    form.check()
    assert signed_on and start_on and end_on and basis and holdback is not None
    return SignAgreement(
        signed_on=signed_on,
        start_on=start_on,
        end_on=end_on,
        payment_basis=basis,
        holdback_percent=holdback,
        disclosure=Disclosure(**disclosed),
    )


def _disclosure_section(t: Translator) -> Section:
    fields = [
        Field(
            f"disclosure.{name}",
            t(f"field.{name}"),
            "select" if name == "recipient_type" else "text",
            [("", "")] + [(code, t(f"recipient_type.{code}")) for code in RECIPIENT_TYPES]
            if name == "recipient_type"
            else (),
            required=False,
        )
        for name in DISCLOSED
    ]
    return Section(fields, legend=t("field.disclosure"))


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
        _disclosure_section(t),
    ],
    defaults=_agreement_defaults,
    command=_sign,
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
)


# Results


def _report(form: Form, _: Project) -> ReportResults:
    year = form.fiscal_year("fiscal_year")
    values = {code: form.whole(f"indicators.{code}", required=False) for code in CATALOGUE}
    day = form.day("effective_on")
    form.check()
    assert year and day
    indicators = {code: value for code, value in values.items() if value is not None}
    return ReportResults(fiscal_year=year, indicators=indicators, effective_on=day)


RESULTS = Step(
    action=Action.REPORT_RESULTS,
    sections=lambda t, project: [
        Section([Field("fiscal_year", t("field.fiscal_year"), "select", _years(project))]),
        Section(
            [
                Field(f"indicators.{code}", t.indicator(code), "number", required=False)
                for code in CATALOGUE
            ],
            legend=t("project.results"),
            hint=t("hint.results"),
            name="indicators",
        ),
        Section([_dated(t)]),
    ],
    defaults=lambda t, project: {
        "fiscal_year": str(FiscalYear.of(date.today())),
        "effective_on": date.today().isoformat(),
    },
    command=_report,
)


STEPS: dict[str, Step] = {
    "acknowledgement": ACKNOWLEDGEMENT,
    "assessment": ASSESSMENT,
    "approval": APPROVAL,
    "agreement": AGREEMENT,
    "amendment": AMENDMENT,
    "payment_request": PAYMENT_REQUEST,
    "results": RESULTS,
}


def next_steps(status: Status) -> tuple[str, ...]:
    """The forms the program side may fill next, as the project's status allows."""
    return tuple(name for name, step in STEPS.items() if step.action in ALLOWS[status])


def _form(t: Translator, project: Project, name: str) -> tuple[Step, FormPage]:
    step = STEPS.get(name)
    if step is None:
        raise NotFoundException(f"no step is called {name}")
    return step, FormPage(
        title=t(f"form.{name}"),
        action=f"/projects/{project.id}/{name}",
        submit=t("common.save"),
        cancel=f"/projects/{project.id}",
        sections=step.sections(t, project),
        values=step.defaults(t, project),
        version=project.version,
        intro=t.name(project),
    )


@get("/projects/{project_id:uuid}/{step:str}", guards=[PROGRAM_SIDE], sync_to_thread=True)
def step_form(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    step: FromPath[str],
    grants: NamedDependency[Grants],
) -> Template:
    t = translator(request)
    _, form_page = _form(t, grants.project(project_id), step)
    return page(request, "form.html", form=form_page)


@post(
    "/projects/{project_id:uuid}/{step:str}",
    guards=[PROGRAM_SIDE],
    sync_to_thread=True,
    status_code=303,
)
def record_step(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    step: FromPath[str],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    project = grants.project(project_id)
    chosen, form_page = _form(t, project, step)
    form_page.version = version_seen(data.get("version", ""))
    receipt = submit(
        data,
        t,
        form_page,
        lambda form: grants.handle(
            form.context(request.user), chosen.command(form, project), project.id
        ),
    )
    if receipt is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect(f"/projects/{project_id}?saved=true", status_code=303)


DECISION_PAGES = [step_form, record_step]

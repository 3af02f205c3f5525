"""Projects: the list with its filters, a project's page (state, cash flow, payments,
results and the timeline of every event), and recording a new application."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from grants.access import PROGRAM_SIDE
from grants.application import Grants
from grants.commands import ReceiveApplication
from grants.domain.aggregate import Aggregate
from grants.domain.project import Project, Status
from grants.domain.reference import Pillar
from grants.http_values import PageQuery, TextQuery
from grants.idempotency import Receipt
from grants.moments import project_at
from grants.projections import Views
from grants.users import Role, User
from grants.web.applications import applicant, applicant_fields, choose
from grants.web.as_of import asked
from grants.web.decisions import next_steps
from grants.web.forms import Field, Form, FormPage, Section, submit
from grants.web.i18n import Translator
from grants.web.layout import page, translator

PAGE_SIZE = 50
RECORDED_WITHIN = timedelta(days=31)


def _chosen(value: str | None) -> str | None:
    return value or None


@get("/projects", sync_to_thread=True)
def projects_page(
    request: Request[User, Any, Any],
    views: NamedDependency[Views],
    department: TextQuery = None,
    pillar: TextQuery = None,
    status: TextQuery = None,
    fiscal_year: TextQuery = None,
    recipient: TextQuery = None,
    program_id: FromQuery[UUID | None] = None,
    call_id: FromQuery[UUID | None] = None,
    page_number: PageQuery = 1,
) -> Template:
    t = translator(request)
    filters = {
        "department": _chosen(department),
        "pillar": _chosen(pillar),
        "status": _chosen(status),
        "fiscal_year": _chosen(fiscal_year),
        "recipient": _chosen(recipient),
    }
    total, rows = views.projects.page(
        **filters,
        program_id=program_id,
        call_id=call_id,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
    )
    funding = views.funding.rows()
    query = {k: v for k, v in filters.items() if v}
    if program_id:
        query["program_id"] = str(program_id)
    if call_id:
        query["call_id"] = str(call_id)
    return page(
        request,
        "projects.html",
        rows=rows,
        total=total,
        filters={k: v or "" for k, v in filters.items()},
        query=query,
        page_number=page_number,
        pages=max(1, -(-total // PAGE_SIZE)),
        department_options=[(c, t.department(c)) for c in sorted({r.department for r in funding})],
        pillar_options=[(p.value, t.pillar(p)) for p in Pillar],
        status_options=[(s.value, t(f"status.{s.value}")) for s in Status],
        year_options=[(y, y) for y in sorted({r.fiscal_year for r in funding})],
        may_record=request.user.role in (Role.PROGRAM_OFFICER, Role.ADMIN),
    )


def describe(event: Aggregate.Event, t: Translator) -> str:
    """The figures of an event that a timeline shows beside its name."""
    match event:
        case Project.ApplicationReceived() | Project.ApplicationCorrected():
            return f"{event.recipient.legal_name} · {t.money(event.requested_cents)}"
        case Project.ApplicationAssessed():
            return f"{event.score}/100 · {event.recommendation}"
        case Project.ApplicationApproved() | Project.AgreementAmended():
            return " · ".join(f"{y} {t.money(c)}" for y, c in sorted(event.cash_flow.items()))
        case Project.AgreementSigned():
            period = f"{t.day(event.start_on)} → {t.day(event.end_on)}"
            return f"{period} · {t.money(event.value_cents)}"
        case Project.CashFlowReprofiled():
            return (
                f"{event.from_fiscal_year} → {event.to_fiscal_year} · {t.money(event.amount_cents)}"
            )
        case Project.PaymentRequested():
            return f"{event.fiscal_year} · {t.money(event.amount_cents)}"
        case Project.DisbursementReleased() | Project.OverpaymentRecovered():
            return f"{event.fiscal_year} · {t.money(event.amount_cents)} · {event.payment_ref}"
        case Project.ResultsReported():
            return str(event.fiscal_year)
    return ""


@get("/projects/{project_id:uuid}", sync_to_thread=True)
def project_page(
    request: Request[User, Any, Any],
    project_id: FromPath[UUID],
    grants: NamedDependency[Grants],
    saved: FromQuery[bool] = False,
    as_of: TextQuery = None,
) -> Template:
    t = translator(request)
    moment = asked(as_of)
    # As of a day: folded from the facts in effect then, and no actions (they act now).
    project = project_at(grants, project_id, moment) if moment else grants.project(project_id)
    program = grants.program(project.program_id)
    timeline = [
        {
            "what": t(f"event.{type(event).__name__}"),
            "detail": describe(event, t),
            "who": event.actor,
            "when": event.effective_on,
            "recorded_at": event.timestamp,
        }
        for event in grants.history(project_id)
        if moment.keeps(event)
    ]
    years = sorted(set(project.cash_flow) | set(project.disbursed))
    return page(
        request,
        "project.html",
        project=project,
        program=program,
        years=years,
        timeline=timeline,
        # Names its results' indicators.
        framework=grants.framework() if project.results else None,
        saved=saved,
        steps=[] if moment else next_steps(project.status, request.user.role),
        as_of=moment.as_of,
    )


def application_form(t: Translator, grants: Grants) -> FormPage:
    programs = grants.programs()
    names = {program.id: t.name(program) for program in programs}
    today = date.today()
    # The calls an application may answer: open today, or closed in the last month, for
    # an application received in time and recorded since.
    calls = [c for c in grants.calls() if c.opens_on <= today <= c.last_day + RECORDED_WITHIN]
    return FormPage(
        title=t("form.application"),
        action="/projects/new",
        submit=t("common.save"),
        cancel="/projects",
        sections=[
            Section(
                [
                    Field(
                        "program_id",
                        t("field.program"),
                        "select",
                        [choose(t)]
                        + [
                            (str(p.id), f"{names[p.id]} ({t.department(p.department)})")
                            for p in programs
                        ],
                    ),
                    Field(
                        "call_id",
                        t("field.call"),
                        "select",
                        [("", t("option.no_call"))]
                        + [(str(c.id), f"{t.name(c)} · {names[c.program_id]}") for c in calls],
                        required=False,
                    ),
                    *applicant_fields(t),
                    Field("effective_on", t("field.received_on"), "date", hint=t("hint.date")),
                ]
            )
        ],
        values={"effective_on": today.isoformat()},
    )


@get("/projects/new", guards=[PROGRAM_SIDE], sync_to_thread=True)
def new_application(request: Request[User, Any, Any], grants: NamedDependency[Grants]) -> Template:
    return page(request, "form.html", form=application_form(translator(request), grants))


@post("/projects/new", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=303)
def record_application(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = application_form(t, grants)

    def command(form: Form) -> Receipt:
        program_id = form.id("program_id")
        call_id = form.id("call_id", required=False)
        given = applicant(form)
        received_on = form.day("effective_on")
        form.check()
        assert program_id and given.pillar and given.requested_cents is not None
        received = ReceiveApplication(
            program_id=program_id,
            call_id=call_id,
            recipient=given.recipient,
            title_en=given.title_en,
            title_fr=given.title_fr,
            pillar=given.pillar,
            requested_cents=given.requested_cents,
            effective_on=received_on,
        )
        return grants.handle(form.context(request.user), received)

    receipt = submit(data, t, form_page, command)
    if receipt is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect(f"/projects/{receipt.id}?saved=true", status_code=303)


PROJECT_PAGES = [projects_page, project_page, new_application, record_application]

"""The forms a program officer keeps programs and calls with: registering a program,
correcting its names or adding a pillar, its allocation for a fiscal year (with what is
committed beside it), its publication details and service standards; opening and closing
a call for proposals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from grants import money
from grants.access import PROGRAM_SIDE
from grants.application import Grants
from grants.commands import (
    CloseCall,
    Command,
    EditProgram,
    OpenCall,
    RegisterProgram,
    SetAllocation,
    SetPublicationDetails,
    SetServiceStandard,
)
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.reference import DEPARTMENTS, Pillar, TransferType
from grants.domain.service_standards import Standard, Unit
from grants.http_values import TextQuery
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section, submit
from grants.web.i18n import Translator
from grants.web.layout import page, translator


def _dated(t: Translator) -> Field:
    return Field("effective_on", t("field.effective_on"), "date", hint=t("hint.date"))


def _names(t: Translator) -> list[Field]:
    return [Field("name_en", t("field.name_en")), Field("name_fr", t("field.name_fr"))]


def _pillars(t: Translator, hint: str | None = None) -> Field:
    return Field(
        "pillars",
        t("field.pillars"),
        "checkboxes",
        [(p.value, t.pillar(p)) for p in Pillar],
        hint=hint,
    )


def _checked(pillars: Sequence[Pillar]) -> dict[str, str]:
    return {f"pillars.{pillar.value}": "on" for pillar in pillars}


# Registering a program


def registration_form(t: Translator) -> FormPage:
    return FormPage(
        title=t("form.program"),
        action="/programs/new",
        submit=t("common.save"),
        cancel="/programs",
        sections=[
            Section(
                [
                    Field(
                        "department",
                        t("field.department"),
                        "select",
                        [(code, t.department(code)) for code in DEPARTMENTS],
                    ),
                    *_names(t),
                    Field(
                        "transfer_type",
                        t("field.transfer_type"),
                        "select",
                        [(kind.value, t(f"option.{kind.value}")) for kind in TransferType],
                    ),
                    _pillars(t),
                    _dated(t),
                ]
            )
        ],
        values={"effective_on": date.today().isoformat()},
    )


@get("/programs/new", guards=[PROGRAM_SIDE])
async def new_program(request: Request[User, Any, Any]) -> Template:
    return page(request, "form.html", form=registration_form(translator(request)))


@post("/programs/new", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=303)
def register_program(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = registration_form(t)

    def command(form: Form) -> Any:
        department = form.text("department")
        name_en, name_fr = form.text("name_en"), form.text("name_fr")
        transfer_type = form.choice("transfer_type", TransferType)
        pillars = form.choices("pillars", Pillar)
        on = form.day("effective_on")
        form.check()
        assert transfer_type is not None
        registered = RegisterProgram(
            department=department,
            name_en=name_en,
            name_fr=name_fr,
            transfer_type=transfer_type,
            pillars=pillars,
            effective_on=on,
        )
        return grants.handle(form.context(request.user), registered)

    receipt = submit(data, t, form_page, command)
    if receipt is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect(f"/programs/{receipt.id}?saved=true", status_code=303)


# A program's own forms: each its fields, what it starts with, and its command.


@dataclass(frozen=True)
class ProgramStep:
    sections: Callable[[Translator, Program, str], Sequence[Section]]
    defaults: Callable[[Translator, Program, str], dict[str, str]]
    # The command, and what the API would take from its path (the fiscal year...).
    command: Callable[[Form, Program], tuple[Command, dict[str, Any]]]


def _edit(form: Form, _: Program) -> tuple[Command, dict[str, Any]]:
    name_en, name_fr = form.text("name_en"), form.text("name_fr")
    pillars = form.choices("pillars", Pillar)
    on = form.day("effective_on")
    form.check()
    return EditProgram(name_en=name_en, name_fr=name_fr, pillars=pillars, effective_on=on), {}


EDIT = ProgramStep(
    sections=lambda t, _, __: [
        Section([*_names(t), _pillars(t, t("hint.pillars_kept")), _dated(t)])
    ],
    defaults=lambda t, program, _: {
        "name_en": program.name_en,
        "name_fr": program.name_fr,
        **_checked(program.pillars),
        "effective_on": date.today().isoformat(),
    },
    command=_edit,
)


def _allocate(form: Form, _: Program) -> tuple[Command, dict[str, Any]]:
    year = form.fiscal_year("fiscal_year")
    amount = form.money("amount")
    on = form.day("effective_on")
    form.check()
    assert amount is not None
    return SetAllocation(amount_cents=amount, effective_on=on), {"fiscal_year": year}


def _allocation_sections(t: Translator, program: Program, _: str) -> list[Section]:
    committed = " · ".join(
        f"{year} {t.money(cents)}" for year, cents in sorted(program.committed.items()) if cents
    )
    return [
        Section(
            [
                Field("fiscal_year", t("field.fiscal_year"), hint=t("hint.fiscal_year")),
                Field("amount", t("field.allocation"), "money"),
                _dated(t),
            ],
            hint=t("hint.allocation", committed=committed or t("common.none")),
        )
    ]


def _allocation_defaults(t: Translator, program: Program, year: str) -> dict[str, str]:
    chosen = FiscalYear(year) if year else FiscalYear.of(date.today())
    values = {"fiscal_year": str(chosen), "effective_on": date.today().isoformat()}
    if chosen in program.allocations:
        values["amount"] = money.editable(program.allocations[chosen], t.language)
    return values


ALLOCATION = ProgramStep(
    sections=_allocation_sections, defaults=_allocation_defaults, command=_allocate
)


def _publish(form: Form, _: Program) -> tuple[Command, dict[str, Any]]:
    number = form.text("department_number")
    purpose_en, purpose_fr = form.text("purpose_en"), form.text("purpose_fr")
    on = form.day("effective_on")
    form.check()
    details = SetPublicationDetails(
        department_number=number, purpose_en=purpose_en, purpose_fr=purpose_fr, effective_on=on
    )
    return details, {}


def _publication_defaults(_: Translator, program: Program, __: str) -> dict[str, str]:
    values = {"effective_on": date.today().isoformat()}
    if program.publication:
        values |= {
            "department_number": program.publication.department_number,
            "purpose_en": program.publication.purpose_en,
            "purpose_fr": program.publication.purpose_fr,
        }
    return values


PUBLICATION = ProgramStep(
    sections=lambda t, _, __: [
        Section(
            [
                Field(
                    "department_number",
                    t("field.department_number"),
                    hint=t("hint.department_number"),
                ),
                Field("purpose_en", t("field.purpose_en"), "textarea"),
                Field("purpose_fr", t("field.purpose_fr"), "textarea"),
                _dated(t),
            ]
        )
    ],
    defaults=_publication_defaults,
    command=_publish,
)


def _set_standard(form: Form, _: Program) -> tuple[Command, dict[str, Any]]:
    standard = form.choice("standard", Standard)
    within = form.whole("within")
    unit = form.choice("unit", Unit)
    target = form.whole("target_percent")
    on = form.day("effective_on")
    form.check()
    assert within is not None and unit is not None and target is not None
    chosen = SetServiceStandard(within=within, unit=unit, target_percent=target, effective_on=on)
    return chosen, {"standard": standard}


def _standard_defaults(_: Translator, program: Program, name: str) -> dict[str, str]:
    standard = Standard(name) if name in Standard.__members__.values() else Standard.PAYMENT
    target = program.target(standard)
    return {
        "standard": standard.value,
        "within": str(target.within),
        "unit": target.unit.value,
        "target_percent": str(target.percent),
        "effective_on": date.today().isoformat(),
    }


SERVICE_STANDARD = ProgramStep(
    sections=lambda t, _, __: [
        Section(
            [
                Field(
                    "standard",
                    t("field.standard"),
                    "select",
                    [(s.value, t(f"standards.{s.value}")) for s in Standard],
                ),
                Field("within", t("field.within"), "number"),
                Field(
                    "unit",
                    t("field.unit"),
                    "select",
                    [(u.value, t(f"unit.{u.value}")) for u in Unit],
                ),
                Field("target_percent", t("field.target_percent"), "number"),
                _dated(t),
            ]
        )
    ],
    defaults=_standard_defaults,
    command=_set_standard,
)


PROGRAM_STEPS = {
    "edit": EDIT,
    "allocation": ALLOCATION,
    "publication": PUBLICATION,
    "service_standard": SERVICE_STANDARD,
}


def _program_form(
    t: Translator, program: Program, name: str, chosen: str
) -> tuple[ProgramStep, FormPage]:
    step = PROGRAM_STEPS.get(name)
    if step is None:
        raise NotFoundException(f"no form is called {name}")
    return step, FormPage(
        title=t(f"form.program_{name}"),
        action=f"/programs/{program.id}/{name}",
        submit=t("common.save"),
        cancel=f"/programs/{program.id}",
        sections=step.sections(t, program, chosen),
        values=step.defaults(t, program, chosen),
        version=program.version,
        intro=t.name(program),
    )


@get("/programs/{program_id:uuid}/{name:str}", guards=[PROGRAM_SIDE], sync_to_thread=True)
def program_form(
    request: Request[User, Any, Any],
    program_id: FromPath[UUID],
    name: FromPath[str],
    grants: NamedDependency[Grants],
    chosen: TextQuery = None,
) -> Template:
    """``chosen``: the fiscal year or the standard the form opens on."""
    t = translator(request)
    _, form_page = _program_form(t, grants.program(program_id), name, chosen or "")
    return page(request, "form.html", form=form_page)


@post(
    "/programs/{program_id:uuid}/{name:str}",
    guards=[PROGRAM_SIDE],
    sync_to_thread=True,
    status_code=303,
)
def record_program_form(
    request: Request[User, Any, Any],
    program_id: FromPath[UUID],
    name: FromPath[str],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    program = grants.program(program_id)
    step, form_page = _program_form(t, program, name, "")

    def command(form: Form) -> Any:
        chosen, given = step.command(form, program)
        return grants.handle(form.context(request.user), chosen, program.id, **given)

    if submit(data, t, form_page, command) is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect(f"/programs/{program_id}?saved=true", status_code=303)


# Calls for proposals


def call_form(t: Translator, grants: Grants, program_id: UUID | None) -> FormPage:
    programs = grants.programs()
    return FormPage(
        title=t("form.call"),
        action="/calls/new",
        submit=t("common.save"),
        cancel=f"/programs/{program_id}" if program_id else "/calls",
        sections=[
            Section(
                [
                    Field(
                        "program_id",
                        t("field.program"),
                        "select",
                        [
                            (str(p.id), f"{t.name(p)} ({t.department(p.department)})")
                            for p in programs
                        ],
                    ),
                    Field("title_en", t("field.title_en")),
                    Field("title_fr", t("field.title_fr")),
                    Field(
                        "pillar",
                        t("field.pillar"),
                        "select",
                        [(p.value, t.pillar(p)) for p in Pillar],
                        hint=t("hint.call_pillar"),
                    ),
                    Field("opens_on", t("field.opens_on"), "date", hint=t("hint.date")),
                    Field("closes_on", t("field.closes_on"), "date", hint=t("hint.date")),
                    Field("budget", t("field.budget"), "money"),
                ]
            )
        ],
        values={"program_id": str(program_id or ""), "opens_on": date.today().isoformat()},
    )


@get("/calls/new", guards=[PROGRAM_SIDE], sync_to_thread=True)
def new_call(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    program_id: FromQuery[UUID | None] = None,
) -> Template:
    return page(request, "form.html", form=call_form(translator(request), grants, program_id))


@post("/calls/new", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=303)
def open_call(
    request: Request[User, Any, Any],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = call_form(t, grants, None)

    def command(form: Form) -> Any:
        program_id = form.id("program_id")
        title_en, title_fr = form.text("title_en"), form.text("title_fr")
        pillar = form.choice("pillar", Pillar)
        opens_on, closes_on = form.day("opens_on"), form.day("closes_on")
        budget = form.money("budget")
        form.check()
        assert program_id and pillar and opens_on and closes_on and budget is not None
        opened = OpenCall(
            program_id=program_id,
            title_en=title_en,
            title_fr=title_fr,
            pillar=pillar,
            opens_on=opens_on,
            closes_on=closes_on,
            budget_cents=budget,
        )
        return grants.handle(form.context(request.user), opened)

    if submit(data, t, form_page, command) is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect("/calls?saved=true", status_code=303)


def close_call_form(t: Translator, grants: Grants, call_id: UUID) -> FormPage:
    call = grants.call(call_id)
    return FormPage(
        title=t("form.close_call"),
        action=f"/calls/{call_id}/close",
        submit=t("form.close_call"),
        cancel="/calls",
        sections=[Section([_dated(t)])],
        values={"effective_on": date.today().isoformat()},
        version=call.version,
        intro=t.name(call),
    )


@get("/calls/{call_id:uuid}/close", guards=[PROGRAM_SIDE], sync_to_thread=True)
def close_call_page(
    request: Request[User, Any, Any], call_id: FromPath[UUID], grants: NamedDependency[Grants]
) -> Template:
    return page(request, "form.html", form=close_call_form(translator(request), grants, call_id))


@post("/calls/{call_id:uuid}/close", guards=[PROGRAM_SIDE], sync_to_thread=True, status_code=303)
def close_call(
    request: Request[User, Any, Any],
    call_id: FromPath[UUID],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    form_page = close_call_form(t, grants, call_id)

    def command(form: Form) -> Any:
        on = form.day("effective_on")
        form.check()
        return grants.handle(form.context(request.user), CloseCall(effective_on=on), call_id)

    if submit(data, t, form_page, command) is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect("/calls?saved=true", status_code=303)


PROGRAM_FORM_PAGES = [
    new_program,
    register_program,
    program_form,
    record_program_form,
    new_call,
    open_call,
    close_call_page,
    close_call,
]

"""The forms the Strategy team keeps its results framework and spending plan with: an
expected result, an indicator (or its definition corrected), a target, a partner
department's result, the explanation of a missed target, an indicator's retirement,
a line of planned spending and a department's reported spending. Each sends the same
command as the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from grants.access import STRATEGY
from grants.application import Grants
from grants.commands import (
    Command,
    DefineExpectedResult,
    DefineIndicator,
    ExplainResult,
    ReportDepartmentalResult,
    ReportSpending,
    RetireIndicator,
    SetPlannedSpending,
    SetTarget,
)
from grants.domain.framework import Direction, Frequency
from grants.domain.reference import DEPARTMENTS, Pillar
from grants.domain.targets import TargetKind
from grants.users import User
from grants.web.forms import Field, Form, FormPage, Section, submit
from grants.web.i18n import Translator
from grants.web.layout import page, translator

Choices = Sequence[tuple[str, str]]
# What a command takes from elsewhere than its fields (the API's path): the indicator,
# the fiscal year.
Given = dict[str, Any]


@dataclass(frozen=True)
class Step:
    fields: Callable[[Translator, Choices], list[Field]]
    command: Callable[[Form], tuple[Command, Given]]
    # The pillar page to go back to, from what was sent.
    spending: bool = False


def _department(t: Translator, name: str = "department") -> Field:
    return Field(
        name,
        t(f"field.{name}"),
        "select",
        [(code, t.department(code)) for code in DEPARTMENTS],
    )


def _pillar(t: Translator) -> Field:
    return Field("pillar", t("field.pillar"), "select", [(p.value, t.pillar(p)) for p in Pillar])


def _indicator(t: Translator, indicators: Choices) -> Field:
    return Field("indicator", t("field.indicator"), "select", indicators)


def _options(t: Translator, kind: type[Direction | Frequency | TargetKind]) -> Choices:
    return [(option.value, t(f"option.{option.value}")) for option in kind]


def _dated(t: Translator) -> Field:
    return Field("effective_on", t("field.effective_on"), "date", hint=t("hint.date"))


def _expected_result(form: Form) -> tuple[Command, Given]:
    code, pillar = form.text("code"), form.choice("pillar", Pillar)
    name_en, name_fr, on = form.text("name_en"), form.text("name_fr"), form.day("effective_on")
    form.check()
    assert pillar is not None
    defined = DefineExpectedResult(
        code=code, pillar=pillar, name_en=name_en, name_fr=name_fr, effective_on=on
    )
    return defined, {}


def _indicator_definition(form: Form) -> tuple[Command, Given]:
    code = form.text("code")
    words = {
        name: form.text(name)
        for name in (
            "expected_result",
            "name_en",
            "name_fr",
            "definition_en",
            "definition_fr",
            "unit",
            "data_source",
            "owner",
        )
    }
    direction, frequency = form.choice("direction", Direction), form.choice("frequency", Frequency)
    baseline = form.whole("baseline", required=False)
    baseline_on = form.day("baseline_on", required=False)
    on = form.day("effective_on")
    form.check()
    assert direction is not None and frequency is not None
    defined = DefineIndicator(
        **words,
        direction=direction,
        frequency=frequency,
        baseline=baseline,
        baseline_on=baseline_on,
        effective_on=on,
    )
    return defined, {"code": code}


def _target(form: Form) -> tuple[Command, Given]:
    indicator, year = form.text("indicator"), form.fiscal_year("fiscal_year")
    kind = form.choice("kind", TargetKind)
    low, high = form.whole("low", required=False), form.whole("high", required=False)
    achieve_by, on = form.day("achieve_by", required=False), form.day("effective_on")
    form.check()
    assert kind is not None
    target = SetTarget(kind=kind, low=low, high=high, achieve_by=achieve_by, effective_on=on)
    return target, {"indicator": indicator, "fiscal_year": year}


def _result(form: Form) -> tuple[Command, Given]:
    indicator, department = form.text("indicator"), form.text("department")
    year = form.fiscal_year("fiscal_year", required=False)
    starts_on = form.day("starts_on", required=False)
    ends_on = form.day("ends_on", required=False)
    value = form.whole("value")
    source, note = form.text("source"), form.text("note", required=False)
    on = form.day("effective_on")
    form.check()
    assert value is not None
    reported = ReportDepartmentalResult(
        department=department,
        value=value,
        source=source,
        note=note,
        fiscal_year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        effective_on=on,
    )
    return reported, {"indicator": indicator}


def _explanation(form: Form) -> tuple[Command, Given]:
    indicator, year = form.text("indicator"), form.fiscal_year("fiscal_year")
    english, french = form.text("explanation_en"), form.text("explanation_fr")
    on = form.day("effective_on")
    form.check()
    explained = ExplainResult(explanation_en=english, explanation_fr=french, effective_on=on)
    return explained, {"indicator": indicator, "fiscal_year": year}


def _retirement(form: Form) -> tuple[Command, Given]:
    indicator, reason, on = form.text("indicator"), form.text("reason"), form.day("effective_on")
    form.check()
    return RetireIndicator(reason=reason, effective_on=on), {"code": indicator}


def _line(form: Form) -> dict[str, Any]:
    """A line of spending: department, pillar, fiscal year and amount."""
    return {
        "department": form.text("department"),
        "pillar": form.choice("pillar", Pillar),
        "fiscal_year": form.fiscal_year("fiscal_year"),
        "amount_cents": form.money("amount"),
    }


def _planned(form: Form) -> tuple[Command, Given]:
    line = _line(form)
    reason, on = form.text("reason", required=False), form.day("effective_on")
    form.check()
    return SetPlannedSpending(**line, reason=reason, effective_on=on), {}


def _spending(form: Form) -> tuple[Command, Given]:
    line = _line(form)
    source, note = form.text("source"), form.text("note", required=False)
    on = form.day("effective_on")
    form.check()
    return ReportSpending(**line, source=source, note=note, effective_on=on), {}


def _line_fields(t: Translator) -> list[Field]:
    return [
        _department(t),
        _pillar(t),
        Field("fiscal_year", t("field.fiscal_year"), hint=t("hint.fiscal_year")),
        Field("amount", t("field.amount"), "money"),
    ]


STEPS: Mapping[str, Step] = {
    "expected_result": Step(
        lambda t, _: [
            Field("code", t("field.code"), hint=t("hint.code")),
            _pillar(t),
            Field("name_en", t("field.name_en")),
            Field("name_fr", t("field.name_fr")),
        ],
        _expected_result,
    ),
    "indicator": Step(
        lambda t, _: [
            Field("code", t("field.code"), hint=t("hint.code")),
            Field("expected_result", t("field.expected_result"), hint=t("hint.code")),
            Field("name_en", t("field.name_en")),
            Field("name_fr", t("field.name_fr")),
            Field("definition_en", t("field.definition_en"), "textarea"),
            Field("definition_fr", t("field.definition_fr"), "textarea"),
            Field("unit", t("field.unit")),
            Field("direction", t("field.direction"), "select", _options(t, Direction)),
            Field("data_source", t("field.data_source")),
            _department(t, "owner"),
            Field("frequency", t("field.frequency"), "select", _options(t, Frequency)),
            Field("baseline", t("field.baseline"), "number", required=False),
            Field("baseline_on", t("field.baseline_on"), "date", required=False),
        ],
        _indicator_definition,
    ),
    "target": Step(
        lambda t, indicators: [
            _indicator(t, indicators),
            Field("fiscal_year", t("field.fiscal_year"), hint=t("hint.fiscal_year")),
            Field("kind", t("field.target_kind"), "select", _options(t, TargetKind)),
            Field("low", t("field.low"), "number", required=False, hint=t("hint.low")),
            Field("high", t("field.high"), "number", required=False, hint=t("hint.high")),
            Field("achieve_by", t("field.achieve_by"), "date", required=False),
        ],
        _target,
    ),
    "result": Step(
        lambda t, indicators: [
            _indicator(t, indicators),
            _department(t),
            Field("fiscal_year", t("field.fiscal_year"), required=False, hint=t("hint.period")),
            Field("starts_on", t("field.starts_on"), "date", required=False),
            Field("ends_on", t("field.ends_on"), "date", required=False),
            Field("value", t("field.result_value"), "number"),
            Field("source", t("field.source")),
            Field("note", t("field.note"), "textarea", required=False),
        ],
        _result,
    ),
    "explanation": Step(
        lambda t, indicators: [
            _indicator(t, indicators),
            Field("fiscal_year", t("field.fiscal_year"), hint=t("hint.fiscal_year")),
            Field("explanation_en", t("field.explanation_en"), "textarea", hint=t("hint.1000")),
            Field("explanation_fr", t("field.explanation_fr"), "textarea", hint=t("hint.1000")),
        ],
        _explanation,
    ),
    "retirement": Step(
        lambda t, indicators: [
            _indicator(t, indicators),
            Field("reason", t("field.reason"), "textarea"),
        ],
        _retirement,
    ),
    "planned": Step(
        lambda t, _: [
            *_line_fields(t),
            Field("reason", t("field.reason"), "textarea", required=False, hint=t("hint.amend")),
        ],
        _planned,
        spending=True,
    ),
    "spending": Step(
        lambda t, _: [
            *_line_fields(t),
            Field("source", t("field.source")),
            Field("note", t("field.note"), "textarea", required=False),
        ],
        _spending,
        spending=True,
    ),
}


def _form(
    t: Translator, grants: Grants, name: str, values: dict[str, str]
) -> tuple[Step, FormPage]:
    step = STEPS.get(name)
    if step is None:
        raise NotFoundException(f"no form is called {name}")
    framework = grants.framework()
    kept = grants.spending_plan() if step.spending else framework
    indicators = [
        (code, f"{t.name(i)} ({code})")
        for code, i in framework.indicators.items()
        if i.retired is None
    ]
    return step, FormPage(
        title=t(f"form.performance_{name}"),
        action=f"/performance-forms/{name}",
        submit=t("common.save"),
        cancel="/performance",
        sections=[Section([*step.fields(t, indicators), _dated(t)])],
        values={"effective_on": date.today().isoformat(), **values},
        version=kept.version,
    )


@get("/performance-forms/{name:str}", guards=[STRATEGY], sync_to_thread=True)
def performance_form(
    request: Request[User, Any, Any], name: FromPath[str], grants: NamedDependency[Grants]
) -> Template:
    """``?indicator=&fiscal_year=`` open the form on them (a task's explanation)."""
    chosen = {k: v for k, v in request.query_params.items() if k in ("indicator", "fiscal_year")}
    _, form_page = _form(translator(request), grants, name, chosen)
    return page(request, "form.html", form=form_page)


@post("/performance-forms/{name:str}", guards=[STRATEGY], sync_to_thread=True, status_code=303)
def record_performance_form(
    request: Request[User, Any, Any],
    name: FromPath[str],
    grants: NamedDependency[Grants],
    data: URLEncodedBody[dict[str, str]],
) -> Template | Redirect:
    t = translator(request)
    step, form_page = _form(t, grants, name, {})
    pillar: list[str] = []

    def command(form: Form) -> Any:
        chosen, given = step.command(form)
        receipt = grants.handle(form.context(request.user), chosen, **given)
        pillar.append(_pillar_of(grants, chosen, given))
        return receipt

    if submit(data, t, form_page, command) is None:
        return page(request, "form.html", status_code=422, form=form_page)
    return Redirect(f"/performance/{pillar[0]}?saved=true", status_code=303)


def _pillar_of(grants: Grants, command: Command, given: Given) -> str:
    """The pillar page that shows what the command changed."""
    if pillar := getattr(command, "pillar", None):
        return str(pillar)
    code = given.get("indicator") or given.get("code")
    indicator = grants.framework().indicators.get(code or "")
    return indicator.pillar.value if indicator else Pillar.EMPOWERMENT.value


PERFORMANCE_FORM_PAGES = [performance_form, record_performance_form]

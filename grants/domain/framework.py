"""The Strategy's results framework, kept by the Strategy team: expected results per
pillar, the indicators that measure them with their targets, the results partner
departments report against them, and why a result missed its target.

One aggregate, at an id every process knows (like the books): its rules span its parts
(a target, a result or an explanation names a defined indicator), it changes a few
hundred times a year at most, and only the Strategy team writes to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID, uuid5

from grants.domain.aggregate import Aggregate
from grants.domain.errors import InvalidValue, RuleViolation, UnknownIndicator, rule
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import Pillar, department_code
from grants.domain.targets import Target, TargetKind
from grants.domain.values import TEXT_LENGTH, count, day, text

FRAMEWORK_ID = uuid5(UUID("6f1c1bde-7f8e-4a54-9d57-3c0f3d8b2a41"), "results-framework")

# What the Horizontal Initiatives Database takes for an explanation of a result.
EXPLANATION_LENGTH = 1000

CODE = "^[a-z][a-z0-9_]{1,63}$"
_CODE = re.compile(CODE)


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Frequency(StrEnum):
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    BIENNIAL = "biennial"


class RetiredIndicator(RuleViolation):
    code = "indicator_retired"


class NoTarget(RuleViolation):
    code = "no_target"


@dataclass(frozen=True)
class ExpectedResult:
    code: str
    pillar: Pillar
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class Indicator:
    code: str
    expected_result: str
    pillar: Pillar
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    unit: str
    direction: Direction
    data_source: str
    owner: str
    frequency: Frequency
    baseline: int | None
    baseline_on: date | None
    retired: str | None = None  # the reason, once retired


@dataclass(frozen=True)
class Period:
    """What a departmental result covers: a fiscal year, or dated days; it counts in
    the fiscal year it ends in."""

    starts_on: date
    ends_on: date

    @property
    def fiscal_year(self) -> FiscalYear:
        return FiscalYear.of(self.ends_on)


@dataclass(frozen=True)
class Names:
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class Explanation:
    explanation_en: str
    explanation_fr: str


class Framework(Aggregate):
    expected_results: dict[str, ExpectedResult]
    indicators: dict[str, Indicator]
    targets: dict[tuple[str, FiscalYear], Target]
    # indicator, department, period: the value reported last.
    results: dict[tuple[str, str, Period], int]
    explanations: dict[tuple[str, FiscalYear], Explanation]

    def __init__(self) -> None:
        """The state comes from the creation event's ``apply``, like every change."""

    class Opened(Aggregate.Created):
        def apply(self, framework: Framework) -> None:
            framework.expected_results = {}
            framework.indicators = {}
            framework.targets = {}
            framework.results = {}
            framework.explanations = {}

    class ExpectedResultDefined(Aggregate.Event):
        code: str
        pillar: Pillar
        name_en: str
        name_fr: str

        def apply(self, framework: Framework) -> None:
            framework.expected_results[self.code] = ExpectedResult(
                self.code, self.pillar, self.name_en, self.name_fr
            )

    class IndicatorDefined(Aggregate.Event):
        """A new indicator, or one's definition corrected."""

        code: str
        expected_result: str
        pillar: Pillar
        name_en: str
        name_fr: str
        definition_en: str
        definition_fr: str
        unit: str
        direction: Direction
        data_source: str
        owner: str
        frequency: Frequency
        baseline: int | None
        baseline_on: date | None

        def apply(self, framework: Framework) -> None:
            fields = {k: v for k, v in vars(self).items() if k in Indicator.__dataclass_fields__}
            framework.indicators[self.code] = Indicator(**fields)

    class IndicatorRetired(Aggregate.Event):
        code: str
        reason: str

        def apply(self, framework: Framework) -> None:
            indicator = framework.indicators[self.code]
            framework.indicators[self.code] = _retired(indicator, self.reason)

    class TargetSet(Aggregate.Event):
        indicator: str
        fiscal_year: FiscalYear
        kind: TargetKind
        low: int
        high: int
        achieve_by: date

        def apply(self, framework: Framework) -> None:
            target = Target(self.kind, self.low, self.high, self.achieve_by)
            framework.targets[(self.indicator, self.fiscal_year)] = target

    class DepartmentalResultReported(Aggregate.Event):
        """``replaced``: the value an earlier report for the same indicator, department
        and period gave, which this one replaces."""

        indicator: str
        department: str
        starts_on: date
        ends_on: date
        fiscal_year: FiscalYear
        value: int
        source: str
        note: str
        replaced: int | None

        def apply(self, framework: Framework) -> None:
            period = Period(self.starts_on, self.ends_on)
            framework.results[(self.indicator, self.department, period)] = self.value

    class ResultExplained(Aggregate.Event):
        indicator: str
        fiscal_year: FiscalYear
        explanation_en: str
        explanation_fr: str

        def apply(self, framework: Framework) -> None:
            framework.explanations[(self.indicator, self.fiscal_year)] = Explanation(
                self.explanation_en, self.explanation_fr
            )

    @property
    def in_use(self) -> tuple[str, ...]:
        """The codes of the indicators not retired, in the order defined: what projects
        report their results against."""
        return tuple(code for code, i in self.indicators.items() if i.retired is None)

    def indicator_names(self, code: str) -> Names:
        """What people call an indicator; a code the framework never defined (results
        a project reported before the framework existed) goes by the code itself."""
        indicator = self.indicators.get(code)
        return Names(indicator.name_en, indicator.name_fr) if indicator else Names(code, code)

    @classmethod
    def open(cls, *, actor: str, effective_on: date) -> Framework:
        return cls._create(cls.Opened, id=FRAMEWORK_ID, actor=actor, effective_on=effective_on)

    def define_expected_result(
        self,
        *,
        code: str,
        pillar: Pillar,
        name_en: str,
        name_fr: str,
        actor: str,
        effective_on: date,
    ) -> None:
        self.trigger_event(
            self.ExpectedResultDefined,
            code=_code(code),
            pillar=Pillar(pillar),
            name_en=text(name_en, field="name_en", required=True),
            name_fr=text(name_fr, field="name_fr", required=True),
            actor=actor,
            effective_on=effective_on,
        )

    def define_indicator(
        self,
        *,
        code: str,
        expected_result: str,
        name_en: str,
        name_fr: str,
        definition_en: str,
        definition_fr: str,
        unit: str,
        direction: Direction,
        data_source: str,
        owner: str,
        frequency: Frequency,
        baseline: int | None,
        baseline_on: date | None,
        actor: str,
        effective_on: date,
    ) -> None:
        """Defines an indicator under an expected result, whose pillar it takes; or
        corrects the definition of one still in use."""
        code = _code(code)
        result = self.expected_results.get(expected_result)
        if result is None:
            raise InvalidValue(
                rule("{given} is not an expected result of the framework"),
                field="expected_result",
                given=repr(expected_result[:40]),
            )
        if (baseline is None) != (baseline_on is None):
            raise InvalidValue(
                rule("a baseline is a value with the day it was measured"),
                field="baseline_on" if baseline_on is None else "baseline",
            )
        self._in_use(code, must_exist=False)
        self.trigger_event(
            self.IndicatorDefined,
            code=code,
            expected_result=result.code,
            pillar=result.pillar,
            name_en=text(name_en, field="name_en", required=True),
            name_fr=text(name_fr, field="name_fr", required=True),
            definition_en=_paragraphs(definition_en, "definition_en", TEXT_LENGTH),
            definition_fr=_paragraphs(definition_fr, "definition_fr", TEXT_LENGTH),
            unit=text(unit, field="unit", required=True),
            direction=Direction(direction),
            data_source=text(data_source, field="data_source", required=True),
            owner=department_code(owner),
            frequency=Frequency(frequency),
            baseline=None if baseline is None else count(baseline, field="baseline"),
            baseline_on=None if baseline_on is None else day(baseline_on, field="baseline_on"),
            actor=actor,
            effective_on=effective_on,
        )

    def retire_indicator(self, *, code: str, reason: str, actor: str, effective_on: date) -> None:
        """Retired indicators keep their history and take no new targets: the
        evaluations ask for fewer."""
        self._in_use(code)
        self.trigger_event(
            self.IndicatorRetired,
            code=code,
            reason=_paragraphs(reason, "reason", TEXT_LENGTH),
            actor=actor,
            effective_on=effective_on,
        )

    def set_target(
        self,
        *,
        indicator: str,
        fiscal_year: FiscalYear,
        kind: TargetKind,
        low: int | None,
        high: int | None,
        achieve_by: date | None,
        actor: str,
        effective_on: date,
    ) -> None:
        """The target of a fiscal year: due at its end, or by a date to achieve within
        it; the year's results are judged against it."""
        self._in_use(indicator)
        if achieve_by is None:
            achieve_by = fiscal_year.ends_on
        elif FiscalYear.of(day(achieve_by, field="achieve_by")) != fiscal_year:
            raise InvalidValue(
                rule("{achieve_by_on} is not in {fiscal_year}"),
                field="achieve_by",
                achieve_by_on=achieve_by,
                fiscal_year=fiscal_year,
            )
        target = Target.checked(TargetKind(kind), low, high, achieve_by)
        self.trigger_event(
            self.TargetSet,
            indicator=indicator,
            fiscal_year=target.fiscal_year,
            kind=target.kind,
            low=target.low,
            high=target.high,
            achieve_by=target.achieve_by,
            actor=actor,
            effective_on=effective_on,
        )

    def report_result(
        self,
        *,
        indicator: str,
        department: str,
        fiscal_year: FiscalYear | None,
        starts_on: date | None,
        ends_on: date | None,
        value: int,
        source: str,
        note: str,
        actor: str,
        effective_on: date,
    ) -> None:
        """A partner department's result for a fiscal year or dated days; a later
        report for the same indicator, department and period replaces the earlier."""
        self._known(indicator)
        period = _period(fiscal_year, starts_on, ends_on)
        department = department_code(department)
        self.trigger_event(
            self.DepartmentalResultReported,
            indicator=indicator,
            department=department,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            fiscal_year=period.fiscal_year,
            value=count(value, field="value"),
            source=text(source, field="source", required=True),
            note=_paragraphs(note, "note", TEXT_LENGTH, required=False),
            replaced=self.results.get((indicator, department, period)),
            actor=actor,
            effective_on=effective_on,
        )

    def explain_result(
        self,
        *,
        indicator: str,
        fiscal_year: FiscalYear,
        explanation_en: str,
        explanation_fr: str,
        actor: str,
        effective_on: date,
    ) -> None:
        """Why a result missed its target, in both languages, as the Horizontal
        Initiatives Database publishes it."""
        self._known(indicator)
        if (indicator, fiscal_year) not in self.targets:
            raise NoTarget(
                rule("{indicator} has no target in {fiscal_year} to explain a result against"),
                field="fiscal_year",
                indicator=indicator,
                fiscal_year=fiscal_year,
            )
        self.trigger_event(
            self.ResultExplained,
            indicator=indicator,
            fiscal_year=fiscal_year,
            explanation_en=_paragraphs(explanation_en, "explanation_en", EXPLANATION_LENGTH),
            explanation_fr=_paragraphs(explanation_fr, "explanation_fr", EXPLANATION_LENGTH),
            actor=actor,
            effective_on=effective_on,
        )

    def _known(self, code: str) -> Indicator:
        indicator = self.indicators.get(code)
        if indicator is None:
            raise UnknownIndicator(
                rule("{given} is not an indicator of the framework"),
                field="indicator",
                given=repr(code[:40]),
            )
        return indicator

    def _in_use(self, code: str, *, must_exist: bool = True) -> None:
        indicator = self._known(code) if must_exist else self.indicators.get(code)
        if indicator is not None and indicator.retired is not None:
            raise RetiredIndicator(
                rule("{indicator} is retired: {reason}"),
                field="indicator",
                indicator=code,
                reason=indicator.retired,
            )


def _retired(indicator: Indicator, reason: str) -> Indicator:
    fields = {name: getattr(indicator, name) for name in Indicator.__dataclass_fields__}
    return Indicator(**{**fields, "retired": reason})


def _code(code: str) -> str:
    if not _CODE.fullmatch(code):
        raise InvalidValue(
            rule("a code is 2 to 64 small letters, digits and underscores, from a letter"),
            field="code",
        )
    return code


def _paragraphs(written: str, field: str, most: int, *, required: bool = True) -> str:
    return text(written, field=field, max_length=most, multiline=True, required=required)


def _period(fiscal_year: FiscalYear | None, starts_on: date | None, ends_on: date | None) -> Period:
    if fiscal_year is not None and starts_on is None and ends_on is None:
        return Period(fiscal_year.starts_on, fiscal_year.ends_on)
    if fiscal_year is not None or starts_on is None or ends_on is None:
        raise InvalidValue(
            rule("a result is for a fiscal year, or from a day to a day"), field="fiscal_year"
        )
    if day(starts_on, field="starts_on") > day(ends_on, field="ends_on"):
        raise InvalidValue(rule("the period ends on or after the day it starts"), field="ends_on")
    return Period(starts_on, ends_on)

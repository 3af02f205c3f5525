"""The performance story, a page per pillar: planned against actual spending by
department (a chart and its table), the pillar's indicators with their target, actual,
status and explanation, the trend across fiscal years, and the missed targets still to
explain; each table also as CSV. The "as of" date picker tells the story of the facts
in effect on a day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from grants import money
from grants.domain.reference import Pillar
from grants.http_values import TextQuery
from grants.moments import Moment
from grants.projections import Views
from grants.projections.performance import IndicatorRow, SpendingRow, TargetOut
from grants.spreadsheet import Number
from grants.users import Role, User
from grants.web.as_of import asked
from grants.web.charts import Series, bar_chart
from grants.web.i18n import Translator
from grants.web.layout import page, translator
from grants.web.strategy import csv_download


@dataclass(frozen=True)
class Money:
    """Planned, allocated, committed and spent, for a department or a fiscal year."""

    label: str
    planned_cents: int
    allocated_cents: int
    committed_cents: int
    spent_cents: int


def _sum(label: str, rows: Iterable[SpendingRow]) -> Money:
    rows = list(rows)
    return Money(
        label,
        sum(r.planned_cents for r in rows),
        sum(r.allocated_cents for r in rows),
        sum(r.committed_cents for r in rows),
        sum(r.spent_cents for r in rows),
    )


@dataclass(frozen=True)
class Story:
    pillar: Pillar
    by_department: list[Money]
    by_year: list[Money]
    indicators: list[IndicatorRow]
    tasks: list[IndicatorRow]
    fiscal_years: list[str]


def story(
    views: Views, t: Translator, pillar: Pillar, fiscal_year: str | None, moment: Moment
) -> Story:
    """The pillar's story, in the fiscal year chosen (or all), as of the moment; the
    trend spans every year whatever is chosen."""
    view = views.performance
    spending = view.spending(moment, views.as_of, pillar=pillar)
    chosen = [r for r in spending if fiscal_year in (None, r.fiscal_year)]
    departments = sorted({r.department for r in chosen}, key=t.department)
    years = sorted({r.fiscal_year for r in spending})
    indicators = view.indicators(date.today(), moment, pillar=pillar, fiscal_year=fiscal_year)
    return Story(
        pillar=pillar,
        by_department=[
            _sum(t.department(d), (r for r in chosen if r.department == d)) for d in departments
        ],
        by_year=[_sum(year, (r for r in spending if r.fiscal_year == year)) for year in years],
        indicators=indicators,
        tasks=[row for row in indicators if row.unexplained],
        fiscal_years=sorted(set(years) | {row.fiscal_year for row in indicators}),
    )


def target_words(t: Translator, target: TargetOut | None, fiscal_year: str) -> str:
    """A target as people read it: "at least 800", "450 to 650", and its date to
    achieve when it is not the end of its fiscal year."""
    if target is None:
        return t("common.none")
    words = t(
        f"target.{target.kind.value}",
        low=t.number(target.low),
        high=t.number(target.high),
    )
    if target.achieve_by.isoformat() != f"{int(fiscal_year[:4]) + 1}-03-31":
        words = t("target.by", target=words, day=t.day(target.achieve_by))
    return words


def _pillar(code: str) -> Pillar:
    try:
        return Pillar(code)
    except ValueError:
        raise NotFoundException(f"no pillar is called {code}") from None


def _query(**chosen: str | None) -> str:
    """The query string that keeps what was chosen, for the page's other links."""
    kept = {name: value for name, value in chosen.items() if value}
    return f"?{urlencode(kept)}" if kept else ""


@get("/performance")
async def performance_home() -> Redirect:
    return Redirect(f"/performance/{Pillar.EMPOWERMENT.value}", status_code=303)


@get("/performance/{pillar:str}", sync_to_thread=True)
def performance_page(
    request: Request[User, Any, Any],
    pillar: FromPath[str],
    views: NamedDependency[Views],
    fiscal_year: TextQuery = None,
    as_of: TextQuery = None,
    saved: FromQuery[bool] = False,
) -> Template:
    t = translator(request)
    chosen = _pillar(pillar)
    moment = asked(as_of)
    told = story(views, t, chosen, fiscal_year or None, moment)
    planned = Series(t("field.planned"), "committed")
    spent = Series(t("field.spent"), "disbursed")
    chart = bar_chart(
        "spending-chart",
        t("performance.spending_chart", pillar=t.pillar(chosen)),
        [planned, spent],
        [(m.label, (m.planned_cents, m.spent_cents)) for m in told.by_department],
        t.money,
    )
    trend = bar_chart(
        "trend-chart",
        t("performance.trend_chart", pillar=t.pillar(chosen)),
        [planned, spent],
        [(m.label, (m.planned_cents, m.spent_cents)) for m in told.by_year],
        t.money,
    )
    query = _query(fiscal_year=fiscal_year, as_of=as_of)
    return page(
        request,
        "performance.html",
        story=told,
        chart=chart,
        trend=trend,
        target_words=lambda row: target_words(t, row.target, row.fiscal_year),
        pillars=[(p.value, t.pillar(p)) for p in Pillar],
        fiscal_year=fiscal_year or "",
        as_of=moment.as_of,
        trend_query=_query(as_of=as_of),
        year_options=[(year, year) for year in told.fiscal_years],
        query=query,
        keeps=request.user.role in (Role.STRATEGY_ANALYST, Role.ADMIN),
        saved=saved,
    )


def _money_csv(t: Translator, label: str, rows: Iterable[Money]) -> list[list[Any]]:
    header = [
        label,
        t("field.planned"),
        t("field.allocation"),
        t("field.committed"),
        t("field.spent"),
    ]
    body: list[list[Any]] = [
        [
            m.label,
            Number(money.plain(m.planned_cents)),
            Number(money.plain(m.allocated_cents)),
            Number(money.plain(m.committed_cents)),
            Number(money.plain(m.spent_cents)),
        ]
        for m in rows
    ]
    return [header, *body]


@get("/performance/{pillar:str}/spending.csv", sync_to_thread=True)
def spending_csv(
    request: Request[Any, Any, Any],
    pillar: FromPath[str],
    views: NamedDependency[Views],
    fiscal_year: TextQuery = None,
    as_of: TextQuery = None,
) -> Response[str]:
    t = translator(request)
    told = story(views, t, _pillar(pillar), fiscal_year or None, asked(as_of))
    header, *rows = _money_csv(t, t("field.department"), told.by_department)
    return csv_download(f"spending-{pillar}.csv", header, rows)


@get("/performance/{pillar:str}/trend.csv", sync_to_thread=True)
def trend_csv(
    request: Request[Any, Any, Any],
    pillar: FromPath[str],
    views: NamedDependency[Views],
    as_of: TextQuery = None,
) -> Response[str]:
    t = translator(request)
    told = story(views, t, _pillar(pillar), None, asked(as_of))
    header, *rows = _money_csv(t, t("field.fiscal_year"), told.by_year)
    return csv_download(f"spending-trend-{pillar}.csv", header, rows)


@get("/performance/{pillar:str}/indicators.csv", sync_to_thread=True)
def indicators_csv(
    request: Request[Any, Any, Any],
    pillar: FromPath[str],
    views: NamedDependency[Views],
    fiscal_year: TextQuery = None,
    as_of: TextQuery = None,
) -> Response[str]:
    t = translator(request)
    told = story(views, t, _pillar(pillar), fiscal_year or None, asked(as_of))
    header = [
        t("field.indicator"),
        t("field.fiscal_year"),
        t("field.target"),
        t("field.actual"),
        t("field.result_status"),
        t("field.explanation"),
    ]
    rows = [
        [
            t.name(row),
            row.fiscal_year,
            target_words(t, row.target, row.fiscal_year),
            "" if row.actual is None else row.actual,
            t(f"result_status.{row.status.value}"),
            row.explanation_fr if t.language.value == "fr" else row.explanation_en,
        ]
        for row in told.indicators
    ]
    return csv_download(f"indicators-{pillar}.csv", header, rows)


PERFORMANCE_PAGES = [performance_home, performance_page, spending_csv, trend_csv, indicators_csv]

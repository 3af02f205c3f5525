"""The Strategy team's pages: funding by pillar (a chart and its table) filtered by
fiscal year and department, the trend of disbursements by fiscal year, outcomes by
pillar; each table also as CSV."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template

from grants import money
from grants.application import Grants
from grants.domain.framework import Framework
from grants.domain.reference import Pillar
from grants.finance.downloads import Download
from grants.http_values import TextQuery
from grants.moments import NOW, Moment
from grants.projections import Views
from grants.projections.funding import FundingRow
from grants.projections.outcomes import OutcomeRow
from grants.spreadsheet import Number, csv_text, for_spreadsheets
from grants.web.as_of import asked
from grants.web.charts import BarChart, Series, bar_chart
from grants.web.i18n import Translator
from grants.web.layout import attachment, page, translator


@dataclass(frozen=True)
class Funding:
    label: str
    committed_cents: int
    disbursed_cents: int
    outstanding_cents: int
    lapsed_cents: int
    projects: int


def _total(label: str, rows: Iterable[FundingRow]) -> Funding:
    rows = list(rows)
    return Funding(
        label,
        sum(r.committed_cents for r in rows),
        sum(r.disbursed_cents for r in rows),
        sum(r.outstanding_cents for r in rows),
        sum(r.lapsed_cents for r in rows),
        sum(r.projects for r in rows),
    )


# Every row of the funding view: no fiscal year, pillar, department or program chosen.
_ALL: dict[str, Any] = dict.fromkeys(("fiscal_year", "pillar", "department", "program_id"))


def _chosen(value: str | None) -> str | None:
    return value or None


@dataclass(frozen=True)
class Dashboard:
    by_pillar: list[Funding]
    totals: Funding
    by_year: list[Funding]
    fiscal_years: list[str]
    departments: list[str]


def dashboard(
    views: Views,
    t: Translator,
    fiscal_year: str | None,
    department: str | None,
    moment: Moment = NOW,
) -> Dashboard:
    """One read of the view (a summary of a few hundred rows), cut three ways; as of
    the moment's day, when one is asked."""
    funded_in: dict[str, Any] = {"fiscal_year": fiscal_year, "department": department}
    if moment:
        rows, _ = views.as_of.funding(moment, **_ALL)
        _, funded = views.as_of.funding(moment, **{**_ALL, **funded_in})
    else:
        rows = views.funding.rows()
        # Each project once, though the rows count it in each year it holds money.
        funded = views.funding.projects(**funded_in)
    in_department = [r for r in rows if department in (None, r.department)]
    chosen = [r for r in in_department if fiscal_year in (None, r.fiscal_year)]
    by_pillar = [
        replace(
            _total(t.pillar(pillar), (r for r in chosen if r.pillar == pillar)),
            projects=funded.get(pillar, 0),
        )
        for pillar in Pillar
    ]
    years = sorted({r.fiscal_year for r in in_department})
    by_year = [_total(year, (r for r in in_department if r.fiscal_year == year)) for year in years]
    return Dashboard(
        by_pillar=by_pillar,
        totals=replace(_total(t("common.total"), chosen), projects=sum(funded.values())),
        by_year=by_year,
        fiscal_years=sorted({r.fiscal_year for r in rows}),
        departments=sorted({r.department for r in rows}),
    )


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response[str]:
    # Litestar adds the charset to a text/ type itself.
    return attachment(Download(filename, "text/csv", for_spreadsheets(csv_text(header, rows))))


@get("/dashboard", sync_to_thread=True)
def funding_page(
    request: Request[Any, Any, Any],
    views: NamedDependency[Views],
    fiscal_year: TextQuery = None,
    department: TextQuery = None,
    as_of: TextQuery = None,
) -> Template:
    t = translator(request)
    fiscal_year, department, moment = _chosen(fiscal_year), _chosen(department), asked(as_of)
    board = dashboard(views, t, fiscal_year, department, moment)
    committed = Series(t("field.committed"), "committed")
    disbursed = Series(t("field.disbursed"), "disbursed")
    chart = bar_chart(
        "funding-chart",
        t("dashboard.chart"),
        [committed, disbursed],
        [(f.label, (f.committed_cents, f.disbursed_cents)) for f in board.by_pillar],
        t.money,
    )
    trend = bar_chart(
        "trend-chart",
        t("dashboard.trend_chart"),
        [disbursed],
        [(f.label, (f.disbursed_cents,)) for f in board.by_year],
        t.money,
    )
    query = request.url.query
    return page(
        request,
        "dashboard.html",
        board=board,
        chart=chart,
        trend=trend,
        fiscal_year=fiscal_year or "",
        department=department or "",
        as_of=moment.as_of,
        year_options=[(year, year) for year in board.fiscal_years],
        department_options=[(code, t.department(code)) for code in board.departments],
        query=f"?{query}" if query else "",
    )


def _funding_csv(t: Translator, label: str, rows: Iterable[Funding]) -> Iterable[list[Any]]:
    header = [
        label,
        t("field.committed"),
        t("field.disbursed"),
        t("field.outstanding"),
        t("field.lapsed"),
        t("field.projects"),
    ]
    body = [
        [
            f.label,
            Number(money.plain(f.committed_cents)),
            Number(money.plain(f.disbursed_cents)),
            Number(money.plain(f.outstanding_cents)),
            Number(money.plain(f.lapsed_cents)),
            f.projects,
        ]
        for f in rows
    ]
    return [header, *body]


@get("/dashboard/funding.csv", sync_to_thread=True)
def funding_csv(
    request: Request[Any, Any, Any],
    views: NamedDependency[Views],
    fiscal_year: TextQuery = None,
    department: TextQuery = None,
    as_of: TextQuery = None,
) -> Response[str]:
    t = translator(request)
    board = dashboard(views, t, _chosen(fiscal_year), _chosen(department), asked(as_of))
    header, *rows = _funding_csv(t, t("field.pillar"), [*board.by_pillar, board.totals])
    return csv_download("funding-by-pillar.csv", header, rows)


@get("/dashboard/trend.csv", sync_to_thread=True)
def trend_csv(
    request: Request[Any, Any, Any],
    views: NamedDependency[Views],
    department: TextQuery = None,
    as_of: TextQuery = None,
) -> Response[str]:
    t = translator(request)
    board = dashboard(views, t, None, _chosen(department), asked(as_of))
    header, *rows = _funding_csv(t, t("field.fiscal_year"), board.by_year)
    return csv_download("disbursements-by-fiscal-year.csv", header, rows)


def _outcomes(
    views: Views, fiscal_year: str | None, pillar: str | None
) -> tuple[list[OutcomeRow], list[str]]:
    rows = views.outcomes.totals()
    chosen = [
        r for r in rows if fiscal_year in (None, r.fiscal_year) and pillar in (None, r.pillar)
    ]
    order = {p.value: n for n, p in enumerate(Pillar)}
    chosen.sort(key=lambda r: (order[r.pillar], r.indicator, r.fiscal_year))
    return chosen, sorted({r.fiscal_year for r in rows})


def _outcome_charts(t: Translator, rows: list[OutcomeRow], framework: Framework) -> list[BarChart]:
    """An indicator's reported totals year by year: one chart each, since indicators
    count different things and share no scale."""
    years: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        years[(row.pillar, row.indicator)].append((row.fiscal_year, row.total))
    reported = Series(t("field.reported_total"), "disbursed")
    return [
        bar_chart(
            f"outcome-chart-{pillar}-{indicator}",
            f"{t.name(framework.indicator_names(indicator))} · {t.pillar(pillar)}",
            [reported],
            [(year, (total,)) for year, total in totals],
            t.number,
        )
        for (pillar, indicator), totals in years.items()
    ]


@get("/outcomes", sync_to_thread=True)
def outcomes_page(
    request: Request[Any, Any, Any],
    views: NamedDependency[Views],
    grants: NamedDependency[Grants],
    fiscal_year: TextQuery = None,
    pillar: TextQuery = None,
) -> Template:
    rows, years = _outcomes(views, _chosen(fiscal_year), _chosen(pillar))
    framework = grants.framework()
    by_pillar: dict[str, list[OutcomeRow]] = defaultdict(list)
    for row in rows:
        by_pillar[row.pillar].append(row)
    t = translator(request)
    query = request.url.query
    return page(
        request,
        "outcomes.html",
        by_pillar=by_pillar,
        charts=_outcome_charts(t, rows, framework),
        framework=framework,
        year_options=[(year, year) for year in years],
        pillar_options=[(p.value, t.pillar(p)) for p in Pillar],
        fiscal_year=fiscal_year or "",
        pillar=pillar or "",
        query=f"?{query}" if query else "",
    )


@get("/outcomes.csv", sync_to_thread=True)
def outcomes_csv(
    request: Request[Any, Any, Any],
    views: NamedDependency[Views],
    grants: NamedDependency[Grants],
    fiscal_year: TextQuery = None,
    pillar: TextQuery = None,
) -> Response[str]:
    t = translator(request)
    rows, _ = _outcomes(views, _chosen(fiscal_year), _chosen(pillar))
    framework = grants.framework()
    header = [
        t("field.pillar"),
        t("field.indicator"),
        t("field.fiscal_year"),
        t("field.reported_total"),
        t("field.projects_reporting"),
    ]
    return csv_download(
        "outcomes-by-pillar.csv",
        header,
        (
            [
                t.pillar(r.pillar),
                t.name(framework.indicator_names(r.indicator)),
                r.fiscal_year,
                r.total,
                r.projects,
            ]
            for r in rows
        ),
    )


STRATEGY_PAGES = [funding_page, funding_csv, trend_csv, outcomes_page, outcomes_csv]

"""The open-data files for finance and the Strategy team to download: the proactive
disclosure per fiscal year and the 360Giving package. A file that cannot be written
yet says why on the page."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.exports.proactive_disclosure import PublicationDetailsMissing
from grants.finance.open_data import NothingToPublish, disclosure_csv, giving360_json
from grants.projections import Views
from grants.web.layout import attachment, page, translator


def _exports_page(
    request: Request[Any, Any, Any],
    views: Views,
    *,
    status_code: int = 200,
    refusal: str | None = None,
    detail: str | None = None,
) -> Template:
    """The links, one per fiscal year with funding; ``refusal`` says why a file was
    not written (``detail``: the rule's own words, in English)."""
    years = {FiscalYear.of(date.today()), *(r.fiscal_year for r in views.funding.rows())}
    return page(
        request,
        "exports.html",
        status_code=status_code,
        years=sorted(map(str, years), reverse=True),
        refusal=refusal,
        detail=detail,
    )


@get("/exports", sync_to_thread=True)
def exports_page(request: Request[Any, Any, Any], views: NamedDependency[Views]) -> Template:
    return _exports_page(request, views)


@get("/exports/proactive-disclosure.csv", sync_to_thread=True)
def disclosure_download(
    request: Request[Any, Any, Any],
    grants: NamedDependency[Grants],
    views: NamedDependency[Views],
    fiscal_year: FromQuery[FiscalYear],
) -> Response[Any]:
    try:
        return attachment(disclosure_csv(fiscal_year, None, grants, views))
    except PublicationDetailsMissing as missing:
        t = translator(request)
        return _exports_page(
            request,
            views,
            status_code=409,
            refusal=t("exports.publication_details_missing", year=fiscal_year),
            detail=str(missing),
        )


@get("/exports/360giving.json", sync_to_thread=True)
def giving360_download(
    request: Request[Any, Any, Any],
    grants: NamedDependency[Grants],
    views: NamedDependency[Views],
) -> Response[Any]:
    try:
        download = giving360_json(
            None, None, grants, views, issued=date.today(), source=str(request.url)
        )
        return attachment(download)
    except NothingToPublish:
        refusal = translator(request)("exports.nothing_to_publish")
        return _exports_page(request, views, status_code=404, refusal=refusal)


EXPORT_PAGES = [exports_page, disclosure_download, giving360_download]

"""Open-data exports: the Government of Canada's proactive disclosure of grants and
contributions (CSV), and the same funding as 360Giving JSON."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery

from grants.api.openapi import problem_response
from grants.api.problems import problem
from grants.api.views import reached
from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.exports.proactive_disclosure import PublicationDetailsMissing
from grants.finance.downloads import Download
from grants.finance.open_data import NothingToPublish, disclosure_csv, giving360_json, nil_csv
from grants.http_values import DepartmentQuery, PositionQuery


class Exports(Controller):
    path = "/api/exports"
    tags = ["exports"]

    @get(
        "/proactive-disclosure",
        media_type="text/csv",
        responses={409: problem_response("A program has no publication details")},
    )
    async def proactive_disclosure(
        self,
        fiscal_year: FromQuery[FiscalYear],
        services: NamedDependency[Services],
        department: DepartmentQuery = None,
        min_position: PositionQuery = None,
    ) -> Response[str]:
        """Agreements signed and amended in the fiscal year (of one department, when
        one is given), as the open-data portal takes them (``grants.yaml`` of
        ckanext-canada)."""
        await reached(services, [services.views.awards], min_position)
        try:
            download = await anyio.to_thread.run_sync(
                disclosure_csv, fiscal_year, department, services.grants, services.views
            )
        except PublicationDetailsMissing as missing:
            raise problem(
                409, "publication_details_missing", "Publication details missing", str(missing)
            ) from None
        return _attachment(download)

    @get("/proactive-disclosure-nil", media_type="text/csv")
    async def proactive_disclosure_nil(
        self,
        fiscal_year: FromQuery[FiscalYear],
        services: NamedDependency[Services],
        department: DepartmentQuery = None,
        min_position: PositionQuery = None,
    ) -> Response[str]:
        """The quarters of the fiscal year, over by today, with no agreement to
        disclose (of one department, when one is given): the portal's "nothing to
        report" records (the ``grants-nil`` resource of ``grants.yaml``)."""
        await reached(services, [services.views.awards], min_position)
        download = await anyio.to_thread.run_sync(
            nil_csv, fiscal_year, department, services.views, date.today()
        )
        return _attachment(download)

    @get(
        "/360giving",
        responses={
            200: ResponseSpec(
                data_container=dict[str, Any],
                media_type="application/json",
                description="A 360Giving 1.4 data package",
                generate_examples=False,
            ),
            404: problem_response(
                "Nothing was awarded in the fiscal year: a 360Giving package holds at least "
                "one grant, so an empty year has no valid package"
            ),
        },
    )
    async def giving360(
        self,
        request: Request[Any, Any, Any],
        services: NamedDependency[Services],
        fiscal_year: FromQuery[FiscalYear | None] = None,
        department: DepartmentQuery = None,
        min_position: PositionQuery = None,
    ) -> Response[bytes]:
        """Every grant awarded (in the fiscal year of its award, when one is given),
        with its commitments and disbursements as transactions. With ``department``,
        one funder's package, as 360Giving's checks expect of a file."""
        views = services.views
        await reached(services, (views.awards, views.payments), min_position)
        try:
            download = await anyio.to_thread.run_sync(
                lambda: giving360_json(
                    fiscal_year,
                    department,
                    services.grants,
                    views,
                    issued=date.today(),
                    source=str(request.url.with_replacements(query=_published_query(request))),
                )
            )
        except NothingToPublish as nothing:
            raise problem(404, "nothing_to_publish", "Nothing to publish", str(nothing)) from None
        return Response(download.content, media_type=download.media_type)


def _published_query(request: Request[Any, Any, Any]) -> str:
    """The request's query without ``min_position``, which says when to answer, not
    what: the address others can fetch the same package from."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "min_position"])


def _attachment(download: Download[str]) -> Response[str]:
    return Response(
        download.content,
        media_type=download.media_type,
        headers={"Content-Disposition": download.disposition},
    )

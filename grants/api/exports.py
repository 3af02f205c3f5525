"""Open-data exports: the Government of Canada's proactive disclosure of grants and
contributions (CSV), and the same funding as 360Giving JSON."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from grants.api.problems import problem
from grants.api.views import reached
from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.exports.proactive_disclosure import PublicationDetailsMissing
from grants.finance.open_data import NothingToPublish, disclosure_csv, giving360_json
from grants.projections import Views


class Exports(Controller):
    path = "/api/exports"
    tags = ["exports"]

    @get("/proactive-disclosure", sync_to_thread=True)
    def proactive_disclosure(
        self,
        fiscal_year: FromQuery[FiscalYear],
        grants: NamedDependency[Grants],
        views: NamedDependency[Views],
        min_position: FromQuery[int | None] = None,
    ) -> Response[str]:
        """Agreements signed and amended in the fiscal year, as the open-data portal
        takes them (``grants.yaml`` of ckanext-canada)."""
        reached(views.awards, min_position)
        try:
            download = disclosure_csv(fiscal_year, grants, views)
        except PublicationDetailsMissing as missing:
            raise problem(
                409, "publication_details_missing", "Publication details missing", str(missing)
            ) from None
        return Response(
            download.content,
            media_type=download.media_type,
            headers={"Content-Disposition": download.disposition},
        )

    @get("/360giving", sync_to_thread=True)
    def giving360(
        self,
        grants: NamedDependency[Grants],
        views: NamedDependency[Views],
        fiscal_year: FromQuery[FiscalYear | None] = None,
        min_position: FromQuery[int | None] = None,
    ) -> Response[bytes]:
        """Every grant awarded (in the fiscal year of its award, when one is given),
        with its commitments and disbursements as transactions."""
        for view in (views.awards, views.payments):
            reached(view, min_position)
        try:
            download = giving360_json(fiscal_year, grants, views, issued=date.today())
        except NothingToPublish as nothing:
            raise problem(404, "nothing_to_publish", "Nothing to publish", str(nothing)) from None
        return Response(download.content, media_type=download.media_type)

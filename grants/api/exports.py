"""Open-data exports: the Government of Canada's proactive disclosure of grants and
contributions (CSV), and the same funding as 360Giving JSON."""

from __future__ import annotations

from datetime import date

import msgspec
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from grants.api.problems import problem
from grants.api.views import reached
from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.exports import giving360, proactive_disclosure
from grants.exports.proactive_disclosure import PublicationDetailsMissing
from grants.projections import Views

_ENCODE_360 = msgspec.json.Encoder(decimal_format="number").encode


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
        programs = {program.id: program for program in grants.programs()}
        awards = {award.project_id: award for award in views.awards.awards(signed=True)}
        try:
            table = proactive_disclosure.rows(
                fiscal_year, views.awards.amendments(fiscal_year.ends_on), awards, programs
            )
        except PublicationDetailsMissing as missing:
            raise problem(
                409, "publication_details_missing", "Publication details missing", str(missing)
            ) from None
        return Response(
            proactive_disclosure.to_csv(table),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="grants-{fiscal_year}.csv"'},
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
        awards = [
            award
            for award in views.awards.awards(approved=True)
            if fiscal_year is None
            or (award.approved_on and FiscalYear.of(award.approved_on) == fiscal_year)
        ]
        package = giving360.package(
            awards,
            {program.id: program for program in grants.programs()},
            views.awards.commitments(),
            views.payments.paid(None),
            issued=date.today(),
        )
        if not package["grants"]:
            raise problem(404, "nothing_to_publish", "Nothing to publish", "no grant was awarded")
        return Response(_ENCODE_360(package), media_type="application/json")

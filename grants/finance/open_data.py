"""The open-data files, from the programs and the views: the Government of Canada's
proactive disclosure of grants and contributions (CSV), and the same funding as
360Giving JSON."""

from __future__ import annotations

from datetime import date

import msgspec

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.exports import giving360, proactive_disclosure
from grants.finance.downloads import Download
from grants.projections import Views

_ENCODE_360 = msgspec.json.Encoder(decimal_format="number").encode


class NothingToPublish(Exception):
    def __init__(self) -> None:
        super().__init__("no grant was awarded")


def disclosure_csv(fiscal_year: FiscalYear, grants: Grants, views: Views) -> Download[str]:
    """Agreements signed and amended in the fiscal year, as the open-data portal takes
    them (``grants.yaml`` of ckanext-canada); refused with ``PublicationDetailsMissing``
    while a program lacks what the table publishes of it."""
    programs = {program.id: program for program in grants.programs()}
    awards = {award.project_id: award for award in views.awards.awards(signed=True)}
    table = proactive_disclosure.rows(
        fiscal_year, views.awards.amendments(fiscal_year.ends_on), awards, programs
    )
    # Litestar adds the charset to a text/ type itself.
    return Download(f"grants-{fiscal_year}.csv", "text/csv", proactive_disclosure.to_csv(table))


def giving360_json(
    fiscal_year: FiscalYear | None, grants: Grants, views: Views, issued: date
) -> Download[bytes]:
    """Every grant awarded (in the fiscal year of its award, when one is given), with
    its commitments and disbursements as transactions."""
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
        issued=issued,
    )
    if not package["grants"]:
        raise NothingToPublish
    name = f"grants-{fiscal_year}.360giving.json" if fiscal_year else "grants.360giving.json"
    return Download(name, "application/json", _ENCODE_360(package))

"""The open-data files, from the programs and the views: the Government of Canada's
proactive disclosure of grants and contributions (CSV), and the same funding as
360Giving JSON."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.exports import giving360, proactive_disclosure
from grants.exports.proactive_disclosure import NIL_COLUMNS
from grants.finance.downloads import Download
from grants.projections import Views
from grants.projections.awards import Award

_ENCODE_360 = msgspec.json.Encoder(decimal_format="number").encode


class NothingToPublish(Exception):
    def __init__(self) -> None:
        super().__init__("no grant was awarded")


def disclosure_csv(
    fiscal_year: FiscalYear, department: str | None, grants: Grants, views: Views
) -> Download[str]:
    """Agreements signed and amended in the fiscal year (of one department, when one is
    given), as the open-data portal takes them (``grants.yaml`` of ckanext-canada);
    refused with ``PublicationDetailsMissing`` while a program lacks what the table
    publishes of it."""
    programs = {program.id: program for program in grants.programs()}
    table = proactive_disclosure.rows(
        fiscal_year,
        views.awards.amendments(fiscal_year.ends_on),
        _signed(views, department),
        programs,
    )
    # Litestar adds the charset to a text/ type itself.
    name = "-".join(["grants", *filter(None, [department, fiscal_year])]) + ".csv"
    return Download(name, "text/csv", proactive_disclosure.to_csv(table))


def nil_csv(
    fiscal_year: FiscalYear, department: str | None, views: Views, today: date
) -> Download[str]:
    """The quarters of the fiscal year, over by ``today``, with nothing to disclose (of
    one department, when one is given): the portal's "nothing to report" records."""
    table = proactive_disclosure.nil_rows(
        fiscal_year, views.awards.amendments(fiscal_year.ends_on), _signed(views, department), today
    )
    name = "-".join(["grants-nil", *filter(None, [department, fiscal_year])]) + ".csv"
    return Download(name, "text/csv", proactive_disclosure.to_csv(table, NIL_COLUMNS))


def _signed(views: Views, department: str | None) -> dict[UUID, Award]:
    return {
        award.project_id: award for award in views.awards.awards(signed=True, department=department)
    }


def giving360_json(
    fiscal_year: FiscalYear | None,
    department: str | None,
    grants: Grants,
    views: Views,
    issued: date,
    source: str,
) -> Download[bytes]:
    """Every grant awarded (in the fiscal year of its award, when one is given; by the
    department, when one is given), with its commitments and disbursements as
    transactions; ``source``: the address it is published at."""
    awards = [
        award
        for award in views.awards.awards(approved=True, department=department)
        if fiscal_year is None
        or (award.approved_on and FiscalYear.of(award.approved_on) == fiscal_year)
    ]
    package = giving360.package(
        awards,
        {program.id: program for program in grants.programs()},
        views.awards.commitments(),
        views.payments.paid(None),
        issued=issued,
        source=source,
    )
    if not package["grants"]:
        raise NothingToPublish
    name = "-".join(["grants", *filter(None, [department, fiscal_year])]) + ".360giving.json"
    return Download(name, "application/json", _ENCODE_360(package))

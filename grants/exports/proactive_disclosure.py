"""The Government of Canada's proactive disclosure of grants and contributions: the
open-data table's columns in its order, one row per agreement over $25,000 (amendment 0)
and one per amendment, each with the agreement's total value after it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from uuid import UUID

from grants import money
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.projections.awards import Amendment, Award
from grants.spreadsheet import Number, csv_text

COLUMNS = (
    "ref_number", "amendment_number", "amendment_date", "agreement_type", "recipient_type",
    "recipient_business_number", "recipient_legal_name", "recipient_operating_name",
    "research_organization_name", "recipient_country", "recipient_province", "recipient_city",
    "recipient_postal_code", "federal_riding_name_en", "federal_riding_name_fr",
    "federal_riding_number", "prog_name_en", "prog_name_fr", "prog_purpose_en",
    "prog_purpose_fr", "agreement_title_en", "agreement_title_fr", "agreement_number",
    "agreement_value", "foreign_currency_type", "foreign_currency_value",
    "agreement_start_date", "agreement_end_date", "coverage", "description_en",
    "description_fr", "naics_identifier", "expected_results_en", "expected_results_fr",
    "additional_information_en", "additional_information_fr",
)  # fmt: skip

# The columns of the table's "nothing to report" resource (grants-nil).
NIL_COLUMNS = ("fiscal_year", "quarter")

# Section 87 of the Access to Information Act: more than $25,000, or amended to that.
THRESHOLD_CENTS = 25_000_00

# Fields the agreement's disclosure carries under the column's own name.
_FROM_DISCLOSURE = (
    "recipient_type", "recipient_operating_name", "recipient_city", "recipient_postal_code",
    "federal_riding_name_en", "federal_riding_name_fr", "federal_riding_number",
    "agreement_number", "coverage", "description_en", "description_fr", "naics_identifier",
    "expected_results_en", "expected_results_fr", "additional_information_en",
    "additional_information_fr",
)  # fmt: skip


class PublicationDetailsMissing(Exception):
    """Programs whose agreements cannot be published without their department number
    and purpose."""

    def __init__(self, programs: list[Program]) -> None:
        names = ", ".join(p.name_en for p in programs)
        super().__init__(f"set the publication details (department number, purpose) of: {names}")


def rows(
    fiscal_year: FiscalYear,
    amendments: Iterable[Amendment],
    awards: Mapping[UUID, Award],
    programs: Mapping[UUID, Program],
) -> list[dict[str, str]]:
    """The rows for the agreements of ``awards`` signed and amended in the fiscal year.
    ``amendments`` holds every signing and amendment up to the year's end, so that an
    amendment of an agreement disclosed before is disclosed too."""
    chosen = _disclosed(fiscal_year, amendments, awards)
    unpublished = {
        award.program_id: programs[award.program_id]
        for award, _, _ in chosen
        if programs[award.program_id].publication is None
    }
    if unpublished:
        raise PublicationDetailsMissing(list(unpublished.values()))
    chosen.sort(
        key=lambda row: (row[1].amended_on, ref_number(row[0], programs), row[1].amendment_number)
    )
    return [
        _row(award, amendment, started_on, programs[award.program_id])
        for award, amendment, started_on in chosen
    ]


def nil_rows(
    fiscal_year: FiscalYear,
    amendments: Iterable[Amendment],
    awards: Mapping[UUID, Award],
    today: date,
) -> list[dict[str, str]]:
    """The table's "nothing to report" records (its ``grants-nil`` resource): the
    quarters of the fiscal year, over by ``today``, in which none of ``awards`` was
    signed or amended so as to be disclosed."""
    busy = {
        FiscalYear.quarter(a.amended_on) for _, a, _ in _disclosed(fiscal_year, amendments, awards)
    }
    start = fiscal_year.start_year
    return [
        {"fiscal_year": f"{start}-{start + 1}", "quarter": f"Q{quarter}"}
        for quarter in range(1, 5)
        if quarter not in busy and fiscal_year.quarter_days(quarter)[1] < today
    ]


def _disclosed(
    fiscal_year: FiscalYear, amendments: Iterable[Amendment], awards: Mapping[UUID, Award]
) -> list[tuple[Award, Amendment, date]]:
    """Each signing and amendment of ``awards`` the fiscal year discloses, with the
    initial agreement's start date, which the table gives on every amendment's row."""
    history: dict[UUID, list[Amendment]] = defaultdict(list)
    for amendment in sorted(amendments, key=lambda a: (a.project_id, a.amendment_number)):
        if amendment.project_id in awards:
            history[amendment.project_id].append(amendment)
    chosen = []
    for project_id, versions in history.items():
        disclosed = False
        started_on = versions[0].start_on
        for amendment in versions:
            disclosed = disclosed or amendment.value_cents > THRESHOLD_CENTS
            if disclosed and FiscalYear.of(amendment.amended_on) == fiscal_year:
                chosen.append((awards[project_id], amendment, started_on))
    return chosen


def ref_number(award: Award, programs: Mapping[UUID, Program]) -> str:
    """``DDD-YYYY-YYYY-QX-XXXXX``: the department's number, the fiscal year and quarter
    the agreement was signed in, and its number among that quarter's agreements."""
    publication = programs[award.program_id].publication
    assert publication is not None and award.ref_fiscal_year is not None
    start = FiscalYear(award.ref_fiscal_year).start_year
    return (
        f"{publication.department_number}-{start}-{start + 1}"
        f"-Q{award.ref_quarter}-{award.ref_sequence:05d}"
    )


def to_csv(table: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    """The table as the portal loads it; names, titles and descriptions are people's
    typing, and no spreadsheet opening the file takes them for formulas."""
    rows = ([row[name] for name in columns] for row in table)
    return csv_text(columns, rows, lineterminator="\n")


def _row(award: Award, amendment: Amendment, started_on: date, program: Program) -> dict[str, str]:
    publication = program.publication
    assert publication is not None
    disclosure = award.disclosure or {}
    recipient = award.recipient
    legal_name_fr = disclosure.get("recipient_legal_name_fr", "")
    row = dict.fromkeys(COLUMNS, "")
    row.update({name: disclosure.get(name, "") for name in _FROM_DISCLOSURE})
    row.update(
        ref_number=ref_number(award, {award.program_id: program}),
        amendment_number=str(amendment.amendment_number),
        amendment_date=amendment.amended_on.isoformat() if amendment.amendment_number else "",
        agreement_type="G" if award.transfer_type == "grant" else "C",
        recipient_business_number=(recipient.get("business_number") or "")[:9],
        recipient_legal_name=recipient["legal_name"]
        + (f"|{legal_name_fr}" if legal_name_fr else ""),
        recipient_country=recipient.get("country", "CA"),
        recipient_province=recipient.get("province") or "",
        prog_name_en=program.name_en,
        prog_name_fr=program.name_fr,
        prog_purpose_en=publication.purpose_en,
        prog_purpose_fr=publication.purpose_fr,
        agreement_title_en=award.title_en,
        agreement_title_fr=award.title_fr or award.title_en,
        agreement_value=Number(money.plain(amendment.value_cents)),
        agreement_start_date=started_on.isoformat(),
        agreement_end_date=amendment.end_on.isoformat(),
    )
    return row

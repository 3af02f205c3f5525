"""The file for the Horizontal Initiatives Database: each table with the columns of the
published layout (tests/schemas/hid-horizontal-initiatives.yaml), in its order, keyed
by the initiative's code and the fiscal year, and the values its rules allow."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import yaml
from litestar import Litestar
from litestar.testing import TestClient

from grants import demo
from grants.bootstrap import Services

LAYOUT = yaml.safe_load(
    (Path(__file__).parents[1] / "schemas" / "hid-horizontal-initiatives.yaml").read_text()
)


def test_a_table_s_layout_is_verified_only_against_the_published_source_it_names() -> None:
    for name, table in LAYOUT["tables"].items():
        assert bool(table["source"]) == table["verified"], name


@pytest.mark.slow
def test_the_demo_year_files_as_the_database_lays_its_tables_out(
    services: Services, client: TestClient[Litestar], projections: None
) -> None:
    position = demo.load(services.grants, services.database_url)
    answer = client.get(
        f"/api/exports/horizontal-initiatives?fiscal_year=2022-23&min_position={position}",
        headers={"Authorization": f"Bearer {demo.token('sasha')}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(answer.content))
    tables = {
        name.rsplit("-", 1)[1].removesuffix(".csv"): list(
            csv.DictReader(io.StringIO(files.read(name).decode()))
        )
        for name in files.namelist()
    }
    assert set(tables) == set(LAYOUT["tables"])
    for name, rows in tables.items():
        header = next(csv.reader(io.StringIO(files.read(_file(files, name)).decode())))
        assert header == LAYOUT["tables"][name]["columns"], name
        assert rows and all((r["HI Code"], r["Fiscal year"]) == ("0000", "2022-23") for r in rows)

    indicators = {r["Indicator Code"]: r for r in tables["indicators"]}
    layout = LAYOUT["tables"]["indicators"]
    assert {r["Result Status"] for r in indicators.values()} <= set(layout["statuses"])
    assert all(len(r["Explanation"]) <= layout["explanation_length"] for r in indicators.values())
    permits = indicators["temporary_resident_permits"]
    assert (permits["Target Type"], permits["Target"], permits["Actual Results"]) == (
        "Minimum",
        "75",
        "166",
    )
    assert (permits["Date to Achieve Target"], permits["Result Status"]) == ("2023-03-31", "Met")
    leads = indicators["leads_assessed"]
    assert (leads["Minimum Target"], leads["Maximum Target"]) == ("8000", "12000")
    # 004: $57.22M over five years and $10.28M a year after (two), the hotline's $14.51M
    # and $2.89M a year after (three): the Strategy's planned money in the demo.
    [general] = tables["general"]
    assert general["Lead Department"] == "Public Safety Canada"
    total = general[LAYOUT["tables"]["general"]["columns"][8]]
    assert total == "100960000.00"
    cbsa = [r for r in tables["partners"] if r["Department Code"] == "CBSA"]
    assert [(r["Planned Spending (dollars)"], r["Pillar"]) for r in cbsa] == [
        ("1500000.00", "Protection")
    ]


def _file(files: zipfile.ZipFile, table: str) -> str:
    return next(name for name in files.namelist() if name.endswith(f"-{table}.csv"))

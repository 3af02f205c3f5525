"""The open-data exports: the proactive disclosure CSV has exactly the published table's
columns and one row per agreement and amendment, meeting its rules; the 360Giving
package validates against the published schema. Both on the demo data."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from litestar import Litestar
from litestar.testing import TestClient
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from grants import demo
from grants.bootstrap import Services
from tests.api import Api
from tests.publishers import data_quality, table_violations

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
_REF_NUMBER = re.compile(r"\d{3}-(\d{4})-(\d{4})-Q[1-4]-\d{5}")


def published_columns() -> list[str]:
    """The CSV's columns: the first resource's fields up to ``additional_information_fr``."""
    table = yaml.safe_load((SCHEMAS / "gc-proactive-disclosure-grants.yaml").read_text())
    names = [field["datastore_id"] for field in table["resources"][0]["fields"]]
    return names[: names.index("additional_information_fr") + 1]


def validate_360giving(package: Any) -> None:
    """Against the package schema, its reference to the grant schema served locally."""
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    schema = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    ref = schema["properties"]["grants"]["items"]["$ref"]
    # The schemas name their dialect with an address `referencing` does not know.
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources([(ref, resource), (grant["$id"], resource)])
    validator = jsonschema.Draft202012Validator(
        schema, registry=registry, format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(package), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


@pytest.fixture
def demo_loaded(services: Services, projections: None) -> int:
    return demo.load(services.grants, services.database_url)


def get(client: TestClient[Litestar], path: str, headers: dict[str, str] | None = None) -> Any:
    """A read by the analyst (the demo's unless other headers are given)."""
    headers = headers or {"Authorization": f"Bearer {demo.token('sasha')}"}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response


@pytest.mark.slow
def test_the_demo_disclosure_has_the_published_columns_and_a_row_per_agreement(
    services: Services, client: TestClient[Litestar], demo_loaded: int
) -> None:
    published = []
    for year in ("2018-19", "2019-20", "2020-21", "2021-22", "2022-23"):
        text = get(
            client,
            f"/api/exports/proactive-disclosure?fiscal_year={year}&min_position={demo_loaded}",
        ).text
        header, rows = read_csv(text)
        assert header == published_columns()
        expected = sorted(
            project.title_en
            for row in services.views.projects.page(limit=500)[1]
            if (project := services.grants.project(row.project_id)).agreement is not None
            and str(project.agreement.signed_on) >= f"{year[:4]}-04-01"
            and str(project.agreement.signed_on) <= f"{int(year[:4]) + 1}-03-31"
            and project.value_cents > 25_000_00
        )
        assert sorted(row["agreement_title_en"] for row in rows) == expected
        for row in rows:
            match = _REF_NUMBER.fullmatch(row["ref_number"])
            assert match and int(match[2]) == int(match[1]) + 1, row["ref_number"]
        published += rows
    # The portal's rules, and its primary key across the years.
    assert table_violations(published) == []


def test_an_amendment_is_a_row_of_its_own_with_the_value_after_it(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    answer = client.put(
        f"/api/programs/{program_id}/publication",
        json={"department_number": "123", "purpose_en": "To help victims.",
              "purpose_fr": "Aider les victimes."},
        headers=as_["olivia"],
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    small = api.under_agreement(program_id, {"2021-22": 20_000_00})
    large = api.under_agreement(program_id, {"2021-22": 30_000_00, "2022-23": 10_000_00})
    api.post(
        f"/api/projects/{small}/amendments",
        {"cash_flow": [{"fiscal_year": "2021-22", "amount_cents": 26_000_00}],
         "effective_on": "2021-11-01"},
    )  # fmt: skip
    last = api.post(
        f"/api/projects/{large}/amendments",
        {"cash_flow": [{"fiscal_year": "2021-22", "amount_cents": 30_000_00},
                       {"fiscal_year": "2022-23", "amount_cents": 20_000_00}],
         "effective_on": "2022-01-10"},
    )  # fmt: skip

    _, rows = read_csv(
        get(
            client,
            "/api/exports/proactive-disclosure?fiscal_year=2021-22"
            f"&min_position={last['position']}",
            as_["sasha"],
        ).text
    )
    # The small agreement appears once amended over $25,000; the large one at signing
    # and again when amended, under the same reference number.
    assert [
        (row["ref_number"], row["amendment_number"], row["amendment_date"], row["agreement_value"])
        for row in rows
    ] == [
        ("123-2021-2022-Q1-00002", "0", "", "40000.00"),
        ("123-2021-2022-Q1-00001", "1", "2021-11-01", "26000.00"),
        ("123-2021-2022-Q1-00002", "1", "2022-01-10", "50000.00"),
    ]
    assert rows[0]["recipient_legal_name"] == "NOW Canada Society"
    assert rows[0]["prog_purpose_fr"] == "Aider les victimes."


def test_a_program_without_publication_details_is_named_when_the_export_is_refused(
    client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 100_000_00})
    project = api.under_agreement(program_id, {"2021-22": 30_000_00})
    assert api.get(f"/api/projects/{project}")["status"] == "under_agreement"
    position = api.position()
    response = client.get(
        f"/api/exports/proactive-disclosure?fiscal_year=2021-22&min_position={position}",
        headers=as_["sasha"],
    )
    assert response.status_code == 409
    assert response.json()["code"] == "publication_details_missing"
    assert "Victims Fund" in response.json()["detail"]


@pytest.mark.slow
def test_the_demo_as_360giving_validates_and_adds_up(
    client: TestClient[Litestar], demo_loaded: int
) -> None:
    package = json.loads(
        get(client, f"/api/exports/360giving?min_position={demo_loaded}").text,
        parse_float=Decimal,
    )
    validate_360giving(package)
    assert package["issued"] == date.today().isoformat()
    funding = get(client, f"/api/views/funding-by-pillar?min_position={demo_loaded}").json()
    disbursed = sum(t["value"] for g in package["grants"] for t in g["disbursementTransaction"])
    committed = sum(g["amountAwarded"] for g in package["grants"])
    assert disbursed * 100 == funding["totals"]["disbursed_cents"]
    assert committed * 100 == funding["totals"]["committed_cents"]
    for department in ("PS", "WAGE", "JUS", "ESDC", "GAC"):
        mine = json.loads(
            get(client, f"/api/exports/360giving?department={department}").text,
            parse_float=Decimal,
        )
        validate_360giving(mine)
        # What is left by design: recipients the demo gives no business number.
        assert set(data_quality(mine)) == {
            "RecipientOrg360GPrefix",
            "NoRecipientOrgCompanyCharityNumber",
        }, department
    hotline = next(
        g for g in package["grants"] if g["title"] == "Canadian Human Trafficking Hotline"
    )
    assert hotline["amountAwarded"] == Decimal("12500000.00")
    assert hotline["recipientOrganization"][0]["name"] == "Canadian Centre to End Human Trafficking"

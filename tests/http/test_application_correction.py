"""An application is corrected through the API until it is assessed, whole, with the
rules it was received under; after, the correction is refused and nothing is stored."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api import Api
from tests.http.test_api_refusals import refused

CORRECTED = {
    "recipient": {"legal_name": "Maison Marie-Ève", "province": "QC"},
    "title_en": "Safe housing",
    "title_fr": "Hébergement sécuritaire",
    "pillar": "protection",
    "requested_cents": 80_000_00,
    "effective_on": "2021-05-03",
}


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]]) -> Api:
    return Api(client, as_)


def test_an_application_is_corrected_until_its_assessment(api: Api) -> None:
    project_id = api.application(api.program({"2021-22": 100_000_00}))
    response = api.client.put(
        f"/api/projects/{project_id}/application", json=CORRECTED, headers=api.as_["olivia"]
    )
    assert response.status_code == 200, response.text
    project = api.get(f"/api/projects/{project_id}")
    assert (project["title_fr"], project["requested_cents"]) == (
        "Hébergement sécuritaire",
        80_000_00,
    )
    assert project["recipient"]["legal_name"] == "Maison Marie-Ève"

    api.post(
        f"/api/projects/{project_id}/assessment",
        {"score": 80, "recommendation": "fund", "effective_on": "2021-05-04"},
    )
    problem = refused(
        api,
        409,
        "status_forbids",
        lambda: api.client.put(
            f"/api/projects/{project_id}/application",
            json={**CORRECTED, "requested_cents": 1_00},
            headers=api.as_["olivia"],
        ),
    )
    assert "Assessed" in problem["detail"] or "assessed" in problem["detail"]


def test_a_correction_into_a_pillar_the_program_does_not_serve_is_refused(api: Api) -> None:
    project_id = api.application(api.program({"2021-22": 100_000_00}))
    problem = refused(
        api,
        422,
        "invalid_pillar",
        lambda: api.client.put(
            f"/api/projects/{project_id}/application",
            json={**CORRECTED, "pillar": "prosecution"},
            headers=api.as_["olivia"],
        ),
    )
    assert problem["field"] == "pillar"

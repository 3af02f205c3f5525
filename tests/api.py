"""Steps of a project's life through the HTTP API, for the API tests."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from tests.results_framework import EXPECTED_RESULT, body, definition

PROGRAM = {
    "department": "JUS",
    "name_en": "Victims Fund",
    "name_fr": "Fonds d'aide aux victimes",
    "transfer_type": "contribution",
    "pillars": ["protection"],
}


class Api:
    """A client that checks each step succeeded and returns its answer."""

    def __init__(self, client: TestClient[Litestar], as_: dict[str, dict[str, str]]) -> None:
        self.client = client
        self.as_ = as_

    def post(
        self, path: str, body: Any, who: str = "olivia", headers: dict[str, str] | None = None
    ) -> Any:
        response = self.client.post(path, json=body, headers={**self.as_[who], **(headers or {})})
        assert response.status_code in (200, 201), response.text
        return response.json()

    def get(self, path: str, who: str = "sasha") -> Any:
        response = self.client.get(path, headers=self.as_[who])
        assert response.status_code == 200, response.text
        return response.json()

    def program(self, allocations: dict[str, int]) -> str:
        program_id: str = self.post("/api/programs", PROGRAM)["id"]
        for year, cents in allocations.items():
            response = self.client.put(
                f"/api/programs/{program_id}/allocations/{year}",
                json={"amount_cents": cents},
                headers=self.as_["olivia"],
            )
            assert response.status_code == 200, response.text
        return program_id

    def application(self, program_id: str, requested_cents: int = 100_000_00) -> str:
        project_id: str = self.post(
            "/api/projects",
            {
                "program_id": program_id,
                "recipient": {"legal_name": "NOW Canada Society", "province": "BC"},
                "title_en": "The Essentials",
                "title_fr": "L'essentiel",
                "pillar": "protection",
                "requested_cents": requested_cents,
                "effective_on": "2021-05-01",
            },
        )["id"]
        return project_id

    def approved(self, program_id: str, cash_flow: dict[str, int]) -> str:
        project_id = self.application(program_id, sum(cash_flow.values()))
        self.post(
            f"/api/projects/{project_id}/assessment",
            {"score": 82, "recommendation": "fund", "effective_on": "2021-05-10"},
        )
        self.post(
            f"/api/projects/{project_id}/approval",
            {
                "cash_flow": [{"fiscal_year": y, "amount_cents": c} for y, c in cash_flow.items()],
                "effective_on": "2021-05-20",
            },
        )
        return project_id

    def under_agreement(
        self, program_id: str, cash_flow: dict[str, int], holdback_percent: int = 10
    ) -> str:
        project_id = self.approved(program_id, cash_flow)
        self.post(
            f"/api/projects/{project_id}/agreement",
            {
                "signed_on": "2021-06-01",
                "start_on": "2021-06-01",
                "end_on": "2023-03-31",
                "payment_basis": "reimbursement",
                "holdback_percent": holdback_percent,
                "disclosure": {
                    "recipient_city": "Ottawa",
                    "description_en": "Support for survivors of human trafficking.",
                    "description_fr": "Soutien aux personnes survivantes de la traite.",
                },
            },
        )
        return project_id

    def pay(self, project_id: str, year: str, cents: int, ref: str, **kind: str) -> str:
        """Certified by Olivia on September 1 of that year, released by Fiona on the 15th."""
        request_id: str = self.post(
            f"/api/projects/{project_id}/payment-requests",
            {
                "fiscal_year": year,
                "amount_cents": cents,
                "effective_on": f"{year[:4]}-09-01",
                **kind,
            },
        )["id"]
        self.post(
            f"/api/projects/{project_id}/disbursements",
            {
                "payment_request_id": request_id,
                "payment_ref": ref,
                "paid_on": f"{year[:4]}-09-15",
            },
            who="fiona",
        )
        return request_id

    def position(self) -> Any:
        return self.client.get("/health").json()["position"]

    def indicators(self, *codes: str) -> None:
        """The results framework with these indicators in use, defined by the Strategy
        team."""
        self.post("/api/performance/expected-results", body(EXPECTED_RESULT), who="sasha")
        for code in codes:
            response = self.client.put(
                f"/api/performance/indicators/{code}",
                json=body(definition(code)),
                headers=self.as_["sasha"],
            )
            assert response.status_code == 200, response.text

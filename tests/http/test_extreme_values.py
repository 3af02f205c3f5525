"""The largest and strangest values the boundary takes go through the API, every view,
the rebuild and both open-data files: whatever can be recorded can be stored, read back
and published. (The values just beyond the boundary are refused: test_api_boundary.)"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.domain.values import MAX_CENTS, MAX_COUNT, NAME_LENGTH, TEXT_LENGTH
from grants.projections.rebuild import catch_up, rebuild
from grants.users import Role, add_user
from tests.conftest import PEOPLE, empty
from tests.history import Played
from tests.store.test_views import views_agree_with_the_events

# Whatever a person may type: letters of every script, combining marks, emoji, spaces
# of every kind, quotes and spreadsheet formulas; no control characters.
TYPED = st.characters(exclude_categories=("Cc", "Cs"))
STRANGE = (
    "e\u0301" * 3,  # decomposed: kept composed (NFC)
    "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # right to left
    "\U0001f469\U0001f3fd\u200d\u2696\ufe0f",  # one emoji of five code points
    '=HYPERLINK("http://x","y")',
    "'; DROP TABLE grants_events; --",
    "\u00a0\u202f\u2009 spaced",
    "%_\\",
)


def text(most: int, *, lines: bool = False) -> st.SearchStrategy[str]:
    """Text the boundary takes: up to ``most`` characters, as it keeps them."""
    alphabet = st.one_of(TYPED, st.sampled_from("\n\t")) if lines else TYPED
    typed = st.one_of(
        st.text(alphabet, min_size=1, max_size=most),
        st.sampled_from(STRANGE + (("Line one\nline two\twith a tab",) if lines else ())),
        st.builds(lambda c: c * most, st.sampled_from("ÉaÿЖ中")),
    )
    return typed.map(lambda s: unicodedata.normalize("NFC", s).strip()[:most]).filter(
        lambda s: s != "" and unicodedata.normalize("NFC", s) == s
    )


# The first fiscal year the tracker knows, a middle one, and the latest that is over: a
# project's whole life is dated in its year, and no fact is dated after today.
LATEST_OVER = FiscalYear.starting(FiscalYear.of(date.today()).start_year - 1)
YEARS = st.sampled_from([FiscalYear("1990-91"), FiscalYear("2021-22"), LATEST_OVER])


@pytest.mark.slow
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    year=YEARS,
    name=text(NAME_LENGTH),
    paragraphs=text(TEXT_LENGTH, lines=True),
    counts=st.lists(st.sampled_from([0, 1, MAX_COUNT]), min_size=7, max_size=7),
)
def test_the_largest_and_strangest_values_go_through_every_view_and_file(
    services: Services,
    client: TestClient[Litestar],
    as_: dict[str, dict[str, str]],
    year: FiscalYear,
    name: str,
    paragraphs: str,
    counts: list[int],
) -> None:
    empty(services.database_url)
    people = as_
    _add_people(services, people)
    day = year.starts_on

    def send(method: str, path: str, body: Any, who: str = "olivia") -> Any:
        answer = client.request(method, path, json=body, headers=people[who])
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    program_id = send(
        "POST",
        "/api/programs",
        {
            "department": "WAGE",
            "name_en": name,
            "name_fr": name,
            "transfer_type": "contribution",
            "pillars": ["empowerment"],
            "effective_on": str(day),
        },
    )["id"]
    send(
        "PUT",
        f"/api/programs/{program_id}/allocations/{year}",
        {"amount_cents": MAX_CENTS, "effective_on": str(day)},
    )
    send(
        "PUT",
        f"/api/programs/{program_id}/publication",
        {"department_number": "999", "purpose_en": paragraphs, "purpose_fr": paragraphs},
    )
    project_id = send(
        "POST",
        "/api/projects",
        {
            "program_id": program_id,
            "recipient": {"legal_name": name, "province": "NU", "business_number": "123456789"},
            "title_en": name,
            "title_fr": name,
            "pillar": "empowerment",
            "requested_cents": MAX_CENTS,
            "effective_on": str(day),
        },
    )["id"]
    project = f"/api/projects/{project_id}"
    send("POST", f"{project}/assessment", {"score": 100, "recommendation": paragraphs,
                                            "effective_on": str(day)})  # fmt: skip
    send("POST", f"{project}/approval", {
        "cash_flow": [{"fiscal_year": year, "amount_cents": MAX_CENTS}], "effective_on": str(day),
    })  # fmt: skip
    send("POST", f"{project}/agreement", {
        "signed_on": str(day), "start_on": str(day), "end_on": str(year.ends_on),
        "payment_basis": "advance", "holdback_percent": 0,
        "disclosure": {
            "agreement_number": name.replace(",", ";"), "recipient_type": "N",
            "recipient_city": name,
            "recipient_postal_code": "X0A 0H0", "federal_riding_name_en": name,
            "federal_riding_name_fr": name, "federal_riding_number": "62001",
            "description_en": paragraphs, "description_fr": paragraphs,
            "expected_results_en": paragraphs, "expected_results_fr": paragraphs,
            "naics_identifier": "624190", "additional_information_en": paragraphs,
        },
    })  # fmt: skip
    request_id = send("POST", f"{project}/payment-requests", {
        "fiscal_year": year, "amount_cents": MAX_CENTS, "effective_on": str(day),
    })["id"]  # fmt: skip
    send("POST", f"{project}/disbursements", {
        "payment_request_id": request_id, "payment_ref": name, "paid_on": str(year.ends_on),
    }, who="fiona")  # fmt: skip
    send("POST", f"{project}/recoveries", {
        "fiscal_year": year, "amount_cents": MAX_CENTS, "payment_ref": name,
        "effective_on": str(year.ends_on),
    }, who="fiona")  # fmt: skip
    # The framework's indicators, named and defined with the same values.
    send("POST", "/api/performance/expected-results", {
        "code": "reached", "pillar": "empowerment", "name_en": name, "name_fr": name,
        "effective_on": str(day),
    }, who="sasha")  # fmt: skip
    codes = [f"indicator_{n}" for n in range(len(counts))]
    for code in codes:
        send("PUT", f"/api/performance/indicators/{code}", {
            "expected_result": "reached", "name_en": name, "name_fr": name,
            "definition_en": paragraphs, "definition_fr": paragraphs, "unit": name,
            "direction": "increase", "data_source": name, "owner": "WAGE",
            "frequency": "annual", "baseline": MAX_COUNT, "baseline_on": str(day),
            "effective_on": str(day),
        }, who="sasha")  # fmt: skip
    send("POST", f"{project}/results", {
        "fiscal_year": year, "indicators": dict(zip(codes, counts, strict=True)),
        "effective_on": str(min(year.ends_on + timedelta(days=30), date.today())),
    })  # fmt: skip

    played = Played(programs=[UUID(program_id)], projects=[UUID(project_id)])
    views = list(services.views.by_name().values())
    for view in views:
        catch_up(services.grants, view)
    views_agree_with_the_events(services, played)
    rebuild(services.grants, views)
    views_agree_with_the_events(services, played)

    held = send("GET", f"{project}", None)
    assert (held["recipient"]["legal_name"], held["title_en"]) == (name, name)
    assert held["value_cents"] == MAX_CENTS
    disclosure = client.get(f"/api/exports/proactive-disclosure?fiscal_year={year}",
                            headers=people["sasha"])  # fmt: skip
    assert disclosure.status_code == 200, disclosure.text
    assert f"{MAX_CENTS // 100}.00" in disclosure.text
    giving = client.get(f"/api/exports/360giving?fiscal_year={year}", headers=people["sasha"])
    assert giving.status_code == 200, giving.text
    assert giving.json()["grants"][0]["amountAwarded"] == MAX_CENTS / 100


def _add_people(services: Services, people: dict[str, dict[str, str]]) -> None:
    """``empty`` removed the users: the same tokens again."""
    for who, role in PEOPLE.items():
        token = people[who]["Authorization"].removeprefix("Bearer ")
        add_user(services.database_url, who, Role(role), token)

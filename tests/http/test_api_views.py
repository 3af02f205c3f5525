"""The views through HTTP, kept up to date by the projection runners: a client that
passes its command's position reads its own write."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from psycopg import sql

from grants.bootstrap import Services
from grants.projections import positions
from tests.api import Api


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


def test_funding_and_outcomes_by_pillar_read_their_own_writes(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    first = api.under_agreement(program_id, {"2021-22": 60_000_00, "2022-23": 40_000_00})
    api.approved(program_id, {"2021-22": 10_000_00})
    api.pay(first, "2021-22", 25_000_00, "PAY-1")
    answer = api.post(
        f"/api/projects/{first}/recoveries",
        {
            "fiscal_year": "2021-22",
            "amount_cents": 5_000_00,
            "payment_ref": "REC-1",
            "effective_on": "2021-12-01",
        },
        who="fiona",
    )

    funding = api.get(
        f"/api/views/funding-by-pillar?fiscal_year=2021-22&min_position={answer['position']}"
    )
    assert funding["rows"] == [
        {
            "fiscal_year": "2021-22",
            "pillar": "protection",
            "department": "JUS",
            "program_id": program_id,
            "committed_cents": 70_000_00,
            "disbursed_cents": 20_000_00,
            "outstanding_cents": 50_000_00,
            "lapsed_cents": 0,
            "projects": 2,
        }
    ]
    assert funding["totals"]["committed_cents"] == 70_000_00
    assert funding["position"] >= answer["position"]

    api.indicators("survivors_served", "referrals")
    results = api.post(
        f"/api/projects/{first}/results",
        {"fiscal_year": "2021-22", "indicators": {"survivors_served": 40, "referrals": 12}},
    )
    outcomes = api.get(f"/api/views/outcomes-by-pillar?min_position={results['position']}")
    assert {(r["indicator"], r["total"], r["projects"]) for r in outcomes["rows"]} == {
        ("referrals", 12, 1),
        ("survivors_served", 40, 1),
    }
    assert outcomes["rows"][0]["pillar_name_fr"] == "Protection"
    # Named as the results framework names them.
    assert {(r["indicator"], r["name_fr"]) for r in outcomes["rows"]} == {
        ("referrals", "Referrals (FR)"),
        ("survivors_served", "Survivors served (FR)"),
    }

    commitments = api.get(
        f"/api/views/programs/{program_id}/commitments?min_position={results['position']}"
    )
    assert commitments["years"][0] == {
        "fiscal_year": "2021-22",
        "allocation_cents": 100_000_00,
        "committed_cents": 70_000_00,
        "disbursed_cents": 20_000_00,
        "available_cents": 30_000_00,
    }


def test_the_project_list_filters_and_pages(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    approved = api.approved(program_id, {"2022-23": 1_000_00})
    last = api.application(program_id)
    assert api.get(f"/api/projects/{last}")["status"] == "received"
    position = api.position()

    page = api.get(f"/api/projects?limit=1&min_position={position}")
    assert page["total"] == 2 and len(page["items"]) == 1
    in_year = api.get(f"/api/projects?fiscal_year=2022-23&min_position={position}")
    assert [p["project_id"] for p in in_year["items"]] == [approved]
    assert in_year["items"][0]["status"] == "approved"
    assert api.get("/api/projects?status=assessed")["total"] == 0
    assert api.get("/api/projects?recipient=now%20canada")["total"] == 2
    assert api.get("/api/projects?department=PS")["total"] == 0


@pytest.mark.slow
def test_a_view_that_lags_answers_503_with_retry_after(
    client: TestClient[Litestar],
    as_: dict[str, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = Api(client, as_)  # and no follower keeps the views
    api.program({"2021-22": 100_000_00})
    monkeypatch.setattr(positions, "WAIT_SECONDS", 0.2)
    response = api.client.get(
        f"/api/views/funding-by-pillar?min_position={api.position()}", headers=api.as_["sasha"]
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["code"] == "view_not_ready"


def test_a_project_is_counted_once_across_the_years_it_holds_money(api: Api) -> None:
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    api.approved(program_id, {"2021-22": 10_000_00, "2022-23": 10_000_00})
    api.approved(program_id, {"2022-23": 5_000_00})
    position = api.position()
    every_year = api.get(f"/api/views/funding-by-pillar?min_position={position}")
    assert sum(row["projects"] for row in every_year["rows"]) == 3  # project-years
    assert every_year["totals"]["projects"] == 2
    one_year = api.get(f"/api/views/funding-by-pillar?fiscal_year=2022-23&min_position={position}")
    assert one_year["totals"]["projects"] == 2


def plans(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch, paths: list[str]
) -> list[tuple[str, set[str], set[str]]]:
    """The statements the reads of ``paths`` run, each with the relations its plan
    reads, and those it reads whole (a sequential scan where the planner is told to
    avoid one)."""
    statements: list[tuple[sql.Composable, Any]] = []
    execute = psycopg.Cursor.execute

    def recording(self: Any, query: Any, params: Any = None, **kwargs: Any) -> Any:
        text = query if isinstance(query, sql.Composable) else sql.SQL(str(query))
        # The reads only: not the follower's (it folds events beside), nor the pool's
        # check or set-up of a connection (an empty query, a SET) when it opens one.
        if threading.current_thread().name != "views-follower" and "SELECT" in str(query):
            statements.append((text, params))
        return execute(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", recording)
    for path in paths:
        api.get(path)
    monkeypatch.undo()

    found = []
    with psycopg.connect(services.database_url) as conn:
        conn.execute("SET enable_seqscan = off")  # a test's tables are tiny
        for statement, params in statements:
            plan = conn.execute(sql.SQL("EXPLAIN (FORMAT JSON) ") + statement, params).fetchone()
            assert plan is not None
            nodes = list(_nodes(plan[0][0]["Plan"], ""))
            relations = {relation for _, relation in nodes if relation}
            whole = {
                relation
                for node, relation in nodes
                if node["Node Type"] == "Seq Scan"
                or ("Index Scan" in node["Node Type"] and "Index Cond" not in node)
            }
            found.append((str(statement), relations, whole))
    return found


def _nodes(plan: dict[str, Any], parent: str) -> Iterator[tuple[dict[str, Any], str]]:
    """A plan's nodes, each with the table it reads (a bitmap index scan's is its
    parent's)."""
    relation = plan.get("Relation Name", parent)
    yield plan, relation
    for child in plan.get("Plans", []):
        yield from _nodes(child, relation)


def test_the_funding_totals_read_summaries_never_the_project_list(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a funding read costs is bounded by what it shows: its statements' query
    plans touch the funding summaries only, however many projects there are."""
    program_id = api.program({"2021-22": 100_000_00, "2022-23": 100_000_00})
    api.approved(program_id, {"2021-22": 10_000_00, "2022-23": 10_000_00})
    api.get(f"/api/views/funding-by-pillar?min_position={api.position()}")
    read = plans(
        api,
        services,
        monkeypatch,
        [
            f"/api/views/funding-by-pillar{query}"
            for query in ("", "?fiscal_year=2022-23", "?department=JUS&pillar=protection")
        ],
    )
    assert len(read) >= 6
    for statement, relations, _ in read:
        assert relations and "project_list" not in relations, statement
        assert relations <= {"funding_by_pillar", "funding_held", "grants_events"} | {
            f"{name}_tracking" for name in services.views.by_name()
        }, relations


def test_the_year_end_reads_the_agreements_ending_and_the_requests_pending_only(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A year-end read does not grow with the history: it reads the agreements that
    end in the year and the requests awaiting release by their indexes, never every
    award or every payment."""
    program_id = api.program({"2021-22": 100_000_00})
    api.under_agreement(program_id, {"2021-22": 10_000_00})
    api.get(f"/api/views/year-end?fiscal_year=2021-22&min_position={api.position()}")
    read = plans(api, services, monkeypatch, ["/api/views/year-end?fiscal_year=2021-22"])
    touched = set().union(*(relations for _, relations, _ in read))
    assert {"awards", "payment_requests"} <= touched
    for statement, relations, whole in read:
        if len(relations) == 1:  # a join's order is the planner's, by the tables' sizes
            assert not whole & {"awards", "payment_requests", "project_list"}, statement


def test_the_outcome_totals_read_summaries_never_each_projects_results(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outcomes are totalled as results arrive: a read touches the totals only."""
    program_id = api.program({"2021-22": 100_000_00})
    project = api.under_agreement(program_id, {"2021-22": 10_000_00})
    api.indicators("survivors_served")
    api.post(
        f"/api/projects/{project}/results",
        {"fiscal_year": "2021-22", "indicators": {"survivors_served": 12},
         "effective_on": "2022-05-01"},
    )  # fmt: skip
    api.get(f"/api/views/outcomes-by-pillar?min_position={api.position()}")
    read = plans(api, services, monkeypatch, ["/api/views/outcomes-by-pillar"])
    touched = set().union(*(relations for _, relations, _ in read))
    assert "outcome_totals" in touched and "outcome_results" not in touched

"""Schemathesis over every operation of the API's OpenAPI (``/schema/openapi.json``):
generated requests, sent as the admin to the app in this process on a store seeded
with a little of everything, must never get a server error nor an answer the OpenAPI
does not describe (status, media type, body, headers).

Two tests. ``test_every_operation_conforms`` runs each operation on its own through
schemathesis's phases for single operations: the schema's examples, the coverage
phase (boundary and invalid values chosen from each schema), then ``MAX_EXAMPLES``
generated cases. ``test_stateful_scenarios`` chains operations: the answer of one feeds
the ids of the next (the OpenAPI's links, ``grants.api.links``). Both are derandomized, with a
fixed seed and no example database: the same code and schema generate the same
requests on every run (only the ids the store assigns differ).

The seeded ids (a program with allocations, a call, a project under agreement with a
payment released and one certified, a project just received, a reconciliation done)
are in schemathesis dictionaries bound to the parameters and body fields that name
them, so that about half of the generated ids are ones that exist; the rest are
generated, i.e. unknown ids.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import hypothesis
import pytest
import schemathesis
import schemathesis.errors
from hypothesis import strategies as st
from hypothesis.errors import Flaky, FlakyStrategyDefinition
from litestar import Litestar
from schemathesis.python import asgi

from grants.app import create_app
from grants.bootstrap import Services
from tests.api import Api
from workers.main import worker

pytestmark = pytest.mark.slow

# The budget: generated cases per operation (the examples and coverage phases come on
# top of these), and the stateful scenarios with their longest chain of calls.
MAX_EXAMPLES = 25
SCENARIOS = 40
MAX_STEPS = 10
SEED = 9_2025
# How often a parameter or field that names a seeded thing gets one of its ids.
SEEDED_ID_PROBABILITY = 0.5

# Every answer is checked by all of these, in every phase.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)

YEAR, NEXT_YEAR = "2021-22", "2022-23"
LEDGER = (
    "payment_ref,amount,paid_on,recipient\n"
    "PAY-1,1000.00,2021-09-15,NOW Canada Society\n"
    "LEDGER-9,99.99,2021-10-01,Someone Else\n"
)


@st.composite
def ledgers(draw: st.DrawFn) -> bytes:
    """A ledger as finance exports it (README: ``POST /api/reconciliations``), with
    values anywhere from plausible to absurd: the body schemathesis sends wherever the
    OpenAPI declares a ``text/csv`` request body."""
    cell = st.text(st.characters(codec="utf-8", exclude_characters=',"\r\n'), max_size=12)
    amount = st.one_of(
        st.decimals(min_value=-(10**15), max_value=10**15, places=2).map(str),
        st.integers().map(str),
        cell,
    )
    paid_on = st.one_of(st.dates().map(str), cell)
    rows = draw(st.lists(st.tuples(cell, amount, paid_on, cell), max_size=6))
    lines = ["payment_ref,amount,paid_on,recipient", *(",".join(row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


schemathesis.openapi.media_type("text/csv", ledgers())


@dataclass(frozen=True)
class Seeded:
    program_id: str
    call_id: str
    project_ids: tuple[str, ...]
    payment_request_id: str
    reconciliation_id: str


@pytest.fixture
def app(services: Services, redis_url: str) -> Litestar:
    # Reached through schemathesis's own ASGI client, which runs the app's lifespan
    # (the job queue) and ends it when the test ends (its pytest plugin does).
    return create_app(services, redis_url)


@pytest.fixture
def seeded(
    app: Litestar,
    as_: dict[str, dict[str, str]],
    projections: None,
    services: Services,
    redis_url: str,
) -> Iterator[Seeded]:
    """A program with two years' allocations and its publication details, a call, a
    project under agreement with one payment released and one certified, a project just
    received, and a ledger reconciled; all through the API, as the roles that may."""
    with asgi.get_client(cast(Any, app)) as client:
        # ``Api`` drives Litestar's TestClient; this client answers to the same calls
        # (post, put, get; status_code, json, text).
        api = Api(cast(Any, client), as_)
        program_id = api.program({YEAR: 1_000_000_00, NEXT_YEAR: 1_000_000_00})
        published = client.put(
            f"/api/programs/{program_id}/publication",
            json={"department_number": "123", "purpose_en": "Victims", "purpose_fr": "Victimes"},
            headers=as_["olivia"],
        )
        assert published.status_code == 200, published.text
        call_id = api.post(
            "/api/calls",
            {
                "program_id": program_id,
                "title_en": "Survivors 2021",
                "title_fr": "Survivants 2021",
                "pillar": "protection",
                "opens_on": "2021-04-01",
                "closes_on": "2021-06-30",
                "budget_cents": 500_000_00,
                "effective_on": "2021-04-01",
            },
        )["id"]
        project_id = api.under_agreement(program_id, {YEAR: 100_000_00, NEXT_YEAR: 50_000_00})
        api.pay(project_id, YEAR, 10_000_00, "PAY-1")
        payment_request_id = api.post(
            f"/api/projects/{project_id}/payment-requests",
            {"fiscal_year": YEAR, "amount_cents": 5_000_00, "effective_on": "2021-11-01"},
        )["id"]
        api.indicators("referrals")
        api.post(
            f"/api/projects/{project_id}/results",
            {"fiscal_year": YEAR, "indicators": {"referrals": 12}, "effective_on": "2022-04-30"},
        )
        received = api.application(program_id, 20_000_00)
        uploaded = client.post(
            f"/api/reconciliations?fiscal_year={YEAR}",
            data=LEDGER.encode(),
            headers={**as_["fiona"], "Content-Type": "text/csv"},
        )
        assert uploaded.status_code == 202, uploaded.text
    # The worker reconciles the ledger and works out the year-end deadlines.
    asyncio.run(_work(services, redis_url))
    yield Seeded(
        program_id=program_id,
        call_id=call_id,
        project_ids=(project_id, received),
        payment_request_id=payment_request_id,
        reconciliation_id=uploaded.json()["id"],
    )


async def _work(services: Services, redis_url: str) -> None:
    await worker(services, redis_url, burst=True, poll_delay=0.05).async_run()


@pytest.fixture
def api_schema(app: Litestar, as_: dict[str, dict[str, str]], seeded: Seeded) -> Any:
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": {"Authorization": as_["ada"]["Authorization"]},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                # No example database: a run depends on the code and the schema only.
                "database": "none",
            },
            "phases": {"stateful": {"max-steps": MAX_STEPS}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "dictionaries": {
                "programs": {"values": [seeded.program_id]},
                "calls": {"values": [seeded.call_id]},
                "projects": {"values": list(seeded.project_ids)},
                "payment_requests": {"values": [seeded.payment_request_id]},
                "reconciliations": {"values": [seeded.reconciliation_id]},
                "fiscal_years": {"values": [YEAR, NEXT_YEAR]},
            },
            "parameters": {
                key: {"dictionary": dictionary, "probability": SEEDED_ID_PROBABILITY}
                for dictionary, keys in {
                    "programs": ("path.program_id", "query.program_id", "body.program_id"),
                    "calls": ("path.call_id", "body.call_id"),
                    "projects": ("path.project_id",),
                    "payment_requests": ("body.payment_request_id",),
                    "reconciliations": ("path.reconciliation_id",),
                    "fiscal_years": (
                        "path.fiscal_year",
                        "query.fiscal_year",
                        "body.fiscal_year",
                        "body.from_fiscal_year",
                        "body.to_fiscal_year",
                        "body.cash_flow[*].fiscal_year",
                    ),
                }.items()
                for key in keys
            },
        }
    )
    with asgi.get_client(cast(Any, app)) as client:
        served = client.get("/schema/openapi.json")
    assert served.status_code == 200, served.text
    schema = schemathesis.openapi.from_dict(served.json(), config=config)
    schema.app = app
    schema.location = "/schema/openapi.json"
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """pytest 9.2 keeps a node's id in ``Node._id``; schemathesis 4.32's ``from_fixture``
    still reads and renames ``Node._nodeid`` (to name each operation's subtest). Give it
    one to read: the id pytest reports is unchanged."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schema.parametrize()
def test_every_operation_conforms(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()


def test_stateful_scenarios(api_schema: Any) -> None:
    failures: list[schemathesis.errors.FailureGroup] = []
    scenarios = 0

    class Scenarios(api_schema.as_state_machine()):  # type: ignore[misc]
        def teardown(self) -> None:
            nonlocal scenarios
            scenarios += 1
            super().teardown()

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            try:
                super().validate_response(response, case, *args, **kwargs)
            except schemathesis.errors.FailureGroup as failure:
                failures.append(failure)
                raise

    # As schemathesis runs its own stateful phase: generation only, no shrinking (a
    # replay meets a store that has moved on since).
    settings = hypothesis.settings(
        api_schema.config.get_hypothesis_settings(phase="stateful"),
        max_examples=SCENARIOS,
        phases=[hypothesis.Phase.generate],
    )
    try:
        Scenarios.run(settings=settings)
    except Flaky as flaky:
        if failures:
            raise failures[0] from None
        if not isinstance(flaky, FlakyStrategyDefinition):
            raise
        # Which links a scenario may follow depends on the answers so far, and a
        # replayed prefix meets a store that earlier scenarios have changed: Hypothesis
        # then stops generating. Schemathesis's own runner counts this as no failure;
        # so does this test, and says how far it got.
        warnings.warn(
            f"the stateful run stopped after {scenarios} of {SCENARIOS} scenarios: "
            "the store's answers changed under a replayed scenario",
            stacklevel=1,
        )

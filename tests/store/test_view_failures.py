"""A view never halts silently. The boundary keeps unstorable values out of the store,
but should an event arrive that a view cannot fold (recorded by an older release, say),
that view stops before it, loudly: /health turns 503 and names the view, the event and
the error, /metrics counts it stuck, a reconciliation that needs it fails with that
reason; the other views read on."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from grants.application import Context
from grants.bootstrap import Services
from grants.domain.fiscal_year import FiscalYear
from grants.domain.program import Program
from grants.domain.project import Project
from grants.projections.status import Failure, failures
from tests.api import Api
from tests.ledgers import ENGLISH, report, upload_csv, work
from tests.waiting import wait_for

BIGINT = 2**63


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]], projections: None) -> Api:
    return Api(client, as_)


STOPPED = ("commitments", "as_of")


def record_unstorable_allocation(services: Services, program_id: str) -> int:
    """An allocation past bigint, recorded around the domain's rules (as an old release
    without them could have): what the commitments view cannot fold."""
    program = services.grants.program(uuid.UUID(program_id))
    program.trigger_event(
        Program.AllocationSet,
        fiscal_year=FiscalYear("2022-23"),
        amount_cents=BIGINT,
        actor="olivia",
        effective_on=date(2022, 4, 1),
    )
    return services.grants._save(Context(actor="olivia"), program, cached=False).position


def test_a_view_that_cannot_fold_an_event_stops_loudly_and_the_others_go_on(
    api: Api, services: Services, redis_url: str
) -> None:
    program_id = api.program({"2021-22": 1_000_000_00})
    api.pay(api.under_agreement(program_id, {"2021-22": 100_000_00}), "2021-22", 1_000_00, "P-1")
    poison = record_unstorable_allocation(services, program_id)
    after = api.program({"2021-22": 5_00})  # and life goes on
    head = api.position()

    stuck = wait_for(lambda: failures_now(services).get("commitments"))
    assert stuck is not None
    assert (stuck.position, stuck.event_type) == (poison, "Program.AllocationSet")
    assert "out of range" in stuck.error
    # The as-of view keeps allocations too, and stops before the same event.
    others = [v for v in services.views.by_name().values() if v.name not in STOPPED]
    wait_for(lambda: all(view.position() == head for view in others))
    assert services.views.commitments.position() == poison - 1
    assert services.views.commitments.years(uuid.UUID(after)) == []

    health = api.client.get("/health")
    assert health.status_code == 503
    body = health.json()
    assert body["status"] == "stuck"
    assert f"commitments stopped before event {poison} (Program.AllocationSet)" in body["detail"]
    views = {view["name"]: view for view in body["views"]}
    assert views["commitments"]["failure"]["position"] == poison
    assert views["funding"]["lag"] == 0 and "failure" not in views["funding"]

    metrics = api.client.get("/metrics").text
    assert 'grants_view_stuck{view="commitments"} 1.0' in metrics
    assert 'grants_view_stuck{view="funding"} 0.0' in metrics
    assert f'grants_view_lag_events{{view="commitments"}} {head - poison + 1}.0' in metrics


def failures_now(services: Services) -> dict[str, Failure]:
    with services.datastore.get_connection() as conn:
        return failures(conn)


def test_a_reconciliation_waiting_on_a_stuck_payment_register_fails_saying_why(
    api: Api, services: Services, redis_url: str
) -> None:
    program_id = api.program({"2021-22": 1_000_000_00})
    project_id = api.under_agreement(program_id, {"2021-22": 100_000_00})
    api.pay(project_id, "2021-22", 1_000_00, "PAY-1")
    # A recovery past bigint, around the rules: the payment register stops on it.
    project = services.grants.project(uuid.UUID(project_id))
    project.trigger_event(
        Project.OverpaymentRecovered,
        program_id=project.program_id,
        department=project.department,
        pillar=project.pillar,
        fiscal_year=FiscalYear("2021-22"),
        amount_cents=BIGINT,
        payment_ref="REC-X",
        actor="fiona",
        effective_on=date(2021, 12, 1),
    )
    poison = services.grants._save(Context(actor="fiona"), project, cached=False).position
    wait_for(lambda: failures_now(services).get("payments"))

    queued = upload_csv(api, ENGLISH)
    work(services, redis_url)

    failed = report(api, queued["id"])["reconciliation"]
    assert failed["status"] == "failed"
    assert failed["error"].startswith(
        f"the payments view stopped at event {poison - 1}: it cannot read event {poison} "
        "(Project.OverpaymentRecovered: "
    )

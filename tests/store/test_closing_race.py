"""A fiscal year closing while officers keep amending its cash flows: every amendment is
either recorded before the close, and lapsed by it, or refused; nothing recorded after
the close touches the year."""

from __future__ import annotations

import threading
import time
from datetime import date
from uuid import UUID

from litestar import Litestar
from litestar.testing import TestClient

from grants.application import Context
from grants.bootstrap import Services
from grants.commands import Amend, CashFlowLine, CloseFiscalYear
from grants.domain.books import touched
from grants.domain.errors import PeriodClosed
from grants.domain.fiscal_year import FiscalYear
from grants.eventstore import decode
from grants.finance.closing import year_state
from tests.api import Api

Y1, Y2 = FiscalYear("2021-22"), FiscalYear("2022-23")
ON = date(2022, 6, 1)


def test_nothing_slips_into_a_year_while_it_closes(
    services: Services,
    projections: None,
    client: TestClient[Litestar],
    as_: dict[str, dict[str, str]],
) -> None:
    api = Api(client, as_)
    program_id = api.program({"2021-22": 10_000_000_00, "2022-23": 10_000_000_00})
    flow = {"2021-22": 40_000_00, "2022-23": 10_000_00}
    projects = [api.under_agreement(program_id, flow, holdback_percent=0) for _ in range(3)]
    grants = services.grants
    amended: list[int] = []
    refused: list[UUID] = []

    def amend(project_id: UUID) -> None:
        for n in range(1, 30):
            cash_flow = [CashFlowLine(Y1, 40_000_00 + n * 100), CashFlowLine(Y2, 10_000_00)]
            try:
                receipt = grants.handle(
                    Context(actor="olivia"), Amend(cash_flow=cash_flow, effective_on=ON), project_id
                )
            except PeriodClosed:
                refused.append(project_id)
                return
            amended.append(receipt.position)
            time.sleep(0.01)

    officers = [threading.Thread(target=amend, args=(UUID(p),)) for p in projects]
    for officer in officers:
        officer.start()
    time.sleep(0.05)
    close = grants.close_fiscal_year(
        Context(actor="fiona"),
        CloseFiscalYear(effective_on=ON),
        Y1,
        year_state(grants, services.views, Y1),
    )
    for officer in officers:
        officer.join()

    assert amended and all(position < close.position for position in amended)
    assert sorted(refused) == sorted(UUID(p) for p in projects)
    for project_id in projects:
        project = grants.project(UUID(project_id))
        assert project.cash_flow[Y1] == project.spent(Y1) == 0, "the close lapsed all of it"
    recorder = grants.recorder
    later = recorder.stored_after(close.position, 10_000)  # type: ignore[attr-defined]
    assert Y1 not in touched(decode(topic, state) for _, topic, state in later)  # type: ignore[misc]

"""Ledgers for the reconciliation tests, and the steps they take: upload one through the
API, run the real worker until its queue is empty, read the report."""

from __future__ import annotations

import asyncio
from typing import Any

from grants.bootstrap import Services
from tests.api import Api
from workers.main import worker

YEAR = "2021-22"

# Every class planted once: PAY-1 and the recovery match, PAY-2's amount and PAY-3's date
# differ, PAY-4 is listed twice, LEDGER-9 is unknown to the tracker, PAY-5 is missing.
ENGLISH = (
    "payment_ref,amount,paid_on,recipient\n"
    "PAY-1,1000.00,2021-09-15,NOW Canada Society\n"
    'PAY-2,"$2,100.00",2021-09-15,NOW Canada Society\n'
    "PAY-3,3000,2021-09-16,NOW Canada Society\n"
    "PAY-4,4000.00,2021-09-15,NOW Canada Society\n"
    "PAY-4,4000.00,2021-09-15,NOW Canada Society\n"
    "LEDGER-9,99.99,2021-10-01,Someone Else\n"
    "REC-1,-500.00,2021-12-01,NOW Canada Society\n"
)
FRENCH = (
    "\ufeffpaid_on;payment_ref;amount\n"
    "2021-09-15;PAY-1;1 000,00\n"
    "2021-09-15;PAY-2;2 100,00 $\n"
    "2021-09-16;PAY-3;3 000,00\n"
    "2021-09-15;PAY-4;4\u00a0000,00\n"
    "2021-09-15;PAY-4;4 000\n"
    "2021-10-01;LEDGER-9;99,99\n"
    "2021-12-01;REC-1;-500,00\n"
)


def work(services: Services, redis_url: str) -> None:
    """Runs the real worker until its queue is empty."""

    async def burst() -> None:
        # Made inside the loop it runs in: arq's worker takes the loop it is made in.
        await worker(services, redis_url, burst=True, poll_delay=0.05).async_run()

    asyncio.run(burst())


def upload_csv(api: Api, text: str) -> Any:
    response = api.client.post(
        f"/api/reconciliations?fiscal_year={YEAR}",
        content=text.encode(),
        headers={**api.as_["fiona"], "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    return response.json()


def report(api: Api, reconciliation_id: str) -> Any:
    return api.get(f"/api/reconciliations/{reconciliation_id}", who="fiona")

"""No job is lost: a reconciliation ends done or failed with a reason a person can read;
finance runs a failed one again; the job of a worker killed mid-run is taken up by
another within the lease."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import redis
from litestar import Litestar
from litestar.testing import TestClient

from grants.bootstrap import Services
from grants.projections.rebuild import catch_up
from grants.projections.status import leader_key
from grants.queue import queue_name
from tests.api import Api
from tests.ledgers import ENGLISH, YEAR, report, upload_csv, work
from tests.waiting import wait_for
from workers import jobs


@pytest.fixture
def api(client: TestClient[Litestar], as_: dict[str, dict[str, str]]) -> Api:
    return Api(client, as_)


def paid(api: Api) -> str:
    program_id = api.program({YEAR: 1_000_000_00})
    project = api.under_agreement(program_id, {YEAR: 500_000_00})
    for n in range(1, 6):
        api.pay(project, YEAR, n * 1_000_00, f"PAY-{n}")
    return project


@pytest.mark.slow
def test_a_reconciliation_the_payment_register_cannot_serve_fails_with_its_reason_and_runs_again(
    api: Api, services: Services, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paid(api)  # and no worker keeps the views: the payment register has read nothing
    monkeypatch.setattr(jobs, "VIEW_WAIT_SECONDS", 0.5)
    queued = upload_csv(api, ENGLISH)

    work(services, redis_url)

    failed = report(api, queued["id"])["reconciliation"]
    assert failed["status"] == "failed"
    assert failed["error"].startswith("the payments view reached event 0 of ")
    assert "Run this again" in failed["error"]
    refused = api.client.post(
        f"/api/reconciliations/{queued['id']}/retry", headers=api.as_["olivia"]
    )
    assert refused.status_code == 403

    catch_up(services.grants, services.views.payments)  # the views are kept again
    again = api.client.post(f"/api/reconciliations/{queued['id']}/retry", headers=api.as_["fiona"])
    assert again.status_code == 202, again.text
    assert again.json()["status"] == "queued"
    work(services, redis_url)

    done = report(api, queued["id"])["reconciliation"]
    assert (done["status"], done["error"], done["attempts"]) == ("done", None, 2)
    assert done["counts"]["matched"] == 2  # PAY-1 and PAY-4
    twice = api.client.post(f"/api/reconciliations/{queued['id']}/retry", headers=api.as_["fiona"])
    assert twice.status_code == 409
    assert twice.json()["code"] == "reconciliation_not_failed"


def start_worker(services: Services, data_dir: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "grants.cli", "worker"],
        env={
            **os.environ,
            "DATABASE_URL": services.database_url,
            "GRANTS_DATA_DIR": str(data_dir),
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_the_job_of_a_worker_killed_mid_run_is_taken_up_by_another(
    api: Api, services: Services, redis_url: str, tmp_path: Path
) -> None:
    paid(api)
    lease = {"GRANTS_JOB_LEASE_SECONDS": "2", "REDIS_URL": redis_url}
    # The test leads the payment register, so the first worker's job waits for it,
    # running, when the worker is killed.
    with psycopg.connect(services.database_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (leader_key("payments"),))
        queued = upload_csv(api, ENGLISH)
        first = start_worker(services, tmp_path, **lease)
        try:
            wait_for(lambda: report(api, queued["id"])["reconciliation"]["status"] == "running")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
    second = start_worker(services, tmp_path, **lease)
    try:
        killed_at = time.monotonic()
        done = wait_for(
            lambda: (r := report(api, queued["id"])["reconciliation"])["status"] == "done" and r
        )
        taken_up_in = time.monotonic() - killed_at
    finally:
        second.terminate()
        second.wait(timeout=30)
        forget_the_killed_job(services, redis_url, queued["id"])
    assert done["attempts"] == 2
    assert done["counts"]["matched"] == 2  # PAY-1 and PAY-4
    assert taken_up_in < 60


def forget_the_killed_job(services: Services, redis_url: str, reconciliation_id: str) -> None:
    """The killed worker's job stays in the queue, marked in progress, until its
    timeout (arq's own retry, which then finds the reconciliation done): gone now, so
    that the tests after this one do not wait on it."""
    with redis.Redis.from_url(redis_url) as queue:
        queue.delete(queue_name(services.database_url))
        for key in queue.scan_iter(f"arq:*reconcile:{reconciliation_id}:*"):
            queue.delete(key)

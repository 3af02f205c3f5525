"""The worker as a real process: killed mid-stream (SIGKILL) and started again, its
views match a clean rebuild; the rebuild command refills them from the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from grants import demo
from grants.bootstrap import Services
from grants.projections import VIEWS
from grants.projections.follower import IDLE_SECONDS, follow
from grants.projections.rebuild import rebuild
from grants.projections.status import led
from tests.waiting import wait_for

pytestmark = pytest.mark.slow


def start_worker(services: Services, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": services.database_url, "GRANTS_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "grants.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def snapshot(services: Services) -> dict[str, Any]:
    views = services.views
    return {
        "funding": views.funding.rows(),
        "outcomes": views.outcomes.totals(),
        "projects": views.projects.page(limit=10_000),
        "commitments": [views.commitments.years(p.id) for p in services.grants.programs()],
    }


def test_a_worker_killed_mid_stream_and_restarted_matches_a_rebuild(
    services: Services, tmp_path: Path
) -> None:
    worker = start_worker(services, tmp_path)
    loaded: list[int] = []
    loading = threading.Thread(
        target=lambda: loaded.append(demo.load(services.grants, services.database_url))
    )
    views = services.views.by_name().values()
    try:
        loading.start()
        # Killed while events are still coming in and the views are reading them.
        wait_for(lambda: any(view.position() > 0 for view in views))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        loading.join()
        head = loaded[0]
        assert any(view.position() < head for view in views), "the worker finished first"
        worker = start_worker(services, tmp_path)
        wait_for(lambda: all(view.position() == head for view in views))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    processed = snapshot(services)
    rebuild(services.grants, list(views))
    assert snapshot(services) == processed


def test_the_rebuild_command_refills_every_view(services: Services, tmp_path: Path) -> None:
    head = demo.load(services.grants, services.database_url)
    done = subprocess.run(
        [sys.executable, "-m", "grants.cli", "projections", "rebuild"],
        env={**os.environ, "DATABASE_URL": services.database_url},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "funding" in done.stdout
    assert all(view.position() == head for view in services.views.by_name().values())
    assert services.views.funding.rows(fiscal_year="2020-21", department="JUS")[0].projects == 11


def test_each_view_is_kept_by_one_worker_and_another_takes_over(services: Services) -> None:
    views = list(services.views.by_name().values())
    first, second = threading.Event(), threading.Event()
    leader = follow(services.grants, views, services.database_url, first)
    wait_for(lambda: held_locks(services) == len(VIEWS))
    standby = follow(services.grants, views, services.database_url, second)
    try:
        time.sleep(IDLE_SECONDS * 1.5)  # the second follower tried, and stood by
        assert held_locks(services) == len(VIEWS)

        first.set()  # the leader goes away; the one standing by takes over
        leader.join(timeout=30)
        head = demo.load(services.grants, services.database_url)
        views = list(services.views.by_name().values())
        wait_for(lambda: all(view.position() == head for view in views))
        assert (
            services.views.funding.rows(fiscal_year="2020-21", department="JUS")[0].projects == 11
        )
    finally:
        first.set()
        second.set()
        standby.join(timeout=30)


def held_locks(services: Services) -> int:
    with services.datastore.get_connection() as conn:
        return len(led(conn, list(services.views.by_name().values())))

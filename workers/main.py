"""``grants worker``: the arq worker and the projection runners in one process."""

from __future__ import annotations

import logging
import threading
from typing import Any

from arq import cron
from arq.worker import Worker

from grants.bootstrap import bootstrap
from grants.database import eventsourcing_env
from grants.projections.runner import run_projections
from grants.queue import redis_settings
from workers.jobs import report_lag

logger = logging.getLogger(__name__)


def run(database_url: str, redis_url: str) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    services = bootstrap(database_url)
    stop = threading.Event()
    run_projections(database_url, eventsourcing_env(database_url), stop)

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["grants"], ctx["views"] = services.grants, services.views

    worker = Worker(
        functions=[],
        cron_jobs=[cron(report_lag, second=0, run_at_startup=True)],
        redis_settings=redis_settings(redis_url),
        on_startup=startup,
        handle_signals=True,
    )
    try:
        worker.run()
    finally:
        stop.set()
        services.close()

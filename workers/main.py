"""``grants worker``: the arq worker and the projection runners in one process."""

from __future__ import annotations

import logging
import threading
from typing import Any

from arq import cron
from arq.worker import Worker

from grants.bootstrap import Services, bootstrap
from grants.database import eventsourcing_env
from grants.projections.runner import run_projections
from grants.queue import queue_name, redis_settings
from workers.jobs import reconcile, refresh_deadlines, report_lag

logger = logging.getLogger(__name__)


def worker(services: Services, redis_url: str, **options: Any) -> Worker:
    """The job worker for the services' database; tests pass ``burst=True``."""

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["services"] = services

    return Worker(
        functions=[reconcile],
        cron_jobs=[
            cron(report_lag, second=0, run_at_startup=True),
            cron(refresh_deadlines, hour=2, minute=0, second=0, run_at_startup=True),
        ],
        redis_settings=redis_settings(redis_url),
        queue_name=queue_name(services.database_url),
        on_startup=startup,
        **options,
    )


def run(database_url: str, redis_url: str) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    services = bootstrap(database_url)
    stop = threading.Event()
    run_projections(database_url, eventsourcing_env(database_url), stop)
    try:
        worker(services, redis_url, handle_signals=True).run()
    finally:
        stop.set()
        services.close()

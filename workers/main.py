"""``grants worker``: the arq worker and the views' follower in one process."""

from __future__ import annotations

import logging
import threading
from typing import Any

from arq import cron
from arq.worker import Worker

from grants.bootstrap import SIDE_POOL, Services, bootstrap
from grants.projections.follower import follow
from grants.queue import queue_name, redis_settings
from grants.settings import Settings
from workers.jobs import (
    flag_service_standards,
    reconcile,
    refresh_deadlines,
    report_lag,
    resume_stalled,
)

logger = logging.getLogger(__name__)


def worker(services: Services, redis_url: str, **options: Any) -> Worker:
    """The job worker for the services' database; tests pass ``burst=True``."""

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["services"] = services

    return Worker(
        functions=[reconcile],
        cron_jobs=[
            cron(report_lag, second=0, run_at_startup=True),
            cron(resume_stalled, second={5, 25, 45}, run_at_startup=True),
            cron(refresh_deadlines, hour=2, minute=0, second=0, run_at_startup=True),
            cron(flag_service_standards, hour=2, minute=5, second=0, run_at_startup=True),
        ],
        redis_settings=redis_settings(redis_url),
        queue_name=queue_name(services.database_url),
        on_startup=startup,
        # A job holds one of the side pool's connections while it works, and takes
        # another for a moment (a lease renewed, its report): as many jobs as
        # connections would leave none for those moments, and a busy pool would fail a
        # reconciliation as if the database had stopped answering.
        max_jobs=SIDE_POOL - 1,
        **options,
    )


def run(settings: Settings, database_url: str, redis_url: str) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # The follower's connection (its locks and its listening) is the one outside the pools.
    services = bootstrap(database_url, settings, role="worker", dedicated=1)
    stop = threading.Event()
    follow(
        services.grants,
        list(services.views.by_name().values()),
        services.database_url,
        stop,
    )
    try:
        worker(services, redis_url, handle_signals=True).run()
    finally:
        stop.set()
        services.close()

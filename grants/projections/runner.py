"""Keeps the projections up to date. Several worker processes may run: each projection
is processed by the one that holds its PostgreSQL advisory lock; the others stand by and
take over when that process goes away (its session, and so its lock, ends with it)."""

from __future__ import annotations

import logging
import threading
import zlib
from typing import Any

import psycopg
from eventsourcing.projection import Projection, ProjectionRunner

from grants.application import Grants
from grants.projections import PROJECTIONS
from grants.projections.view import View

logger = logging.getLogger(__name__)

STANDBY_SECONDS = 2.0


def leader_key(name: str) -> int:
    return zlib.crc32(f"grants-projection-{name}".encode())


def run_projections(
    database_url: str, env: dict[str, str], stop: threading.Event, names: list[str] | None = None
) -> list[threading.Thread]:
    """Starts a thread per projection that runs it whenever this process leads it. The
    tables exist already (``bootstrap`` made them): runners starting together must not
    all create them again at once."""
    env = {**env, "CREATE_TABLE": "no"}
    threads = [
        threading.Thread(
            target=_lead,
            args=(database_url, env, name, *PROJECTIONS[name], stop),
            name=f"projection-{name}",
            daemon=True,
        )
        for name in names or list(PROJECTIONS)
    ]
    for thread in threads:
        thread.start()
    return threads


def _lead(
    database_url: str,
    env: dict[str, str],
    name: str,
    projection: type[Projection[Any]],
    view: type[View],
    stop: threading.Event,
) -> None:
    while not stop.is_set():
        try:
            with psycopg.connect(database_url, autocommit=True) as lock:
                leads = lock.execute("SELECT pg_try_advisory_lock(%s)", (leader_key(name),))
                row = leads.fetchone()
                if row and row[0]:
                    logger.info("projection %s: leading", name)
                    _follow_events(lock, env, projection, view, stop)
        except Exception:
            logger.exception("projection %s stopped; starting again", name)
        stop.wait(STANDBY_SECONDS)


def _follow_events(
    lock: psycopg.Connection[Any],
    env: dict[str, str],
    projection: type[Projection[Any]],
    view: type[View],
    stop: threading.Event,
) -> None:
    with ProjectionRunner(
        application_class=Grants, projection_class=projection, view_class=view, env=env
    ) as runner:
        while not stop.is_set():
            runner.run_forever(timeout=1.0)
            lock.execute("SELECT 1")  # the lock lives as long as this session: check it

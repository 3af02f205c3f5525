"""Builds the running parts from the settings: the database (embedded when none is
configured), its migrations, the application, the views and the user directory, within
the process's connection budget."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from grants.application import Grants
from grants.database import (
    POOL_WAIT_SECONDS,
    embedded_postgres,
    eventsourcing_env,
    name_connections,
)
from grants.finance.reconciliations import Reconciliations
from grants.finance.submission import Submissions
from grants.migrations import migrate
from grants.projections import VIEWS, Views, open_views
from grants.projections.positions import Positions
from grants.projections.status import ViewState, positions_query, read_positions, states
from grants.queue import queue_name
from grants.settings import Settings
from grants.users import Users

# The pool beside the event store's: users and tokens, web sessions, reconciliations.
# A reconciliation job holds three at once: its ledger read in, its report written out,
# and the renewal of its lease.
SIDE_POOL = 3


def database_url(settings: Settings) -> str:
    return settings.database_url or embedded_postgres(settings.data_dir)


@dataclass
class Services:
    database_url: str
    grants: Grants
    views: Views
    users: Users
    pool: ConnectionPool
    reconciliations: Reconciliations
    submissions: Submissions
    positions: Positions
    connections: int

    def close(self) -> None:
        self.grants.close()
        self.pool.close()

    @property
    def datastore(self) -> Any:
        """The event store's datastore, whose pool the views read and write through."""
        return self.grants.recorder.datastore  # type: ignore[attr-defined]

    def view_states(self, conn: psycopg.Connection[Any]) -> list[ViewState]:
        """How each view stands, read on the given connection."""
        return states(
            conn,
            list(self.views.by_name().values()),
            self.grants.recorder.events_table_name,  # type: ignore[attr-defined]
        )


# Any fixed number: processes starting together (server processes, workers) create the
# store's tables and functions one at a time; PostgreSQL refuses concurrent
# CREATE OR REPLACE of one function.
_SCHEMA_LOCK = 7_041_971


def rebuilding(settings: Settings | None = None) -> Settings:
    """The connections a rebuild's process takes: the next batch is read while every
    view writes this one, each on a connection of its own (fewer, and the views would
    write in turns)."""
    settings = settings or Settings.from_env()
    wanted = SIDE_POOL + len(VIEWS) + 2
    return replace(settings, db_connections=max(settings.db_connections, wanted))


def bootstrap(
    url: str, settings: Settings | None = None, *, role: str = "api", dedicated: int = 0
) -> Services:
    """The services of one process, holding at most ``settings.db_connections`` to
    PostgreSQL: ``dedicated`` of them outside the pools (the worker's follower keeps
    one), three in the side pool, the rest in the event store's pool, which the views
    share."""
    settings = settings or Settings.from_env()
    connections = settings.db_connections
    store = connections - dedicated - SIDE_POOL
    if store < 2:
        raise ValueError(
            f"GRANTS_DB_CONNECTIONS={connections} leaves {store} for the event store; "
            f"give this process at least {dedicated + SIDE_POOL + 2}"
        )
    name_connections(role)
    with psycopg.connect(url, autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        migrate(url)
        grants = Grants(env=eventsourcing_env(url, store))
        views = open_views(grants.recorder.datastore)  # type: ignore[attr-defined]
    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=SIDE_POOL,
        timeout=POOL_WAIT_SECONDS,
        check=ConnectionPool.check_connection,
        open=True,
    )
    datastore = grants.recorder.datastore  # type: ignore[attr-defined]
    query = positions_query(
        list(views.by_name().values()),
        grants.recorder.events_table_name,  # type: ignore[attr-defined]
    )

    def read() -> dict[str, int]:
        with datastore.get_connection() as conn:
            return read_positions(conn, query)

    reconciliations = Reconciliations(pool, settings.job_lease_seconds)
    return Services(
        database_url=url,
        grants=grants,
        views=views,
        users=Users(pool),
        pool=pool,
        reconciliations=reconciliations,
        submissions=Submissions(
            reconciliations, grants.recorder.max_notification_id, queue_name(url)
        ),
        positions=Positions(read),
        connections=connections,
    )

"""Builds the running parts from the settings: the database (embedded when none is
configured), its migrations, the application and the user directory."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg_pool import ConnectionPool

from grants.application import Grants
from grants.database import embedded_postgres, eventsourcing_env
from grants.finance.reconciliations import Reconciliations
from grants.migrations import migrate
from grants.projections import Views, open_views
from grants.settings import Settings
from grants.users import Users


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

    def close(self) -> None:
        self.grants.close()
        self.pool.close()


# Any fixed number: processes starting together (server processes, workers) create the
# store's tables and functions one at a time; PostgreSQL refuses concurrent
# CREATE OR REPLACE of one function.
_SCHEMA_LOCK = 7_041_971


def bootstrap(url: str) -> Services:
    with psycopg.connect(url, autocommit=True) as lock:
        lock.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        migrate(url)
        grants = Grants(env=eventsourcing_env(url))
        views = open_views(grants.recorder.datastore)  # type: ignore[attr-defined]
    pool = ConnectionPool(url, min_size=1, max_size=4, open=True)
    return Services(
        database_url=url,
        grants=grants,
        views=views,
        users=Users(pool),
        pool=pool,
        reconciliations=Reconciliations(pool),
    )

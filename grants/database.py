"""PostgreSQL: the embedded server when no ``DATABASE_URL`` is set, the settings
``eventsourcing``'s recorder reads from its environment, and what an outage looks like."""

from __future__ import annotations

import getpass
import os
import warnings
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing import persistence
from psycopg.conninfo import conninfo_to_dict

# The errors of a database that cannot be reached, or whose connection broke: the
# request may succeed if tried again shortly (503), unlike errors in what was asked.
UNAVAILABLE: tuple[type[Exception], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    persistence.OperationalError,
    persistence.InterfaceError,
)

# How long a request waits for a pooled connection before it answers 503: under an
# outage no connection comes, and the client is better told at once.
POOL_WAIT_SECONDS = 1

# Rows a server-side cursor brings back per round trip, for reads streamed through one
# (a reconciliation's two sides): psycopg's default of 100 made a 100,000-line
# reconciliation's job 4,600 round trips: 6.1 to 7.6 s against 5.1 to 5.9 s (once 7.3 s)
# with 5,000, in alternating runs; 5,000 rows of a ledger's width hold a few megabytes.
STREAMED_ROWS = 5000


def embedded_postgres(data_dir: Path, *, temporary: bool = False) -> str:
    """Starts (or reuses) a PostgreSQL server in ``data_dir/postgres``, listening on a
    unix socket there, and returns its URL. It stops when the last process using it
    exits; a ``temporary`` one (the tests') deletes its data then too."""
    with warnings.catch_warnings():
        # pgserver keeps its lock where platformdirs puts runtime files; without
        # XDG_RUNTIME_DIR (containers, CI) that is /tmp/runtime-<uid>, which works, and
        # platformdirs warned of it on every start, a warning no user can act on.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import pgserver  # imported here: only the embedded default needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server: Any = pgserver.get_server(
        data_dir / "postgres", cleanup_mode="delete" if temporary else "stop"
    )
    return str(server.get_uri())


def name_connections(role: str) -> None:
    """Every connection this process opens (libpq reads these, eventsourcing's pool
    included) carries the process's role and id, so ``pg_stat_activity`` shows who
    holds what; and gives up connecting to an unreachable server after two seconds."""
    os.environ["PGAPPNAME"] = f"grants {role} {os.getpid()}"
    os.environ.setdefault("PGCONNECT_TIMEOUT", "2")


def eventsourcing_env(database_url: str, connections: int = 8) -> dict[str, str]:
    """The ``POSTGRES_*`` variables ``eventsourcing.postgres`` reads, from a URL such as
    ``postgresql://user:password@host:5432/dbname`` or one with ``?host=/socket/dir``;
    its pool keeps one connection and opens up to ``connections``, each checked before
    use, so that the first request after an outage does not meet a dead one."""
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname") or params.get("user") or getpass.getuser()),
        "POSTGRES_HOST": str(params.get("host") or "localhost"),
        "POSTGRES_PORT": str(params.get("port") or 5432),
        "POSTGRES_USER": str(params.get("user") or getpass.getuser()),
        "POSTGRES_PASSWORD": str(params.get("password") or ""),
        "POSTGRES_POOL_SIZE": "1",
        "POSTGRES_MAX_OVERFLOW": str(connections - 1),
        "POSTGRES_PRE_PING": "y",
        # The pool's wait for a connection, despite the name.
        "POSTGRES_CONNECT_TIMEOUT": str(POOL_WAIT_SECONDS),
    }

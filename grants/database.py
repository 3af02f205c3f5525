"""PostgreSQL: the embedded server when no ``DATABASE_URL`` is set, and the settings
``eventsourcing``'s recorder reads from its environment."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from psycopg.conninfo import conninfo_to_dict


def embedded_postgres(data_dir: Path) -> str:
    """Starts (or reuses) a PostgreSQL server in ``data_dir/postgres``, listening on a
    unix socket there, and returns its URL. It stops when the last process using it
    exits."""
    import pgserver  # imported here: only the embedded default needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server: Any = pgserver.get_server(data_dir / "postgres")
    return str(server.get_uri())


def eventsourcing_env(database_url: str) -> dict[str, str]:
    """The ``POSTGRES_*`` variables ``eventsourcing.postgres`` reads, from a URL such as
    ``postgresql://user:password@host:5432/dbname`` or one with ``?host=/socket/dir``."""
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname") or params.get("user") or getpass.getuser()),
        "POSTGRES_HOST": str(params.get("host") or "localhost"),
        "POSTGRES_PORT": str(params.get("port") or 5432),
        "POSTGRES_USER": str(params.get("user") or getpass.getuser()),
        "POSTGRES_PASSWORD": str(params.get("password") or ""),
    }

"""Configuration from the environment, with defaults that work on a developer's machine:
nothing set means an embedded PostgreSQL and Redis in ``./.grants``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The most PostgreSQL connections one process holds, whether it serves the API or runs
# the worker. Two `grants serve --workers 2` and two `grants worker` hold 60 at most,
# well within PostgreSQL's default of 100.
DB_CONNECTIONS = 10
# How long a reconciliation's worker may fall silent before another takes the job over.
JOB_LEASE_SECONDS = 30.0


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    redis_url: str | None
    data_dir: Path
    db_connections: int = DB_CONNECTIONS
    job_lease_seconds: float = JOB_LEASE_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            database_url=environ.get("DATABASE_URL") or None,
            redis_url=environ.get("REDIS_URL") or None,
            data_dir=Path(environ.get("GRANTS_DATA_DIR") or ".grants").resolve(),
            db_connections=int(environ.get("GRANTS_DB_CONNECTIONS") or DB_CONNECTIONS),
            job_lease_seconds=float(environ.get("GRANTS_JOB_LEASE_SECONDS") or JOB_LEASE_SECONDS),
        )

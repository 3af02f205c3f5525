"""The database goes away under traffic and comes back: a TCP proxy between the tracker
and PostgreSQL is cut for a few seconds while clients send commands (each retried with
its Idempotency-Key until answered) and read. No answer is a 500, no command is recorded
twice, ``/health`` answers within a second throughout, and the service is back within
two seconds of the database."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from grants.bootstrap import Services, bootstrap
from grants.users import Role, add_user
from tests.conftest import empty
from tests.proxy import Proxy
from tests.serving import serving

pytestmark = pytest.mark.slow

CUT_SECONDS = 3.0
CLIENTS = 6


@pytest.fixture
def proxied(database_url: str) -> Iterator[tuple[Proxy, Services]]:
    """The tracker's services, connected to PostgreSQL through a proxy."""
    info = conninfo_to_dict(database_url)
    host, port = str(info.get("host") or "localhost"), int(info.get("port") or 5432)
    upstream: tuple[str, int] | Path = (
        Path(host) / f".s.PGSQL.{port}" if host.startswith("/") else (host, port)
    )
    proxy = Proxy(upstream)
    services = bootstrap(make_conninfo(database_url, host="127.0.0.1", port=proxy.port))
    empty(database_url)
    yield proxy, services
    services.close()
    proxy.close()


class Traffic:
    """Clients that each register programs one after another, each program a command
    sent again with its key until it gets an answer that is not a 503; and what they
    and a health prober saw."""

    def __init__(self, address: str, token: str) -> None:
        self.address = address
        self.headers = {"Authorization": f"Bearer {token}"}
        self.stop = threading.Event()
        self.statuses: Counter[int] = Counter()
        self.registered: list[str] = []
        self.successes: list[float] = []  # when each command's answer came
        self.health: list[tuple[float, float, int]] = []  # sent, seconds taken, status
        self._lock = threading.Lock()

    def client(self, number: int) -> None:
        with httpx.Client(base_url=self.address, timeout=30) as http:
            n = 0
            while not self.stop.is_set():
                n += 1
                name = f"Program {number}-{n}"
                key = str(uuid.uuid4())
                while True:
                    try:
                        answer = http.post(
                            "/api/programs",
                            json={
                                "department": "PS",
                                "name_en": name,
                                "name_fr": name,
                                "transfer_type": "grant",
                                "pillars": ["prevention"],
                            },
                            headers={**self.headers, "Idempotency-Key": key},
                        )
                    except httpx.TransportError:
                        time.sleep(0.05)
                        continue
                    with self._lock:
                        self.statuses[answer.status_code] += 1
                    if answer.status_code != 503:
                        break
                    assert answer.headers["retry-after"]
                    time.sleep(0.1)
                with self._lock:
                    if answer.status_code == 201:
                        self.registered.append(name)
                        self.successes.append(time.monotonic())
                # The read path too, between commands.
                read = http.get("/api/views/funding-by-pillar", headers=self.headers)
                with self._lock:
                    self.statuses[read.status_code] += 1

    def prober(self) -> None:
        with httpx.Client(base_url=self.address, timeout=30) as http:
            while not self.stop.is_set():
                sent = time.monotonic()
                answer = http.get("/health")
                self.health.append((sent, time.monotonic() - sent, answer.status_code))
                time.sleep(0.1)


def test_an_outage_answers_503_records_nothing_twice_and_heals_within_two_seconds(
    proxied: tuple[Proxy, Services], redis_url: str
) -> None:
    proxy, services = proxied
    token = add_user(services.database_url, "olivia", Role.PROGRAM_OFFICER)
    with serving(services, redis_url) as address:
        traffic = Traffic(address, token)
        threads = [threading.Thread(target=traffic.client, args=(n,)) for n in range(CLIENTS)] + [
            threading.Thread(target=traffic.prober)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        proxy.cut()
        cut_at = time.monotonic()
        time.sleep(CUT_SECONDS)
        proxy.restore()
        restored_at = time.monotonic()
        time.sleep(3.0)
        traffic.stop.set()
        for thread in threads:
            thread.join(timeout=60)

        programs = httpx.get(f"{address}/api/programs", headers=traffic.headers).json()

    assert not set(traffic.statuses) - {200, 201, 503}, traffic.statuses
    assert traffic.statuses[503], "the cut was not felt"
    # Each command once, however often it was sent.
    names = Counter(program["name_en"] for program in programs)
    assert names == Counter(traffic.registered)
    assert max(names.values()) == 1
    # /health within a second, and 503 while the database was away.
    assert max(took for _, took, _ in traffic.health) < 1.0, traffic.health
    during = [
        status
        for sent, took, status in traffic.health
        if cut_at + 0.5 < sent and sent + took < restored_at
    ]
    assert during and set(during) == {503}, traffic.health
    # Back within two seconds of the database.
    after = [at for at in traffic.successes if at > restored_at]
    assert after and after[0] - restored_at < 2.0, after[:1]
    assert any(status == 200 for sent, _, status in traffic.health if sent > restored_at + 2)

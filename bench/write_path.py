"""Write-path benchmark: how close commands come to what PostgreSQL itself can commit.

In one run, on one PostgreSQL (DATABASE_URL's server, or the embedded one), in a database
made for the run:

  (a) raw: single-row INSERT + COMMIT transactions, one after another on one connection;
  (b) save: the application's own disbursement commands, one after another, in process;
  (c) http: disbursement commands through HTTP from 16 concurrent clients against
      ``grants serve``, with p50/p99 latency: the median of three rounds, each against
      a server started for it (one round alone varies by a fifth on this 2-core
      machine, which the load generator, the server processes and PostgreSQL share);
  (d) store: the event recorder alone, single-event writes from 16 threads, to show
      how much of the gap the database accounts for;
  (e) bare: the same requests from the same clients against a bare Litestar app served
      the same way (``bench/bare_app.py``: the body decoded into the same command, the
      same answer, nothing else): what the server stack alone costs here;

and prints (c)/(a), (b)/(a) and (c)/(e), and the machine's CPU per command in (c), all
processes counted (PostgreSQL's too): two cores can carry no more commands a second
than two seconds divided by it. Run by hand: ``.venv/bin/python bench/write_path.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import psycopg
from eventsourcing.persistence import StoredEvent
from psycopg.conninfo import conninfo_to_dict, make_conninfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.processes import api_server, cpu_seconds, machine_cpu_seconds
from bench.store import DISCLOSURE
from grants.application import Context, Grants
from grants.bootstrap import bootstrap
from grants.commands import (
    Approve,
    Assess,
    CashFlowLine,
    ReceiveApplication,
    RegisterProgram,
    ReleasePayment,
    RequestPayment,
    SetAllocation,
    SignAgreement,
)
from grants.database import embedded_postgres
from grants.domain.fiscal_year import FiscalYear
from grants.domain.recipient import Recipient
from grants.domain.reference import PaymentBasis, Pillar, TransferType
from grants.domain.values import MAX_CENTS
from grants.settings import Settings
from grants.users import Role, add_user

FY = FiscalYear("2021-22")
ON = date(2021, 6, 1)
PAID_ON = date(2021, 9, 15)
OFFICER, FINANCE = Context(actor="olivia"), Context(actor="fiona")


@dataclass
class Payable:
    project_id: UUID
    request_id: UUID


def raw_rate(url: str, seconds: float) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, state bytea)")
        state = b"x" * 300  # about the size of a stored disbursement event
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            with conn.transaction():
                conn.execute("INSERT INTO bench_raw (state) VALUES (%s)", (state,))
            count += 1
        return count / (time.perf_counter() - started)


def prepare(grants: Grants, projects: int, per_project: int) -> list[list[Payable]]:
    """Projects under agreement, each with certified requests waiting for release."""
    program_id = grants.handle(
        OFFICER,
        RegisterProgram(
            department="PS",
            name_en="Bench",
            name_fr="Banc",
            pillars=[Pillar.PREVENTION],
            transfer_type=TransferType.CONTRIBUTION,
            effective_on=ON,
        ),
    ).id
    grants.handle(
        OFFICER, SetAllocation(amount_cents=MAX_CENTS, effective_on=ON), program_id, fiscal_year=FY
    )
    batches = []
    for _ in range(projects):
        project_id = grants.handle(
            OFFICER,
            ReceiveApplication(
                program_id=program_id,
                recipient=Recipient("Org", "ON"),
                title_en="Bench",
                title_fr="Banc",
                pillar=Pillar.PREVENTION,
                requested_cents=10**9,
                effective_on=ON,
            ),
        ).id
        for command in (
            Assess(score=80, recommendation="fund", effective_on=ON),
            Approve(cash_flow=[CashFlowLine(FY, 10**9)], effective_on=ON),
            SignAgreement(
                signed_on=ON,
                start_on=ON,
                end_on=date(2022, 3, 31),
                payment_basis=PaymentBasis.ADVANCE,
                holdback_percent=0,
                disclosure=DISCLOSURE,
            ),
        ):
            grants.handle(OFFICER, command, project_id)
        request = RequestPayment(fiscal_year=FY, amount_cents=100, effective_on=ON)
        batches.append(
            [
                Payable(project_id, grants.handle(OFFICER, request, project_id).id)
                for _ in range(per_project)
            ]
        )
    return batches


def save_rate(grants: Grants, payables: list[Payable]) -> float:
    started = time.perf_counter()
    for n, p in enumerate(payables):
        released = ReleasePayment(
            payment_request_id=p.request_id, payment_ref=f"SAVE-{n}", paid_on=PAID_ON
        )
        grants.handle(FINANCE, released, p.project_id)
    return len(payables) / (time.perf_counter() - started)


def store_rate(grants: Grants, threads: int, writes: int) -> float:
    def write() -> None:
        originator = uuid.uuid4()
        for version in range(1, writes // threads + 1):
            grants.recorder.insert_events([StoredEvent(originator, version, "bench", b"x" * 300)])

    workers = [threading.Thread(target=write) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return (writes // threads) * threads / (time.perf_counter() - started)


async def client(port: int, token: str, payables: list[Payable], latencies: list[float]) -> None:
    """A keep-alive HTTP/1.1 client that sends one disbursement after another."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for p in payables:
        body = json.dumps(
            {
                "payment_request_id": str(p.request_id),
                "payment_ref": f"HTTP-{p.request_id.hex[:12]}",
                "paid_on": PAID_ON.isoformat(),
            }
        ).encode()
        request = (
            f"POST /api/projects/{p.project_id}/disbursements HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Idempotency-Key: {uuid.uuid4()}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        started = time.perf_counter()
        writer.write(request)
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if b" 201 " not in status:
            raise RuntimeError(f"disbursement refused: {status!r}")
    writer.close()


@dataclass
class HttpFigures:
    rate: float
    p50: float
    p99: float
    server_cpu: float  # seconds of CPU the server processes spent per command
    client_cpu: float
    machine_cpu: float  # every process's, the database's included


def http_rate(url: str, batches: list[list[Payable]], workers: int) -> HttpFigures:
    return _through_http(
        batches, workers, add_user(url, "fiona", Role.FINANCE_OFFICER), {"DATABASE_URL": url}
    )


def bare_rate(batches: list[list[Payable]], workers: int) -> HttpFigures:
    return _through_http(batches, workers, "none", {}, "bench.bare_app")


def _through_http(
    batches: list[list[Payable]],
    workers: int,
    token: str,
    env: dict[str, str],
    module: str = "grants.cli serve",
) -> HttpFigures:
    with api_server(env, workers, module) as (port, server):
        latencies: list[float] = []

        async def run() -> float:
            started = time.perf_counter()
            await asyncio.gather(*(client(port, token, b, latencies) for b in batches))
            return time.perf_counter() - started

        server_cpu_before = cpu_seconds(server.pid)
        client_cpu_before = time.process_time()
        machine_cpu_before = machine_cpu_seconds()
        elapsed = asyncio.run(run())
        server_cpu = cpu_seconds(server.pid) - server_cpu_before
        client_cpu = time.process_time() - client_cpu_before
        machine_cpu = machine_cpu_seconds() - machine_cpu_before
    latencies.sort()
    count = len(latencies)
    return HttpFigures(
        rate=count / elapsed,
        p50=statistics.median(latencies),
        p99=latencies[int(count * 0.99) - 1],
        server_cpu=server_cpu / count,
        client_cpu=client_cpu / count,
        machine_cpu=machine_cpu / count,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10, help="duration of (a)")
    parser.add_argument("--commands", type=int, default=4000, help="commands for (b) and for (c)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="grants serve processes for (c)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (c), the median kept")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    settings = Settings.from_env()
    server = settings.database_url or embedded_postgres(Path(".grants-bench"))
    name = f"grants_bench_{int(time.time())}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_conninfo(server, dbname=name)
    where = conninfo_to_dict(server).get("host", "localhost")
    try:
        services = bootstrap(url)
        grants = services.grants
        per_client = args.commands // args.clients
        save_batches = prepare(grants, args.clients, per_client)
        rounds = [prepare(grants, args.clients, per_client) for _ in range(args.rounds)]

        a = raw_rate(url, args.seconds)
        b = save_rate(grants, [p for batch in save_batches for p in batch])
        d = store_rate(grants, args.clients, args.commands)
        services.close()
        measured = sorted(
            (http_rate(url, batches, args.workers) for batches in rounds), key=lambda h: h.rate
        )
        http = measured[len(measured) // 2]
        unused = [
            [Payable(uuid.uuid4(), uuid.uuid4()) for _ in range(per_client)]
            for _ in range(args.clients)
        ]
        bare = sorted((bare_rate(unused, args.workers) for _ in rounds), key=lambda h: h.rate)
        e = bare[len(bare) // 2]
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"PostgreSQL at {where}, {os.cpu_count()} cores")
    print(f"(a) raw insert+commit, 1 connection     {a:8.0f} tx/s")
    print(f"(b) application save, disbursements     {b:8.0f} commands/s")
    c = http.rate
    print(
        f"(c) HTTP, {args.clients} clients, {args.workers} server processes  {c:8.0f} commands/s"
        f"   p50 {http.p50 * 1000:.1f} ms   p99 {http.p99 * 1000:.1f} ms"
    )
    print(f"    rounds: {', '.join(f'{h.rate:.0f}' for h in measured)} commands/s, the median kept")
    print(
        f"    CPU per command: server {http.server_cpu * 1000:.2f} ms,"
        f" load generator {http.client_cpu * 1000:.2f} ms"
    )
    print(f"    machine CPU per command, all processes: {http.machine_cpu * 1000:.2f} ms")
    print(f"(d) event recorder alone, {args.clients} threads {d:8.0f} writes/s")
    print(
        f"(e) bare Litestar, same requests            {e.rate:8.0f} requests/s"
        f"   server CPU {e.server_cpu * 1000:.2f} ms, machine {e.machine_cpu * 1000:.2f} ms"
        " per request"
    )
    print(f"(c)/(a) = {c / a:.2f}   (b)/(a) = {b / a:.2f}   (c)/(e) = {c / e.rate:.2f}")
    figures.save(
        args.json,
        {
            "cores": os.cpu_count() or 1,
            "clients": args.clients,
            "workers": args.workers,
            "raw": a,
            "application": b,
            "http": c,
            "http_rounds": [h.rate for h in measured],
            "http_p50": http.p50,
            "http_p99": http.p99,
            "server_cpu": http.server_cpu,
            "client_cpu": http.client_cpu,
            "machine_cpu": http.machine_cpu,
            "recorder": d,
            "bare": e.rate,
            "bare_server_cpu": e.server_cpu,
            "bare_machine_cpu": e.machine_cpu,
        },
    )


if __name__ == "__main__":
    main()

"""Read-path benchmark: funding by pillar through HTTP from 16 concurrent clients
against ``grants serve``, with p50/p99 latency and requests/s (the median of five
rounds), on a store of 10,000 and then of 1,000,000 events. The p99 should grow by no more than 20%.
Run by hand: ``.venv/bin/python bench/read_path.py``."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.processes import api_server
from bench.store import Generator, bench_database, cores
from grants.bootstrap import bootstrap
from grants.projections.rebuild import rebuild
from grants.users import Role, add_user

ROUNDS = 5

QUERIES = [
    "/api/views/funding-by-pillar",
    "/api/views/funding-by-pillar?fiscal_year=2021-22",
    "/api/views/funding-by-pillar?department=JUS",
    "/api/views/funding-by-pillar?pillar=prevention&fiscal_year=2022-23",
]


async def client(
    port: int, token: str, requests: int, latencies: list[float], queries: list[str]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for n in range(requests):
        request = (
            f"GET {queries[n % len(queries)]} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
        started = time.perf_counter()
        writer.write(request)
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if b" 200 " not in status:
            raise RuntimeError(f"refused: {status!r}")
    writer.close()


def load(
    url: str, clients: int, requests: int, workers: int, queries: list[str] = QUERIES
) -> tuple[float, float, float]:
    token = add_user(url, "sasha", Role.STRATEGY_ANALYST)
    with api_server({"DATABASE_URL": url}, workers) as (port, _):
        latencies: list[float] = []

        async def run() -> float:
            started = time.perf_counter()
            await asyncio.gather(
                *(client(port, token, requests, latencies, queries) for _ in range(clients))
            )
            return time.perf_counter() - started

        asyncio.run(run())  # warm up: connections, prepared statements, caches
        rounds = []
        for _ in range(ROUNDS):
            latencies.clear()
            elapsed = asyncio.run(run())
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99) - 1]
            rounds.append((len(latencies) / elapsed, statistics.median(latencies), p99))
    # The round with the median p99: one round alone varies a lot on a small machine.
    return sorted(rounds, key=lambda r: r[2])[len(rounds) // 2]


def settle(url: str) -> None:
    """Leaves the database as a running service would find it: vacuumed and analyzed,
    so that autovacuum, woken by a million new rows, does not run during the
    measurement."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--workers", type=int, default=2, help="grants serve processes")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    runs = []
    with bench_database("read") as url:
        services = bootstrap(url)
        generator = Generator(services.grants)
        print(f"{cores()} cores, {args.clients} clients, {args.workers} server processes")
        p99s = []
        for size in map(int, args.sizes.split(",")):
            events = generator.fill(size)
            rebuild(services.grants, list(services.views.by_name().values()))
            settle(url)
            rate, p50, p99 = load(url, args.clients, args.requests, args.workers)
            p99s.append(p99)
            rows = len(services.views.funding.rows())
            runs.append({"events": events, "rows": rows, "rate": rate, "p50": p50, "p99": p99})
            print(
                f"{events:>10,} events ({rows} funding rows): {rate:7.0f} requests/s"
                f"   p50 {p50 * 1000:6.1f} ms   p99 {p99 * 1000:6.1f} ms"
            )
        services.close()
        print(f"p99 grew by {(p99s[-1] / p99s[0] - 1) * 100:+.0f}%")
    figures.save(args.json, {"clients": args.clients, "workers": args.workers, "runs": runs})


if __name__ == "__main__":
    main()

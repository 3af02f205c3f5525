"""Reconciliation benchmark: a 100,000-line ledger against 100,000 disbursements, from
the upload to the report done, through the real API server and worker (arq on Redis).
Target: under 10 seconds on 2 cores, memory under 500 MB. Run by hand:
``.venv/bin/python bench/reconcile.py`` (``DATABASE_URL``/``REDIS_URL`` to use real
servers; otherwise embedded ones)."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.processes import api_server, peak_mb, worker
from bench.store import Generator, bench_database, cores
from grants import money
from grants.bootstrap import bootstrap
from grants.projections.rebuild import rebuild
from grants.queue import embedded_redis
from grants.settings import Settings
from grants.users import Role, add_user

YEAR = "2021-22"


def ledger(url: str, lines: int, seed: int = 7) -> tuple[bytes, int]:
    """The financial system's ledger of the recorded payments, ~1% of them changed:
    amounts, dates, some left out, some twice, some unknown to the tracker."""
    r = random.Random(seed)
    with psycopg.connect(url) as conn:
        paid = conn.execute(
            "SELECT payment_ref, amount_cents, paid_on FROM payment_requests"
            " WHERE paid_on IS NOT NULL ORDER BY request_id LIMIT %s",
            (lines,),
        ).fetchall()
    rows = ["payment_ref,amount,paid_on,recipient"]
    for ref, cents, paid_on in paid:
        roll = r.random()
        if roll < 0.002:
            continue  # tracker only
        if roll < 0.004:
            cents += 1
        elif roll < 0.006:
            paid_on = paid_on.replace(day=1)
        rows.append(f'{ref},"{money.plain(cents)}",{paid_on},Organization')
        if roll > 0.998:
            rows.append(rows[-1])  # duplicate
    while len(rows) <= lines:
        rows.append(f"X{len(rows)},10.00,2021-10-01,Unknown")  # ledger only
    return ("\n".join(rows[: lines + 1]) + "\n").encode(), len(paid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument(
        "--disbursements",
        type=int,
        help="disbursements in the store (default: one per line); the ledger's other "
        "lines are unknown to the tracker",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    redis_url = Settings.from_env().redis_url
    redis_handle = None
    if redis_url is None:
        redis_url, redis_handle = embedded_redis(Path(tempfile.mkdtemp()))
    with bench_database("reconcile") as url:
        services = bootstrap(url)
        started = time.perf_counter()
        # About eleven events per project, two payments on average; more if that was
        # not enough (a small store varies more).
        generator, events, paid = Generator(services.grants), 0, 0
        wanted = args.disbursements or args.lines
        while paid < wanted:
            events = generator.fill(events + wanted * 6)
            rebuild(services.grants, list(services.views.by_name().values()))
            with psycopg.connect(url) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM payment_requests WHERE paid_on IS NOT NULL"
                ).fetchone()
            paid = row[0] if row else 0
        print(f"{cores()} cores; store of {events:,} events, {paid:,} disbursements "
              f"(made and projected in {time.perf_counter() - started:.0f}s)")  # fmt: skip
        data, disbursements = ledger(url, args.lines)
        token = add_user(url, "fiona", Role.FINANCE_OFFICER)
        services.close()
        env = {"DATABASE_URL": url, "REDIS_URL": redis_url}
        with worker(env) as job_worker, api_server(env) as (port, server):
            time.sleep(3)  # the worker starts its projections and its first jobs
            base = f"http://127.0.0.1:{port}/api/reconciliations"
            headers = {"Authorization": f"Bearer {token}"}
            started = time.perf_counter()
            answer = httpx.post(
                f"{base}?fiscal_year={YEAR}",
                content=data,
                headers={**headers, "Content-Type": "text/csv"},
                timeout=60,
            )
            answer.raise_for_status()
            uploaded = time.perf_counter() - started
            rid = answer.json()["id"]
            while True:
                report = httpx.get(f"{base}/{rid}?limit=1", headers=headers, timeout=60).json()
                if report["reconciliation"]["status"] in ("done", "failed"):
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            summary = report["reconciliation"]
            print(f"ledger {args.lines:,} lines ({len(data) / 1e6:.1f} MB) against "
                  f"{disbursements:,} disbursements: {summary['status']} in {elapsed:.2f}s "
                  f"(upload {uploaded:.2f}s)")  # fmt: skip
            print(f"counts: {summary['counts']}")
            worker_mb, api_mb = peak_mb(job_worker.pid), peak_mb(server.pid)
            print(f"peak memory: worker {worker_mb:.0f} MB, API {api_mb:.0f} MB")
            figures.save(
                args.json,
                {
                    "events": events,
                    "disbursements": disbursements,
                    "lines": args.lines,
                    "mb": len(data) / 1e6,
                    "status": summary["status"],
                    "upload": uploaded,
                    "elapsed": elapsed,
                    "worker_mb": worker_mb,
                    "api_mb": api_mb,
                },
            )
    del redis_handle


if __name__ == "__main__":
    main()

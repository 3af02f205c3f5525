"""Rebuild benchmark: a store of realistic shape, then in one run the store's raw
read-and-decode rate and the rebuild rate of all views, with peak memory, at 100,000
and at 1,000,000 events. Run by hand: ``.venv/bin/python bench/rebuild.py``.

Each measurement runs in a process of its own, so that its peak memory is its own."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg.sql import SQL, Identifier

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.processes import machine_cpu_seconds
from bench.store import Generator, bench_database, cores, peak_rss_mb
from grants.bootstrap import bootstrap
from grants.projections import VIEWS
from grants.projections.rebuild import batches, rebuild_in_processes
from grants.settings import Settings


def measure(url: str) -> dict[str, float]:
    services = bootstrap(url)
    started, read = time.perf_counter(), 0
    for events in batches(services.grants, 0, None):
        read += len(events)
    read_rate = read / (time.perf_counter() - started)
    services.close()
    python_before, machine_before = python_cpu_seconds(), machine_cpu_seconds()
    started = time.perf_counter()
    head = rebuild_in_processes(url, Settings.from_env(), list(VIEWS))  # as the command line
    rebuild_seconds = time.perf_counter() - started
    python = python_cpu_seconds() - python_before
    return {
        "events": head,
        "read_rate": read_rate,
        "rebuild_rate": head / rebuild_seconds,
        "rebuild_seconds": rebuild_seconds,
        "peak_mb": peak_rss_mb(),
        # The rebuild's processes', and the rest of the machine's: PostgreSQL's, mostly.
        "python_cpu": python,
        "other_cpu": machine_cpu_seconds() - machine_before - python,
    }


def python_cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the rebuild's others)."""
    return sum(
        (usage := resource.getrusage(who)).ru_utime + usage.ru_stime
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )


def at_rest(url: str, events_table: str) -> None:
    """Leaves the store as autovacuum would, soon after it is filled: vacuumed (the
    first read of new rows otherwise writes their pages again) and analyzed, so that
    neither measurement shares the machine with autovacuum doing it meanwhile."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SQL("VACUUM (ANALYZE) {}").format(Identifier(events_table)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    with bench_database("rebuild") as url:
        services = bootstrap(url)
        generator = Generator(services.grants)
        print(f"{cores()} cores")
        header = ("events", "read+decode", "rebuild, all views", "time", "ratio", "peak")
        print("{:>10} {:>14} {:>20} {:>8} {:>6} {:>8}".format(*header))
        runs = []
        for size in map(int, args.sizes.split(",")):
            started = time.perf_counter()
            generator.fill(size)
            made = time.perf_counter() - started
            at_rest(url, services.grants.recorder.events_table_name)  # type: ignore[attr-defined]
            child = subprocess.run(
                [sys.executable, __file__, "--measure", url],
                capture_output=True,
                text=True,
                check=True,
            )
            m = json.loads(child.stdout.strip().splitlines()[-1])
            runs.append(m)
            print(
                f"{m['events']:>10,} {m['read_rate']:>10,.0f} ev/s "
                f"{m['rebuild_rate']:>14,.0f} ev/s "
                f"{m['rebuild_seconds']:>7.1f}s {m['rebuild_rate'] / m['read_rate']:>6.2f} "
                f"{m['peak_mb']:>6.0f} MB   (store filled in {made:.0f}s)"
            )
            print(
                f"{'':>10} CPU: the rebuild's processes {m['python_cpu']:.1f} s, the rest of"
                f" the machine (PostgreSQL) {m['other_cpu']:.1f} s"
            )
        services.close()
    figures.save(args.json, {"cores": cores(), "runs": runs})


if __name__ == "__main__":
    main()

"""As-of benchmark: funding by pillar through HTTP from concurrent clients against
``grants serve``, the same four questions asked of today and as of a day, on one store
of the README's size, in one run; each p99 is the median round's of five. Target: the
p99 as of a day at most 1.5 times today's. Run by hand:
``.venv/bin/python bench/as_of.py --events 1000000``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures
from bench.read_path import QUERIES, load, settle
from bench.store import Generator, bench_database, cores
from grants.bootstrap import bootstrap
from grants.projections.rebuild import rebuild

# Days within the store's years (bench/store.py: 2019-20 to 2024-25), each question
# asked as of each in turn.
DAYS = ["2020-03-31", "2021-09-30", "2022-03-31", "2023-12-31"]


def as_of(queries: list[str]) -> list[str]:
    """Every question as of every day."""
    return [
        f"{query}{'&' if '?' in query else '?'}as_of={day}" for day in DAYS for query in queries
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=200, help="per client")
    parser.add_argument("--workers", type=int, default=2, help="grants serve processes")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with bench_database("as_of") as url:
        services = bootstrap(url)
        events = Generator(services.grants).fill(args.events)
        rebuild(services.grants, list(services.views.by_name().values()))
        services.close()
        settle(url)
        print(f"{cores()} cores, {args.clients} clients, {args.workers} server processes")
        measured = {}
        for name, queries in (("today", QUERIES), ("as_of", as_of(QUERIES))):
            rate, p50, p99 = load(url, args.clients, args.requests, args.workers, queries)
            measured[name] = {"rate": rate, "p50": p50, "p99": p99}
            print(
                f"{events:>10,} events, {name:>6}: {rate:7.0f} requests/s"
                f"   p50 {p50 * 1000:6.1f} ms   p99 {p99 * 1000:6.1f} ms"
            )
        ratio = measured["as_of"]["p99"] / measured["today"]["p99"]
        print(f"p99 as of a day / today: {ratio:.2f} (the target: at most 1.5)")
    figures.save(
        args.json,
        {"events": events, "clients": args.clients, "workers": args.workers, **measured},
    )


if __name__ == "__main__":
    main()

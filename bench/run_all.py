"""Runs every benchmark and rewrites the README's tables from what they measured, with
the date and the machine, so that the README can only show measured figures:
``.venv/bin/python bench/run_all.py`` (``DATABASE_URL``/``REDIS_URL`` for real servers,
otherwise embedded ones; about half an hour on two cores).

``--smoke`` runs each at a tiny size and leaves the README alone: CI runs it so that a
benchmark that no longer runs fails the build (it checks that they run, not timings)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.processes import stolen_seconds

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Each benchmark's arguments: at the README's sizes, and tiny.
RUNS: dict[str, tuple[list[str], list[str]]] = {
    "rebuild": (["--sizes", "100000,1000000"], ["--sizes", "400"]),
    "read_path": (
        ["--sizes", "10000,1000000"],
        ["--sizes", "300,600", "--clients", "2", "--requests", "4"],
    ),
    "as_of": (
        ["--events", "1000000"],
        ["--events", "300", "--clients", "2", "--requests", "4"],
    ),
    "reconcile": (["--lines", "100000"], ["--lines", "200"]),
    "write_path": (
        [],
        ["--seconds", "0.5", "--commands", "64", "--clients", "4", "--rounds", "1"],
    ),
}


def run(name: str, smoke: bool) -> dict[str, Any]:
    full, tiny = RUNS[name]
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, str(ROOT / "bench" / f"{name}.py"), *(tiny if smoke else full)]
        print(f"$ {' '.join(command[1:])}", flush=True)
        subprocess.run([*command, "--json", out.name], check=True, cwd=ROOT)
        figures: dict[str, Any] = json.loads(Path(out.name).read_text())
        return figures


def machine(names: list[str]) -> str:
    url = os.environ.get("DATABASE_URL")
    server = "embedded PostgreSQL"
    if url:
        with psycopg.connect(url) as conn:
            version, host = conn.info.server_version, conn.info.host
        server = f"PostgreSQL {version // 10000}.{version % 10000} at {host}"
    return (
        f"Measured {date.today().isoformat()} by `bench/run_all.py` on {os.cpu_count()} cores "
        f"({platform.machine()}, Python {platform.python_version()}), {server}, the load "
        f"generator on the same machine. The machine during the last run ({', '.join(names)}):"
        f" a fixed Python loop took {python_loop_ms():.0f} ms before it"
    )


def python_loop_ms() -> float:
    """How long this machine takes, at the moment, to run a fixed loop of Python (the
    median of five): the same code's figures follow it from one hour to the next."""

    def once() -> float:
        started, total = time.perf_counter(), 0
        for n in range(2_000_000):
            total += n * n
        return (time.perf_counter() - started) * 1000

    return statistics.median(once() for _ in range(5))


def after(speed: str, stolen: float, elapsed: float) -> str:
    """The machine line ended with what the run met: the loop again, and the share of the
    cores' time the hypervisor gave to other machines."""
    cores = os.cpu_count() or 1
    return (
        f"{speed} and {python_loop_ms():.0f} ms after it; the hypervisor gave "
        f"{stolen / (cores * elapsed):.0%} of the cores' time to other machines during it."
    )


def rebuild_table(f: dict[str, Any]) -> str:
    cores = f["cores"]
    rows = [
        "| events | read + decode | rebuild, all views | time | ratio | peak memory "
        "| CPU: rebuild's processes + the rest (PostgreSQL) "
        f"| CPU a ratio of 0.5 leaves, {cores} cores |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in f["runs"]:
        allowed = cores * r["events"] / (0.5 * r["read_rate"])
        rows.append(
            f"| {r['events']:,} | {r['read_rate']:,.0f} events/s | {r['rebuild_rate']:,.0f} "
            f"events/s | {r['rebuild_seconds']:.1f} s | {r['rebuild_rate'] / r['read_rate']:.2f} "
            f"| {r['peak_mb']:.0f} MB | {r['python_cpu']:.1f} s + {r['other_cpu']:.1f} s "
            f"| {allowed:.1f} s |"
        )
    return "\n".join(rows)


def read_table(f: dict[str, Any]) -> str:
    rows = ["| store | requests/s | p50 | p99 |", "|---|---|---|---|"]
    for r in f["runs"]:
        rows.append(
            f"| {r['events']:,} events | {r['rate']:,.0f} | {r['p50'] * 1000:.1f} ms | "
            f"{r['p99'] * 1000:.1f} ms |"
        )
    first, last = f["runs"][0]["p99"], f["runs"][-1]["p99"]
    rows.append("")
    rows.append(
        f"{f['clients']} clients, {f['workers']} server processes; the p99 at the largest "
        f"store against the smallest: {(last / first - 1) * 100:+.0f}% (the target: at most +20%)."
    )
    return "\n".join(rows)


def as_of_table(f: dict[str, Any]) -> str:
    rows = ["| funding-by-pillar | requests/s | p50 | p99 |", "|---|---|---|---|"]
    for name, label in (("today", "today"), ("as_of", "as of a day (`as_of=`)")):
        r = f[name]
        rows.append(
            f"| {label} | {r['rate']:,.0f} | {r['p50'] * 1000:.1f} ms | {r['p99'] * 1000:.1f} ms |"
        )
    rows.append("")
    rows.append(
        f"Store of {f['events']:,} events, {f['clients']} clients, {f['workers']} server "
        f"processes; the p99 as of a day against today's: "
        f"{f['as_of']['p99'] / f['today']['p99']:.2f} (the target: at most 1.5)."
    )
    return "\n".join(rows)


def reconcile_table(f: dict[str, Any]) -> str:
    return "\n".join(
        [
            "| ledger | upload (read, check, keep, queue) | upload to report done | peak memory |",
            "|---|---|---|---|",
            f"| {f['lines']:,} lines ({f['mb']:.1f} MB) against {f['disbursements']:,} "
            f"disbursements, store of {f['events']:,} events | {f['upload']:.2f} s | "
            f"{f['elapsed']:.2f} s ({f['status']}) | worker {f['worker_mb']:.0f} MB, "
            f"API {f['api_mb']:.0f} MB |",
        ]
    )


def write_table(f: dict[str, Any]) -> str:
    raw = f["raw"]
    return "\n".join(
        [
            "| | rate | ratio |",
            "|---|---|---|",
            f"| (a) raw insert+commit, 1 connection | {raw:,.0f} tx/s | |",
            f"| (b) application, disbursements one after another | {f['application']:,.0f} "
            f"commands/s | (b)/(a) = {f['application'] / raw:.2f} |",
            f"| (c) HTTP, {f['clients']} clients, {f['workers']} server processes, the median "
            f"of {len(f['http_rounds'])} rounds | {f['http']:,.0f} commands/s, p50 "
            f"{f['http_p50'] * 1000:.1f} ms, p99 {f['http_p99'] * 1000:.1f} ms | "
            f"(c)/(a) = {f['http'] / raw:.2f} |",
            f"| (d) event recorder alone, {f['clients']} threads | {f['recorder']:,.0f} "
            "writes/s | |",
            f"| (e) bare Litestar app, the same requests (`bench/bare_app.py`) | "
            f"{f['bare']:,.0f} requests/s | (c)/(e) = {f['http'] / f['bare']:.2f} |",
            "",
            f"CPU per command in (c): the server's {f['server_cpu'] * 1000:.2f} ms, the load "
            f"generator's {f['client_cpu'] * 1000:.2f} ms; the whole machine's, every process "
            f"counted (PostgreSQL's too), {f['machine_cpu'] * 1000:.2f} ms, at which "
            f"{f['cores']} cores carry at most {f['cores'] / f['machine_cpu']:,.0f} commands/s. "
            f"(c)/(a) = 0.7 at (a)'s rate asks for at most "
            f"{f['cores'] / (0.7 * raw) * 1000:.2f} ms. In (e), per request: the server's "
            f"{f['bare_server_cpu'] * 1000:.2f} ms, the machine's "
            f"{f['bare_machine_cpu'] * 1000:.2f} ms. The rounds of (c): "
            f"{', '.join(f'{rate:,.0f}' for rate in f['http_rounds'])} commands/s.",
        ]
    )


TABLES: dict[str, Callable[[dict[str, Any]], str]] = {
    "rebuild": rebuild_table,
    "read_path": read_table,
    "as_of": as_of_table,
    "reconcile": reconcile_table,
    "write_path": write_table,
}


def rewrite(text: str, name: str, table: str) -> str:
    """Puts a table between the README's markers ``<!-- bench:NAME -->`` and
    ``<!-- /bench:NAME -->``."""
    pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- bench:{name} --> markers")
    return pattern.sub(lambda m: f"{m[1]}{table}\n{m[2]}", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; README untouched")
    parser.add_argument("names", nargs="*", help=f"some of {', '.join(RUNS)}; default: all")
    args = parser.parse_args()
    if unknown := set(args.names) - set(RUNS):
        parser.error(f"no benchmark {', '.join(sorted(unknown))}")
    # Said first, so that a half-hour run cannot fail at its end on this line.
    names = args.names or list(RUNS)
    where = machine(names)
    stolen, started = stolen_seconds(), time.monotonic()
    measured = {name: run(name, args.smoke) for name in names}
    where = after(where, stolen_seconds() - stolen, time.monotonic() - started)
    for name, figures in measured.items():
        TABLES[name](figures)  # every table can be made from what was measured
    if args.smoke:
        print(f"smoke: {', '.join(measured)} ran")
        return
    text = rewrite(README.read_text(), "machine", where)
    for name, figures in measured.items():
        text = rewrite(text, name, TABLES[name](figures))
    README.write_text(text)
    print(f"README.md: {', '.join(measured)} rewritten")


if __name__ == "__main__":
    main()

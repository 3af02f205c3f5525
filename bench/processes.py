"""The tracker's own processes for a benchmark: the API server and the worker, started
as a user starts them, stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


@contextmanager
def api_server(
    env: dict[str, str], workers: int = 1, module: str = "grants.cli serve"
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``grants serve`` (or another module that serves, as it does, on ``--port`` with
    ``--workers``) on a free port, once it answers; yields the port and process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", *module.split(), "--port", str(port), "--workers", str(workers)],
        env={**os.environ, **env},
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        # The first process to answer is not the last to listen: clients connecting
        # before the others listen would all be that one's.
        for _ in range(300):
            if listeners(port) >= workers:
                break
            time.sleep(0.1)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "grants.cli", "worker"], env={**os.environ, **env}
    )
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (the server's worker processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in [pid, *children(pid)]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_cpu_seconds() -> float:
    """CPU time all the machine's processes have spent since it started, PostgreSQL's
    included (which runs as another user, its connections' processes ending with them)."""
    user, nice, system, _idle, _iowait, irq, softirq, _steal = _cpu_seconds()
    return user + nice + system + irq + softirq


def stolen_seconds() -> float:
    """Time the hypervisor gave this machine's cores to other machines since it started."""
    return _cpu_seconds()[7]


def _cpu_seconds() -> list[float]:
    """The machine's CPU time since it started, all cores: user, nice, system, idle,
    waiting on the disk, interrupts, soft interrupts, stolen."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    return [int(field) / os.sysconf("SC_CLK_TCK") for field in fields]


def peak_mb(pid: int) -> float:
    """The peak resident memory of a running process (and its children), in MB."""
    total = 0
    for p in [pid, *children(pid)]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def listeners(port: int) -> int:
    """How many sockets listen on the port (each server process has its own)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    # local address as ADDR:PORT in hex, then the remote address, then the state (0A).
    return sum(
        1
        for row in rows
        if (fields := row.split())[1].endswith(f":{port:04X}") and fields[3] == "0A"
    )


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

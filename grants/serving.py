"""The server processes of ``grants serve``, run by uvicorn, each listening on the
port with a socket of its own (``SO_REUSEPORT``), so that the kernel spreads new
connections evenly over them.

uvicorn's workers share one listening socket: the process that wakes first accepts
every connection waiting, so a burst of keep-alive clients lands on one process. Sixteen
clients against two processes were split 13/3, 16/0 and 12/4 in three benchmark rounds:
one process did the work of two while the other idled. With a socket each, the same
benchmark committed a quarter more commands per second (``bench/write_path.py``)."""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from typing import cast

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "grants.app:app_from_env"


def serve(host: str, port: int, workers: int, app: str = APP) -> int:
    """Serves an app (the tracker's unless told: the factory's import path) on
    ``host:port`` in ``workers`` processes, until stopped; 1 if the port is taken."""
    if workers == 1 or not _spreads_connections():
        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, log_level="warning")
        return 0
    try:
        # Each process binds its own socket as it starts: a port another program holds
        # is said once, here, rather than by every process uvicorn would start again.
        socket.create_server((host, port), family=_family(host)).close()
    except OSError as error:
        print(f"Cannot listen on {host}:{port}: {error.strerror}", file=sys.stderr)
        return 1
    # uvicorn hands each process the sockets it is given, pickled: this one is unpickled
    # there as a new socket of that process's own.
    own = cast(socket.socket, _OwnSocket(host, port))
    config = uvicorn.Config(
        app, factory=True, host=host, port=port, workers=workers, log_level="warning"
    )
    Multiprocess(config, sockets=[own]).run()
    return 0


@dataclass(frozen=True)
class _OwnSocket:
    host: str
    port: int

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return listening, (self.host, self.port)


def listening(host: str, port: int) -> socket.socket:
    """A socket bound to the port beside the other server processes' (``SO_REUSEPORT``);
    uvicorn makes it listen."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _spreads_connections() -> bool:
    # Linux balances connections over the sockets sharing a port; macOS and the BSDs
    # give them all to one, and Windows has no such option: there, uvicorn's one socket.
    return sys.platform == "linux"


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET

"""The app under uvicorn on a real port, in a thread of the test's process: for tests
that need real connections (a browser, concurrent clients)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from grants.app import create_app
from grants.bootstrap import Services


def free_port() -> int:
    """A port nothing listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(services: Services, redis_url: str) -> Iterator[str]:
    """The app under uvicorn in a thread, queueing its jobs on ``redis_url``; yields its
    address."""
    port = free_port()
    app = create_app(services, redis_url)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)

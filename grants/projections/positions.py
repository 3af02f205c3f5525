"""Reading your own writes: a read that names a store position (a command's answer)
waits until the views it reads include it. However many reads wait, one task per
process polls every view's position and the store's head, in one statement, while
anyone waits; a waiting read holds neither a connection nor a thread."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable

import anyio.to_thread

from grants.projections.status import STORE

# How long a read waits for a view to reach the position asked for before a 503.
WAIT_SECONDS = 3.0
POLL_SECONDS = 0.02


class UnknownPosition(Exception):
    """A position the store has not reached: no command ever answered it."""

    def __init__(self, position: int, head: int) -> None:
        super().__init__(f"the store holds events up to position {head}, not {position}")


class ViewBehind(Exception):
    """The view has not reached the position asked for yet; the client retries soon."""


class DatabaseUnavailable(Exception):
    """The positions could not be read: the database does not answer."""


class Positions:
    def __init__(self, read: Callable[[], dict[str, int]], poll_seconds: float = POLL_SECONDS):
        self._read = read
        self._poll_seconds = poll_seconds
        self._latest: dict[str, int] = {}
        self._error: Exception | None = None
        self._waiting = 0
        self._changed: asyncio.Condition | None = None
        self._poller: asyncio.Task[None] | None = None

    async def reached(
        self, views: Iterable[str], position: int | None, timeout: float = WAIT_SECONDS
    ) -> int:
        """The least position of the views, once it is at least ``position``."""
        names = list(views)
        latest = await self._fresh()
        if position is not None and position > latest[STORE]:
            raise UnknownPosition(position, latest[STORE])
        deadline = time.monotonic() + timeout
        while position is not None and min(latest[name] for name in names) < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                behind = [name for name in names if latest[name] < position]
                raise ViewBehind(
                    f"the {', '.join(behind)} view(s) have not reached position {position} yet"
                )
            latest = await self._next(remaining)
        return min(latest[name] for name in names)

    async def _fresh(self) -> dict[str, int]:
        try:
            self._latest = await anyio.to_thread.run_sync(self._read)
        except Exception as error:
            raise DatabaseUnavailable(str(error)) from error
        return self._latest

    async def _next(self, timeout: float) -> dict[str, int]:
        """The positions after the poller's next reading, or as they are at the timeout."""
        if self._changed is None:
            self._changed = asyncio.Condition()
        async with self._changed:
            self._waiting += 1
            if self._poller is None or self._poller.done():
                self._poller = asyncio.create_task(self._poll())
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                pass
            finally:
                self._waiting -= 1
        if self._error is not None:
            raise DatabaseUnavailable(str(self._error)) from self._error
        return self._latest

    async def _poll(self) -> None:
        assert self._changed is not None
        while self._waiting:
            await asyncio.sleep(self._poll_seconds)
            try:
                self._latest, self._error = await anyio.to_thread.run_sync(self._read), None
            except Exception as error:
                self._error = error
            async with self._changed:
                self._changed.notify_all()

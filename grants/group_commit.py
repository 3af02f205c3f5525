"""Group commit: what concurrent callers write shares one transaction.

The event store serializes its inserts with a table lock held until the commit is on
disk, so one command per transaction caps the store at one disk flush per command.
Here callers queue what they would write and wait; a writer thread takes everything
queued and writes it in one transaction. If that transaction is refused because one
caller's write conflicts (an aggregate changed meanwhile, a repeated idempotency key),
each is written again on its own, so only the culprit gets the error.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Waiter(Generic[T, R]):
    item: T
    # Held until the write is settled: the caller waits to take it. A lock rather than
    # an Event, which is a condition over a lock and makes another lock for each wait
    # (made, settled and waited on: 0.2 µs against 3.1 µs).
    settled: threading.Lock = field(default_factory=threading.Lock)
    result: R | None = None
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.settled.acquire()


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        write: Callable[[Sequence[T]], Sequence[R]],
        conflict: type[BaseException],
        max_batch: int = 100,
    ) -> None:
        self._write = write
        self._conflict = conflict
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Waiter[T, R]] = queue.SimpleQueue()
        self._start = threading.Lock()
        self._writer: threading.Thread | None = None

    def submit(self, item: T) -> R:
        """Blocks until ``item`` is committed, and returns what the write returned for it."""
        waiter: _Waiter[T, R] = _Waiter(item)
        self._ensure_writer()
        self._queue.put(waiter)
        waiter.settled.acquire()
        if waiter.error is not None:
            raise waiter.error
        return waiter.result  # type: ignore[return-value]

    def _ensure_writer(self) -> None:
        if self._writer is None:
            with self._start:
                if self._writer is None:
                    self._writer = threading.Thread(
                        target=self._run, name="group-commit", daemon=True
                    )
                    self._writer.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self._max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Waiter[T, R]]) -> None:
        try:
            results = self._write([waiter.item for waiter in batch])
        except self._conflict as error:
            if len(batch) == 1:
                self._settle(batch[0], error=error)
            else:
                for waiter in batch:
                    self._commit([waiter])
            return
        except BaseException as error:  # delivered to every caller, none left waiting
            for waiter in batch:
                self._settle(waiter, error=error)
            return
        for waiter, result in zip(batch, results, strict=True):
            self._settle(waiter, result=result)

    @staticmethod
    def _settle(
        waiter: _Waiter[T, R], result: R | None = None, error: BaseException | None = None
    ) -> None:
        waiter.result, waiter.error = result, error
        waiter.settled.release()

"""Group commit: concurrent writes share a transaction, and a conflict fails only the
write that caused it."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from grants.group_commit import GroupCommit


class Conflict(Exception):
    pass


class Store:
    """Writes a batch all or nothing, like a transaction; a key may be written once."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.transactions = 0
        self.release = threading.Event()

    def write(self, batch: Sequence[str]) -> list[int]:
        self.release.wait(timeout=5)
        if len(set(batch)) < len(batch) or set(batch) & set(self.keys):
            raise Conflict(batch)
        self.transactions += 1
        self.keys.extend(batch)
        return [self.keys.index(key) for key in batch]


def submit_all(
    group: GroupCommit[str, int], keys: list[str]
) -> tuple[dict[str, object], list[threading.Thread]]:
    outcomes: dict[str, object] = {}

    def submit(key: str, n: int) -> None:
        try:
            outcomes[f"{key}#{n}"] = group.submit(key)
        except Conflict as error:
            outcomes[f"{key}#{n}"] = error

    threads = [threading.Thread(target=submit, args=(k, n)) for n, k in enumerate(keys)]
    for thread in threads:
        thread.start()
    return outcomes, threads


def test_concurrent_writes_share_transactions() -> None:
    store = Store()
    group: GroupCommit[str, int] = GroupCommit(store.write, conflict=Conflict)
    _, threads = submit_all(group, [f"k{n}" for n in range(20)])
    store.release.set()
    for thread in threads:
        thread.join()
    assert sorted(store.keys) == sorted(f"k{n}" for n in range(20))
    assert store.transactions < 20


def test_a_conflict_fails_only_its_own_write() -> None:
    store = Store()
    store.keys.append("taken")
    group: GroupCommit[str, int] = GroupCommit(store.write, conflict=Conflict)
    outcomes, threads = submit_all(group, ["a", "taken", "b", "c"])
    store.release.set()
    for thread in threads:
        thread.join()
    failed = [key for key, outcome in outcomes.items() if isinstance(outcome, Conflict)]
    assert failed == ["taken#1"]
    assert sorted(store.keys) == ["a", "b", "c", "taken"]


def test_any_other_error_reaches_every_waiting_caller() -> None:
    def broken(batch: Sequence[str]) -> list[int]:
        raise OSError("the database is gone")

    group: GroupCommit[str, int] = GroupCommit(broken, conflict=Conflict)
    with pytest.raises(OSError, match="gone"):
        group.submit("a")

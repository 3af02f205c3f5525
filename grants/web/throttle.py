"""Throttling of signing in to the web pages, per account (the typed name, case-folded)
and per client address, so that passwords cannot be guessed at speed. Enough failures
in a row lock the account or the address for 30 seconds, and each failure after that
doubles the lock, up to 15 minutes; a locked sign-in is refused before its password is
checked. The counts live in PostgreSQL, where every server process sees them."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from psycopg_pool import ConnectionPool

audit = logging.getLogger("grants.audit")


class Kind(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


# Failures in a row before a lock. An address gets more: several people may sign in
# from behind one (an office's NAT), and each of them may mistype.
THRESHOLDS = {Kind.ACCOUNT: 5, Kind.ADDRESS: 20}
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
# Failures are forgotten after this long without one, counted from the end of the lock
# when there is one: whoever keeps trying at each lock's end is kept at the longest.
QUIET = timedelta(minutes=15)


def account_of(name: str) -> str:
    """The account a typed name counts against: ``Sasha`` and ``sasha`` are one."""
    return name.strip().casefold()


def lock_for(failures: int, threshold: int) -> timedelta | None:
    """How long the ``failures``-th failure in a row locks for: not at all below the
    threshold, then 30 seconds, doubled at each failure after, at most 15 minutes."""
    if failures < threshold:
        return None
    # The exponent is bounded so that a long siege does not make a huge number.
    return min(LONGEST_LOCK, FIRST_LOCK * (1 << min(failures - threshold, 32)))


@dataclass(frozen=True)
class Lock:
    until: datetime
    # Whole seconds to wait, rounded up: the ``Retry-After`` of the refusal.
    retry_after: int


# Counts one more failure, or the first after a quiet while. The upsert takes the row's
# lock, so that failures arriving at once from several processes are each counted.
_COUNT = """
INSERT INTO sign_in_failures AS f (kind, subject, failures, last_failed_at, forget_at)
VALUES (%(kind)s, %(subject)s, 1, now(), now() + %(quiet)s)
ON CONFLICT (kind, subject) DO UPDATE SET
    failures = CASE WHEN f.forget_at <= now() THEN 1 ELSE f.failures + 1 END,
    last_failed_at = now(),
    forget_at = greatest(f.forget_at, now() + %(quiet)s)
RETURNING failures, now()
"""

_LOCK = """
UPDATE sign_in_failures SET locked_until = now() + %(span)s,
    forget_at = now() + %(span)s + %(quiet)s
WHERE kind = %(kind)s AND subject = %(subject)s
RETURNING locked_until
"""

# Forgotten failures go when new ones come, as expired sessions do; rows another
# request holds are left for the next time, so that two requests never wait on each
# other here.
_FORGET = """
DELETE FROM sign_in_failures WHERE (kind, subject) IN (
    SELECT kind, subject FROM sign_in_failures WHERE forget_at <= now()
    LIMIT 1000 FOR UPDATE SKIP LOCKED)
"""


class SignInThrottle:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def lock(self, account: str | None, address: str) -> Lock | None:
        """The lock that holds now on the account (None: the name cannot be one) or
        the address, the later ending when both are locked."""
        with self._pool.connection() as conn:
            row = conn.execute(
                "SELECT max(locked_until), now() FROM sign_in_failures"
                " WHERE locked_until > now() AND ((kind = %s AND subject = %s)"
                " OR (kind = %s AND subject = %s))",
                (Kind.ACCOUNT, account or "", Kind.ADDRESS, address),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        return _lock(row[0], row[1])

    def failed(self, account: str | None, address: str) -> Lock | None:
        """Counts a failed sign-in against the account (None: the name cannot be one)
        and the address; the lock it brings on, if any. Each lock is an audit line."""
        subjects = [(Kind.ADDRESS, address)]
        if account is not None:
            # Accounts before addresses, in every request, so that two requests never
            # each hold a row the other waits for.
            subjects.insert(0, (Kind.ACCOUNT, account))
        locks: list[tuple[Kind, str, int, Lock]] = []
        with self._pool.connection() as conn:
            conn.execute(_FORGET)
            conn.commit()
            for kind, subject in subjects:
                key = {"kind": kind, "subject": subject, "quiet": QUIET}
                counted = conn.execute(_COUNT, key).fetchone()
                assert counted is not None
                failures, now = counted
                span = lock_for(failures, THRESHOLDS[kind])
                if span is None:
                    continue
                locked = conn.execute(_LOCK, {**key, "span": span}).fetchone()
                assert locked is not None
                locks.append((kind, subject, failures, _lock(locked[0], now)))
        for kind, subject, failures, lock in locks:
            audit.warning(
                "sign-in locked: %s %r after %d failed attempts in a row, until %s",
                kind,
                subject,
                failures,
                lock.until.isoformat(),
            )
        return max((lock for *_, lock in locks), key=lambda lock: lock.until, default=None)

    def succeeded(self, account: str) -> None:
        """The account's failures are forgotten; the address's are not, or one good
        password would let its holder guess at others' for ever."""
        with self._pool.connection() as conn:
            conn.execute(
                "DELETE FROM sign_in_failures WHERE kind = %s AND subject = %s",
                (Kind.ACCOUNT, account),
            )


def _lock(until: datetime, now: datetime) -> Lock:
    return Lock(until, max(1, math.ceil((until - now).total_seconds())))

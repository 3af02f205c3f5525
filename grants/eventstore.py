"""The event store's adapters: events stored as msgspec JSON, and a PostgreSQL recorder
that also records idempotency answers in the same transaction as the events (and its
twin in memory, for the application's tests)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    JSONTranscoder,
    Mapper,
    StoredEvent,
)
from eventsourcing.popo import POPOApplicationRecorder, POPOFactory
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import get_topic, resolve_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from grants import idempotency
from grants.binary import array
from grants.domain.books import Guard
from grants.domain.fiscal_year import FiscalYear
from grants.group_commit import GroupCommit


def _encode_custom(value: Any) -> Any:
    if isinstance(value, FiscalYear):
        return str(value)
    raise NotImplementedError(type(value))


_encode = msgspec.json.Encoder(enc_hook=_encode_custom).encode


def as_builtins(event: DomainEventProtocol[UUID]) -> dict[str, Any]:
    """An event's fields as JSON-ready values, as they are stored."""
    fields: dict[str, Any] = msgspec.to_builtins(event, enc_hook=_encode_custom)
    return fields


def _decode_custom(type_: type, value: Any) -> Any:
    if type_ is FiscalYear:
        return _fiscal_year(value)
    raise NotImplementedError(type_)


@cache
def _fiscal_year(text: str) -> FiscalYear:
    # A hundred or so fiscal years are written in millions of stored events.
    return FiscalYear(text)


@cache
def _decoder(topic: str) -> Callable[[bytes], Any]:
    """Decodes the stored state of one event class, upcasting older versions."""
    cls = resolve_topic(topic)
    class_version = getattr(cls, "class_version", 1)
    typed = msgspec.json.Decoder(cls, dec_hook=_decode_custom).decode
    if class_version == 1:
        return typed
    # The state of an event of the current version decodes straight into its class
    # (which ignores the version's key); only older ones go through a dict.
    current = b'{"class_version":%d,' % class_version

    def decode_and_upcast(state: bytes) -> Any:
        if state.startswith(current):
            return typed(state)
        fields = msgspec.json.decode(state)
        version = fields.pop("class_version", 1)
        while version < class_version:
            getattr(cls, f"upcast_v{version}_v{version + 1}")(fields)
            version += 1
        return msgspec.convert(fields, cls, dec_hook=_decode_custom)

    return decode_and_upcast


class MsgspecMapper(Mapper[UUID]):
    """Stores each event as the JSON of its fields, typed on the way back by msgspec:
    several times faster than the default transcoder, which matters for rebuilds.

    Event classes are versioned as ``eventsourcing`` does it: a class with
    ``class_version = 2`` has a static ``upcast_v1_v2(state: dict)`` beside it."""

    def __init__(self) -> None:
        super().__init__(transcoder=JSONTranscoder())

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = _encode(domain_event)
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state = b'{"class_version":%d,%s' % (class_version, state[1:])
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        return decode(stored_event.topic, stored_event.state)


@cache
def event_class(topic: str) -> type:
    """The class a stored event's topic names (as the store's decoder resolves it)."""
    cls: type = resolve_topic(topic)
    return cls


def decode(topic: str, state: bytes) -> DomainEventProtocol[UUID]:
    """A stored event's state as its class, upcast from an older version if need be."""
    event: DomainEventProtocol[UUID] = _decoder(topic)(state)
    return event


# The record function's parameters, arrays of these types: the events' columns, the
# answers', the years the books guard, the aggregates read.
_RECORD_PARAMETERS = (
    *("uuid", "bigint", "text", "bytea"),
    *("text", "text", "text", "uuid", "integer", "uuid", "integer"),
    *("text", "text", "text"),
    *("uuid", "bigint"),
)

# The books' arrays the record function takes, in its order.
_GUARDED: tuple[Callable[[Guard], frozenset[FiscalYear]], ...] = (
    lambda g: g.touched,
    lambda g: g.freezing,
    lambda g: g.unfreezing,
)


@dataclass(frozen=True)
class _Write:
    """One command's write: its events and, if it came with a key, its answer; the
    versions of the aggregates its decision read without saving them."""

    events: Sequence[StoredEvent]
    answer: tuple[idempotency.Claim, idempotency.Receipt] | None
    periods: Guard | None
    reads: Mapping[UUID, int]


# Writes the events of several commands and their idempotency answers in one statement,
# so in one round trip and one implicit transaction. It takes the table lock that
# eventsourcing's own recorder takes (notification ids then commit in the order they
# are given, so no subscriber misses one) and notifies its subscribers, like it; unlike
# it, the lock is held only while the server works, never while a client thread waits
# for its turn to run.
_RECORD_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.{function}(
    ids uuid[], versions bigint[], topics text[], states bytea[],
    users text[], keys text[], fingerprints text[], receipts uuid[],
    receipt_versions integer[], projects uuid[], last_events integer[],
    touched text[], freezing text[], unfreezing text[], read_ids uuid[], read_versions bigint[]
) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE
    positions bigint[];
BEGIN
    LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;
    -- The aggregates a decision read without saving them (the framework a results
    -- report is checked against), checked under the lock: as they were read, and not
    -- changed by another write of the batch, whose writes then go one by one.
    IF cardinality(read_ids) > 0 AND (read_ids && ids OR EXISTS (
        SELECT 1 FROM unnest(read_ids, read_versions) AS r(id, version)
        WHERE r.version <> coalesce((SELECT max(originator_version) FROM {schema}.{table}
                                     WHERE originator_id = r.id), 0)
    )) THEN
        RAISE EXCEPTION 'an aggregate the decision read has changed'
            USING ERRCODE = 'check_violation';
    END IF;
    -- The books, checked under the lock: nothing is written into a frozen fiscal year
    -- (being closed, or closed). A batch that freezes a year another of its writes
    -- touches is refused whole, and its writes then go one by one.
    IF cardinality(touched) > 0 AND (touched && freezing OR EXISTS (
        SELECT 1 FROM {schema}.fiscal_year_books WHERE frozen AND fiscal_year = ANY(touched)
    )) THEN
        RAISE EXCEPTION 'the write touches a closed fiscal year' USING ERRCODE = 'check_violation';
    END IF;
    NOTIFY {channel};
    WITH inserted AS (
        INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)
        SELECT * FROM unnest(ids, versions, topics, states)
        RETURNING notification_id
    )
    SELECT array_agg(notification_id ORDER BY notification_id) INTO positions FROM inserted;
    INSERT INTO {schema}.idempotency_keys
        (user_name, key, fingerprint, receipt_id, version, project_id, position)
    SELECT u, k, f, r, v, p, positions[l]
    FROM unnest(users, keys, fingerprints, receipts, receipt_versions, projects, last_events)
        AS answer(u, k, f, r, v, p, l);
    IF cardinality(freezing) > 0 THEN
        INSERT INTO {schema}.fiscal_year_books (fiscal_year, frozen)
        SELECT DISTINCT y, true FROM unnest(freezing) y
        ON CONFLICT (fiscal_year) DO UPDATE SET frozen = true;
    END IF;
    IF cardinality(unfreezing) > 0 THEN
        UPDATE {schema}.fiscal_year_books SET frozen = false WHERE fiscal_year = ANY(unfreezing);
    END IF;
    RETURN QUERY SELECT unnest(positions);
END
$$
"""


_ANSWER = """
SELECT fingerprint, receipt_id, version, project_id, position
FROM idempotency_keys WHERE user_name = %s AND key = %s
"""


class IdempotentRecorder(PostgresApplicationRecorder):
    """Records a command's events and, when the command came with an Idempotency-Key,
    its answer, in one transaction: a second answer for the same key violates the
    table's primary key, so that transaction fails and the caller finds the first
    answer instead. Concurrent commands share transactions (group commit)."""

    # eventsourcing retries reads ten times, a fifth of a second apart, each time waiting
    # for a connection: a command would wait many seconds to learn that the database is
    # down. One attempt; the client is answered 503 and tries again.
    select_events = PostgresApplicationRecorder.select_events.__wrapped__
    select_notifications = PostgresApplicationRecorder.select_notifications.__wrapped__
    max_notification_id = PostgresApplicationRecorder.max_notification_id.__wrapped__

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        function = Identifier(f"{events_table_name}_record")
        schema = Identifier(self.datastore.schema)
        # The function as it was before it checked what a decision read.
        self.sql_create_statements.append(
            SQL(
                "DROP FUNCTION IF EXISTS {}.{}(uuid[], bigint[], text[], bytea[], text[], text[], "
                "text[], uuid[], integer[], uuid[], integer[], text[], text[], text[])"
            ).format(schema, function)
        )
        self.sql_create_statements.append(
            SQL(_RECORD_FUNCTION).format(
                schema=schema,
                function=function,
                table=Identifier(events_table_name),
                channel=Identifier(self.channel_name),
            )
        )
        # Binary: the text form of arrays is escaped element by element, in Python.
        arrays = ", ".join(f"%b::{kind}[]" for kind in _RECORD_PARAMETERS)
        # As bytes once: psycopg quotes a composed statement's names again at every
        # execution (3% of the server's work per command, under py-spy).
        self._record = (
            SQL(f"SELECT * FROM {{}}.{{}}({arrays})").format(schema, function).as_bytes(None)
        )
        # The upper bound filters the batch, outside the index's range: with both bounds
        # in the range, a store the planner has no figures for yet (just filled or
        # restored, not yet analyzed) is taken for a few hundred rows, and every batch
        # sorted all the events after its start (a rebuild of 100,000 events read its
        # batches in 0.92 s rather than 0.25 s). One bound is taken for a third of the
        # table, and the index is walked up to the limit.
        self._stored_after = SQL(
            "SELECT * FROM (SELECT notification_id, topic, state FROM {}.{} "
            "WHERE notification_id > %s ORDER BY notification_id LIMIT %s) batch "
            "WHERE notification_id <= %s"
        ).format(schema, Identifier(events_table_name))
        self._group: GroupCommit[_Write, Sequence[int]] = GroupCommit(
            self._write, conflict=IntegrityError
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        return self._group.submit(
            _Write(
                stored_events,
                kwargs.get("idempotency"),
                kwargs.get("periods"),
                kwargs.get("reads") or {},
            )
        )

    def stored_after(
        self, after: int, limit: int, upto: int | None = None
    ) -> list[tuple[int, str, bytes]]:
        """The position, topic and state of the events after a position (up to another):
        what the views read, in batches of thousands, as plain rows rather than
        eventsourcing's notifications (a rebuild spent a tenth of its time making those)."""
        # In binary, the states come as they are stored: as text, bytea is sent in hex,
        # twice its size, and decoded back (half the time of reading a batch).
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row, binary=True) as curs,
        ):
            curs.execute(*self.reading(after, limit, upto), prepare=True)
            rows: list[tuple[int, str, bytes]] = curs.fetchall()
            return rows

    def reading(
        self, after: int, limit: int, upto: int | None = None
    ) -> tuple[Composed, tuple[int, int, int]]:
        """The statement ``stored_after`` runs, and its parameters."""
        return self._stored_after, (after, limit, upto if upto is not None else 2**63 - 1)

    def first_answer(self, claim: idempotency.Claim) -> idempotency.Receipt | None:
        """The answer recorded for the claim's key, if a command was recorded with it."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(_ANSWER, (claim.user, claim.key), prepare=True)
            return idempotency.answer(claim, curs.fetchone())

    def _write(self, writes: Sequence[_Write]) -> list[Sequence[int]]:
        events = [event for write in writes for event in write.events]
        answers, last_event = [], 0
        for write in writes:
            last_event += len(write.events)
            if write.answer is not None and write.events:
                claim, receipt = write.answer
                answers.append((*idempotency.insert_params(claim, receipt), last_event))
        guards = [write.periods for write in writes if write.periods is not None]
        reads = [read for write in writes for read in write.reads.items()]
        params: tuple[list[Any], ...] = (
            [e.originator_id for e in events],
            [e.originator_version for e in events],
            [e.topic for e in events],
            [e.state for e in events],
            *([list(values) for values in zip(*answers, strict=True)] or [[]] * 7),
            *(sorted({str(y) for g in guards for y in years(g)}) for years in _GUARDED),
            *([list(values) for values in zip(*reads, strict=True)] or [[]] * 2),
        )
        # Each array framed at once, as its parameter's type, not by psycopg a value at a
        # time (a twentieth of the server's work per command).
        arrays = [
            array(kind, values) for kind, values in zip(_RECORD_PARAMETERS, params, strict=True)
        ]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._record, arrays, prepare=True)
            positions = iter([row[self._column] for row in curs.fetchall()])
        return [[next(positions) for _ in write.events] for write in writes]

    @property
    def _column(self) -> str:
        return f"{self.events_table_name}_record"


class InMemoryRecorder(POPOApplicationRecorder):
    """The same contract in memory: a command's events and its answer are recorded
    together under the store's lock, and a second answer for one key is refused like
    a conflicting event. For running the application without a server (its tests)."""

    def __init__(self) -> None:
        super().__init__()
        self._answers: dict[tuple[str, str], dict[str, Any]] = {}
        # The books as the record function keeps them: the frozen years.
        self._frozen: set[FiscalYear] = set()

    def first_answer(self, claim: idempotency.Claim) -> idempotency.Receipt | None:
        with self._database_lock:
            return idempotency.answer(claim, self._answers.get((claim.user, claim.key)))

    def _assert_uniqueness(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        super()._assert_uniqueness(stored_events)
        answer = kwargs.get("idempotency")
        if answer is not None and (answer[0].user, answer[0].key) in self._answers:
            raise IntegrityError("this Idempotency-Key has its answer")
        periods: Guard | None = kwargs.get("periods")
        if periods is not None and periods.touched & (self._frozen | periods.freezing):
            raise IntegrityError("the write touches a closed fiscal year")
        reads: Mapping[UUID, int] = kwargs.get("reads") or {}
        for read, version in reads.items():
            if max(self._stored_events_index[str(read)], default=0) != version:
                raise IntegrityError("an aggregate the decision read has changed")

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._update_table(stored_events)
        answer: tuple[idempotency.Claim, idempotency.Receipt] | None = kwargs.get("idempotency")
        if answer is not None and positions:
            claim, receipt = answer
            self._answers[claim.user, claim.key] = {
                "fingerprint": claim.fingerprint,
                "receipt_id": receipt.id,
                "version": receipt.version,
                "project_id": receipt.project_id,
                "position": positions[-1],
            }
        periods: Guard | None = kwargs.get("periods")
        if periods is not None and positions:
            self._frozen = (self._frozen | periods.freezing) - periods.unfreezing
        return positions


class InMemoryFactory(POPOFactory):
    """``PERSISTENCE_MODULE`` for an application kept in memory."""

    def application_recorder(self) -> ApplicationRecorder:
        return InMemoryRecorder()

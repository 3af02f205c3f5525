"""The event store's adapters: events stored as msgspec JSON, and a PostgreSQL recorder
that also records idempotency answers in the same transaction as the events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic, resolve_topic
from psycopg import Cursor
from psycopg.rows import DictRow

from grants import idempotency
from grants.domain.fiscal_year import FiscalYear


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
        return FiscalYear(value)
    raise NotImplementedError(type_)


@cache
def _decoder(topic: str) -> Callable[[bytes], Any]:
    """Decodes the stored state of one event class, upcasting older versions."""
    cls = resolve_topic(topic)
    class_version = getattr(cls, "class_version", 1)
    if class_version == 1:
        return msgspec.json.Decoder(cls, dec_hook=_decode_custom).decode

    def decode_and_upcast(state: bytes) -> Any:
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
        event: DomainEventProtocol[UUID] = _decoder(stored_event.topic)(stored_event.state)
        return event


class IdempotentRecorder(PostgresApplicationRecorder):
    """Records the events of a command and, when the command came with an
    Idempotency-Key, its answer, in one transaction. A second answer for the same key
    violates the table's primary key, so the whole transaction fails and the caller
    finds the first answer instead."""

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        answer: tuple[idempotency.Claim, idempotency.Receipt] | None = kwargs.get("idempotency")
        if answer is not None:
            curs.execute(idempotency.INSERT, idempotency.insert_params(*answer))
        super()._insert_events(curs, stored_events, **kwargs)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        answer: tuple[idempotency.Claim, idempotency.Receipt] | None = kwargs.get("idempotency")
        if answer is not None and ids:
            claim, _ = answer
            curs.execute(idempotency.SET_POSITION, (max(ids), claim.user, claim.key))
        return ids

"""A view's rows go to PostgreSQL in its binary format: as one array per column
(``unnest(%b::uuid[], ...)``) or, for rows only ever added, as COPY's binary rows.
psycopg dumps a list, or a row, one value at a time in Python, which took two fifths of
a rebuild's folding; here each column is framed (each value's length, then its bytes)
by struct and bytes joins, mapped over the whole column at once.

Columns mixing types, or of types not here, are left to psycopg's own list dumper."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import chain, repeat
from operator import attrgetter, is_
from typing import Any
from uuid import UUID

import msgspec
from psycopg import adapters
from psycopg.adapt import Buffer, Dumper
from psycopg.postgres import types
from psycopg.pq import Format
from psycopg.types.json import Jsonb

_LENGTH = struct.Struct(">i")
_NULL = _LENGTH.pack(-1)
_WORD16 = _LENGTH.pack(16)
_INT8, _INT4 = struct.Struct(">iq"), struct.Struct(">ii")
# PostgreSQL's epoch, for days and moments.
_DAY_ZERO = date(2000, 1, 1).toordinal()
_MOMENT_ZERO = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_NUMBER = attrgetter("int")


def _uuids(values: Sequence[UUID]) -> list[bytes]:
    # A UUID's bytes are its number's, in network order (UUID.bytes, without the call).
    return list(map(_WORD16.__add__, map(int.to_bytes, map(_NUMBER, values), repeat(16))))


def _texts(values: Sequence[str]) -> list[bytes]:
    encoded = list(map(str.encode, values))
    distinct = set(encoded)
    if len(distinct) * 4 > len(encoded):
        return [_LENGTH.pack(len(value)) + value for value in encoded]
    # Most text columns repeat a few values (pillars, departments, fiscal years): each
    # is framed once.
    framed = {value: _LENGTH.pack(len(value)) + value for value in distinct}
    return list(map(framed.__getitem__, encoded))


def _bigints(values: Sequence[int]) -> list[bytes]:
    return list(map(_INT8.pack, repeat(8), values))


def _integers(values: Sequence[int]) -> list[bytes]:
    return list(map(_INT4.pack, repeat(4), values))


def _days(values: Sequence[date]) -> list[bytes]:
    return [_INT4.pack(4, value.toordinal() - _DAY_ZERO) for value in values]


def _moments(values: Sequence[datetime]) -> list[bytes]:
    return [_INT8.pack(8, (value - _MOMENT_ZERO) // _MICROSECOND) for value in values]


def _bytes(values: Sequence[bytes]) -> list[bytes]:
    return [_LENGTH.pack(len(value)) + value for value in values]


def _jsons(values: Sequence[Jsonb]) -> list[bytes]:
    # jsonb's version, then the text.
    data = [b"\x01" + msgspec.json.encode(value.obj) for value in values]
    return [_LENGTH.pack(len(value)) + value for value in data]


# By PostgreSQL's name of the type: each value of a column without nulls, framed.
_FRAMERS: dict[str, Callable[[Sequence[Any]], list[bytes]]] = {
    "uuid": _uuids,
    "text": _texts,
    "bigint": _bigints,
    "integer": _integers,
    "date": _days,
    "timestamptz": _moments,
    "jsonb": _jsons,
    "bytea": _bytes,
}


class OutOfRange(ValueError):
    """A number past its column's type: what the server would refuse."""


def framed(kind: str, values: Sequence[Any]) -> list[bytes]:
    """Each value as PostgreSQL's binary format frames it, in a column of type ``kind``:
    its length, then its bytes (a null, its length alone)."""
    nulls = any(map(is_, values, repeat(None)))
    present = [value for value in values if value is not None] if nulls else values
    try:
        done = _FRAMERS[kind](present)
    except struct.error:
        raise OutOfRange(f"{kind} out of range: a value of the column is past it") from None
    if not nulls:
        return done
    each = iter(done)
    return [_NULL if value is None else next(each) for value in values]


class Column:
    """One column's values, encoded as a one-dimensional binary array."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def _column_class(element: str) -> tuple[type[Column], int]:
    """A Column class for arrays of ``element``, dumped as they are; and the element's
    type."""
    info = types.get(element)
    assert info is not None and info.array_oid
    array_oid = info.array_oid
    column = type(f"{element.capitalize()}Column", (Column,), {"__slots__": ()})

    class ColumnDumper(Dumper):
        format = Format.BINARY
        oid = array_oid

        def dump(self, obj: Column) -> Buffer:
            return obj.data

    adapters.register_dumper(column, ColumnDumper)
    return column, info.oid


# An array's type by its values' Python type. Moments stay with psycopg: its C dumper
# is faster than arithmetic on them here.
_KINDS = {UUID: "uuid", str: "text", int: "bigint", date: "date", Jsonb: "jsonb", bytes: "bytea"}
_ELEMENTS = {"bigint": "int8", "integer": "int4"}
_CLASSES = {
    kind: _column_class(_ELEMENTS.get(kind, kind)) for kind in (*_KINDS.values(), "integer")
}


def column(values: Sequence[Any]) -> Column | list[Any]:
    """The values as one binary array if, nulls aside, they are all of one type this
    module encodes or texts of any class (``bool`` is an int, but not one of them),
    else as a list for psycopg."""
    present = set(map(type, values))
    nulls = type(None) in present
    present.discard(type(None))
    # A text's subclasses (the domain's enumerations, fiscal years) are texts to the
    # server, and most text columns hold them.
    kinds = {str if issubclass(kind, str) else kind for kind in present}
    if len(kinds) != 1 or (kind := _KINDS.get(kinds.pop())) is None:
        return list(values)
    try:
        return _array(kind, values, nulls)
    except OutOfRange:
        # A number past bigint: psycopg sends it as numeric and the server's refusal
        # names the column's type ("bigint out of range"), which the view's failure
        # then says.
        return list(values)


def array(kind: str, values: Sequence[Any]) -> Column:
    """The values, of PostgreSQL's type ``kind`` or null, as one binary array: for a
    statement whose parameters' types are known, empty arrays included (which psycopg
    would dump a value at a time through its list dumper, to find no value)."""
    if not values:
        cls, oid = _CLASSES[kind]
        # No dimension: how the server itself sends an empty array.
        return cls(struct.pack(">iii", 0, 0, oid))
    return _array(kind, values, any(map(is_, values, repeat(None))))


def _array(kind: str, values: Sequence[Any], nulls: bool) -> Column:
    cls, oid = _CLASSES[kind]
    # One dimension, whether it holds nulls, the elements' type, length, lower bound.
    head = struct.pack(">iiiii", 1, nulls, oid, len(values), 1)
    return cls(head + b"".join(framed(kind, values)))


# COPY's binary rows: the signature, no flags, no header extension; a count of -1 ends.
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_TRAILER = struct.pack(">h", -1)


def binary_rows(kinds: Sequence[str], columns: Iterable[Sequence[Any]]) -> bytes:
    """Rows in COPY's binary format, from their columns, of the types ``kinds``."""
    framed_columns = [framed(kind, values) for kind, values in zip(kinds, columns, strict=True)]
    fields = struct.pack(">h", len(kinds))
    rows = chain.from_iterable(zip(repeat(fields), *framed_columns))
    return _SIGNATURE + b"".join(rows) + _TRAILER

"""A view's rows go to PostgreSQL as one array per column (``unnest(%b::uuid[], ...)``).
psycopg dumps a list one element at a time in Python, which took two fifths of a
rebuild's folding; a ``Column`` is encoded in PostgreSQL's binary array format by
struct and bytes joins working on the whole column at once.

Columns holding ``None`` or values of other types (rare in a batch) are left to
psycopg's own list dumper."""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from datetime import date
from itertools import chain, repeat
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from psycopg import adapters
from psycopg.adapt import Buffer, Dumper
from psycopg.postgres import types
from psycopg.pq import Format
from psycopg.types.json import Jsonb

_LENGTH = struct.Struct(">i")
_DAY_ZERO = date(2000, 1, 1).toordinal()  # PostgreSQL's epoch


class Column:
    """One column's values, encoded as a one-dimensional binary array."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def _fixed(code: str, size: int) -> Callable[[Sequence[Any]], bytes]:
    """Elements of a fixed size: each its length word then its value, packed at once."""

    def encode(values: Sequence[Any]) -> bytes:
        pairs = chain.from_iterable(zip(repeat(size), values))
        return struct.pack(">" + ("i" + code) * len(values), *pairs)

    return encode


_int8, _int4 = _fixed("q", 8), _fixed("i", 4)


def _varying(values: Sequence[bytes]) -> bytes:
    return b"".join(
        chain.from_iterable(zip(map(_LENGTH.pack, map(len, values)), values, strict=True))
    )


def _uuids(values: Sequence[UUID]) -> bytes:
    word = _LENGTH.pack(16)
    return word + word.join([value.bytes for value in values])


def _texts(values: Sequence[str]) -> bytes:
    return _varying(list(map(str.encode, values)))


def _days(values: Sequence[date]) -> bytes:
    return _int4([value.toordinal() - _DAY_ZERO for value in values])


def _jsons(values: Sequence[Jsonb]) -> bytes:
    return _varying([b"\x01" + msgspec.json.encode(value.obj) for value in values])


# Python type of the elements: PostgreSQL element type, encoder. Moments stay with
# psycopg: they are few, and its C dumper is faster than arithmetic on them here.
_ENCODERS: dict[type, tuple[str, Callable[[Sequence[Any]], bytes]]] = {
    UUID: ("uuid", _uuids),
    str: ("text", _texts),
    int: ("int8", _int8),
    date: ("date", _days),
    Jsonb: ("jsonb", _jsons),
}


class _Kind(NamedTuple):
    column: type[Column]
    head: bytes  # one dimension, no nulls, the element type
    encode: Callable[[Sequence[Any]], bytes]


def _kind(element: str, encode: Callable[[Sequence[Any]], bytes]) -> _Kind:
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
    return _Kind(column, struct.pack(">iii", 1, 0, info.oid), encode)


_KINDS = {kind: _kind(element, encode) for kind, (element, encode) in _ENCODERS.items()}


def column(values: Sequence[Any]) -> Column | list[Any]:
    """The values as one binary array if they are all of one type this module encodes
    (``bool`` is an int, but not one of them), else as a list for psycopg."""
    if not values:
        return []
    kind = type(values[0])
    found = _KINDS.get(kind)
    if found is None or any(type(value) is not kind for value in values):
        return list(values)
    dimension = struct.pack(">ii", len(values), 1)  # length, lower bound
    return found.column(found.head + dimension + found.encode(values))

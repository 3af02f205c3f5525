"""A view's rows go to PostgreSQL as one array per column (``unnest(%b::uuid[], ...)``).
psycopg dumps a list one element at a time in Python, which took two fifths of a
rebuild's folding; a ``Column`` is encoded in PostgreSQL's binary array format by
struct and bytes joins working on the whole column at once (a column with nulls, one
value at a time).

Columns mixing types, or of types not here, are left to psycopg's own list dumper."""

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
_BIGINT, _DAY = struct.Struct(">q"), struct.Struct(">i")


def _varying(values: Sequence[bytes]) -> bytes:
    return b"".join(
        chain.from_iterable(zip(map(_LENGTH.pack, map(len, values)), values, strict=True))
    )


def _uuids(values: Sequence[UUID]) -> bytes:
    word = _LENGTH.pack(16)
    return word + word.join([value.bytes for value in values])


def _texts(values: Sequence[str]) -> bytes:
    encoded = list(map(str.encode, values))
    distinct = set(encoded)
    if len(distinct) * 4 > len(encoded):
        return _varying(encoded)
    # Most text columns repeat a few values (pillars, departments, fiscal years): each
    # is framed once.
    framed = {value: _LENGTH.pack(len(value)) + value for value in distinct}
    return b"".join(map(framed.__getitem__, encoded))


def _days(values: Sequence[date]) -> bytes:
    return _int4([value.toordinal() - _DAY_ZERO for value in values])


def _json(value: Jsonb) -> bytes:
    return b"\x01" + msgspec.json.encode(value.obj)  # jsonb's version, then the text


def _jsons(values: Sequence[Jsonb]) -> bytes:
    return _varying(list(map(_json, values)))


class _Kind(NamedTuple):
    element: str  # PostgreSQL's type of the elements
    encode: Callable[[Sequence[Any]], bytes]  # a column without nulls, at once
    one: Callable[[Any], bytes]  # one value, for a column with nulls


# Moments stay with psycopg: they are few, and its C dumper is faster than arithmetic
# on them here.
_ENCODERS: dict[type, _Kind] = {
    UUID: _Kind("uuid", _uuids, lambda value: value.bytes),
    str: _Kind("text", _texts, str.encode),
    int: _Kind("int8", _int8, _BIGINT.pack),
    date: _Kind("date", _days, lambda value: _DAY.pack(value.toordinal() - _DAY_ZERO)),
    Jsonb: _Kind("jsonb", _jsons, _json),
}
_NULL = _LENGTH.pack(-1)


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


_CLASSES = {kind: _column_class(found.element) for kind, found in _ENCODERS.items()}


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
    if len(kinds) != 1 or (kind := kinds.pop()) not in _ENCODERS:
        return list(values)
    found, (cls, oid) = _ENCODERS[kind], _CLASSES[kind]
    # One dimension, whether it holds nulls, the elements' type, length, lower bound.
    head = struct.pack(">iiiii", 1, nulls, oid, len(values), 1)
    try:
        if not nulls:
            return cls(head + found.encode(values))
        one = found.one
        return cls(
            head
            + b"".join(
                _NULL if value is None else _LENGTH.pack(len(data := one(value))) + data
                for value in values
            )
        )
    except (struct.error, OverflowError):
        # A number past bigint: psycopg sends it as numeric and the server's refusal
        # names the column's type ("bigint out of range"), which the view's failure
        # then says.
        return list(values)

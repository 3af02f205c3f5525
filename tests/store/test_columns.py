"""The views' columns, encoded for PostgreSQL by grants.binary, read back as
the same values psycopg's own dumping gives, for every shape a fold may hand over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from grants.binary import Column, array, column
from grants.domain.fiscal_year import FiscalYear
from grants.domain.reference import Pillar

_TYPES = ("uuid", "text", "bigint", "integer", "date", "jsonb", "bytea")


@pytest.fixture(scope="module")
def conn(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


def _read(conn: psycopg.Connection[Any], kind: str, values: Any) -> list[Any]:
    rows = conn.execute(f"SELECT * FROM unnest(%b::{kind}[]) WITH ORDINALITY", [values])
    return [value for value, _ in rows.fetchall()]


def _values(kind: str) -> st.SearchStrategy[Any]:
    # PostgreSQL stores no NUL in text, nor in JSON's strings.
    text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))
    return {
        "uuid": st.uuids(),
        # The domain's texts: its enumerations and fiscal years are str's subclasses.
        "text": text | st.sampled_from(Pillar) | st.integers(1990, 2100).map(FiscalYear.starting),
        "bigint": st.integers(-(2**63), 2**63 - 1),
        "integer": st.integers(-(2**31), 2**31 - 1),
        "date": st.dates(date(1, 1, 1), date(9999, 12, 31)),
        "jsonb": st.dictionaries(text, st.integers(-(10**12), 10**12) | text).map(Jsonb),
        "bytea": st.binary(max_size=40),
    }[kind]


@st.composite
def _columns(draw: st.DrawFn) -> tuple[str, list[Any]]:
    kind = draw(st.sampled_from(_TYPES))
    return kind, draw(st.lists(_values(kind) | st.none(), max_size=30))


@settings(max_examples=60, deadline=None)
@given(_columns())
def test_a_column_reads_back_as_psycopg_would_send_it(
    conn: psycopg.Connection[Any], drawn: tuple[str, list[Any]]
) -> None:
    kind, values = drawn
    assert _read(conn, kind, column(values)) == _read(conn, kind, list(values))


@settings(max_examples=60, deadline=None)
@given(_columns())
def test_an_array_of_a_known_type_reads_back_as_psycopg_would_send_it(
    conn: psycopg.Connection[Any], drawn: tuple[str, list[Any]]
) -> None:
    """The event store's parameters: empty, all nulls, or a type a list would not
    show (an integer column)."""
    kind, values = drawn
    assert _read(conn, kind, array(kind, values)) == _read(conn, kind, list(values))
    assert _read(conn, kind, array(kind, [])) == []


def test_columns_of_one_type_are_encoded_here_and_the_rest_left_to_psycopg() -> None:
    assert isinstance(column([UUID(int=1), UUID(int=2)]), Column)
    assert isinstance(column(["a", "é"]), Column)
    assert isinstance(column([date(2024, 4, 1)]), Column)
    assert isinstance(column(["a", None]), Column)
    assert isinstance(column([Pillar.PROTECTION, FiscalYear.starting(2024), "a"]), Column)
    assert column([None, None]) == [None, None]
    assert column([True, False]) == [True, False]  # booleans are ints, not one of ours
    assert column([1, "1"]) == [1, "1"]
    assert column([2**63]) == [2**63]  # past bigint: the server's refusal names the type


def test_a_column_repeating_a_few_texts_reads_back_as_psycopg_would_send_it(
    conn: psycopg.Connection[Any],
) -> None:
    values = [*Pillar, "é", ""] * 9
    assert isinstance(column(values), Column)
    assert _read(conn, "text", column(values)) == _read(conn, "text", values)

"""Figures as of any day: per key, a row for each day on which the figures changed,
holding their totals at the end of that day. Reading a day is one index lookup per key
(the latest row on or before it); a change dated before a key's latest row (a fact
recorded late) is added to the rows after it too, which is rare and touches few rows."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date
from operator import add
from typing import Any

from psycopg import Cursor
from psycopg.rows import DictRow

from grants.projections.view import Tables, upsert_rows

Key = tuple[Any, ...]
# Per key, per day: the change of each figure on that day.
Deltas = Mapping[Key, Mapping[date, Sequence[int]]]
# Per key, from the first day changed: (day, figures before, figures after).
Changes = dict[Key, list[tuple[date, tuple[int, ...], tuple[int, ...]]]]


class Series:
    """One table of cumulative rows: ``keys`` (column, SQL type), ``effective_on``, then
    ``figures`` (bigint or integer columns)."""

    def __init__(self, table: str, keys: Sequence[tuple[str, str]], figures: Sequence[str]):
        self.table = table
        self.keys = tuple(keys)
        self.figures = tuple(figures)
        names = [name for name, _ in keys]
        matched = " AND ".join(f"s.{name} = t.{name}" for name in names)
        arrays = ", ".join(f"%b::{kind}[]" for _, kind in keys)
        returned = ", ".join(f"s.{name}" for name in self.figures)
        # The latest row before the first day changed, and every row from that day on.
        self._around = f"""
SELECT t.*, s.effective_on, {returned}
FROM unnest({arrays}, %b::date[]) AS t({", ".join(names)}, since)
CROSS JOIN LATERAL (
    (SELECT * FROM {{{table}}} s WHERE {matched} AND s.effective_on < t.since
     ORDER BY s.effective_on DESC LIMIT 1)
    UNION ALL
    (SELECT * FROM {{{table}}} s WHERE {matched} AND s.effective_on >= t.since)
) s
"""
        columns = [*names, "effective_on", *self.figures]
        self._write = f"""
INSERT INTO {{{table}}} ({", ".join(columns)})
SELECT * FROM unnest({arrays}, %b::date[], {", ".join("%b::bigint[]" for _ in self.figures)})
ON CONFLICT ({", ".join([*names, "effective_on"])}) DO UPDATE SET
    {", ".join(f"{name} = excluded.{name}" for name in self.figures)}
"""
        self._names = names

    def add(self, curs: Cursor[DictRow], tables: Tables, deltas: Deltas) -> Changes:
        """Adds the changes, each on its day and every later day of its key; returns
        what each key's figures were and became on each day from its first change."""
        if not deltas:
            return {}
        since = {key: min(days) for key, days in deltas.items()}
        known: dict[Key, list[tuple[date, tuple[int, ...]]]] = {key: [] for key in deltas}
        # Each batch reads the rows its changes follow or shift, a rebuild's too: kept
        # in memory between a rebuild's batches instead, each key's latest row made the
        # rebuild of a million events 2 to 4 s slower and its process 70-85 MB larger,
        # growing with the number of projects, for no less work in the database.
        around = upsert_rows(curs, tables.sql(self._around), {k: [d] for k, d in since.items()})
        for row in around:
            key = tuple(row[name] for name in self._names)
            known[key].append((row["effective_on"], tuple(row[f] for f in self.figures)))
        zero = (0,) * len(self.figures)
        changes: Changes = {}
        written: dict[Key, tuple[int, ...]] = {}
        for key, days in deltas.items():
            rows, first = known[key], since[key]
            row_days: list[date] | None = None
            if len(rows) > 1 or (rows and rows[0][0] > first):
                rows.sort()
                row_days = [day for day, _ in rows]
                visit = sorted(set(days).union(d for d in row_days if d >= first))
            else:  # at most one row, on or before the first day changed: the base of all
                visit = sorted(days)
            before = rows[0][1] if rows else zero
            changed = changes[key] = []
            running = zero
            for day in visit:
                if row_days is not None:
                    at = bisect_right(row_days, day)
                    before = rows[at - 1][1] if at else zero
                if (delta := days.get(day)) is not None:
                    running = tuple(map(add, running, delta))
                after = tuple(map(add, before, running))
                changed.append((day, before, after))
                written[(*key, day)] = after
        upsert_rows(curs, tables.sql(self._write), written)
        return changes


def steps(changes: Changes) -> dict[Key, dict[date, int]]:
    """Per key, how the number of keys whose first figure is not zero changed, on each
    day: what a count of keys holding money adds to its own series."""
    counted: dict[Key, dict[date, int]] = {}
    for key, days in changes.items():
        was = 0
        for day, before, after in days:
            now = bool(after[0]) - bool(before[0])
            if now != was:
                counted.setdefault(key, {})[day] = now - was
            was = now
    return counted

"""The ledger mappings finance has defined, kept in PostgreSQL: each under a name per
department, with who defined it and when, and the header of the file it was defined on,
so that the next file with that header is offered it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from grants.domain.errors import InvalidValue, RuleViolation, rule
from grants.domain.reference import department_code
from grants.domain.values import text
from grants.finance.columns import LedgerMapping, header_key


class SavedMapping(msgspec.Struct, frozen=True):
    department: str
    name: str
    header: list[str]
    columns: LedgerMapping
    created_by: str
    created_at: datetime

    @property
    def key(self) -> str:
        """How a form names it: its department and its name."""
        return f"{self.department}/{self.name}"

    def fits(self, header: Sequence[str]) -> bool:
        """Whether a file with this header was exported in the layout it was made for."""
        return header_key(self.header) == header_key(header)


class UnknownLedgerMapping(InvalidValue):
    code = "unknown_ledger_mapping"


class LedgerMappingTaken(RuleViolation):
    code = "ledger_mapping_taken"


_COLUMNS = "department, name, header, columns, created_by, created_at"


class LedgerMappings:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def all(self) -> list[SavedMapping]:
        """Every mapping, by department and name."""
        with self._pool.connection() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM ledger_mappings ORDER BY department, name"
            ).fetchall()
        return [_saved(row) for row in rows]

    def offered(self, header: Sequence[str]) -> list[SavedMapping]:
        """Every mapping, those made for this header first, the latest of them first."""
        every = self.all()
        made_for = sorted(
            (m for m in every if m.fits(header)), key=lambda m: m.created_at, reverse=True
        )
        return made_for + [m for m in every if not m.fits(header)]

    def keyed(self, key: str) -> SavedMapping | None:
        """The mapping a form names by its ``key``, if there is one."""
        return next((m for m in self.all() if m.key == key), None)

    def named(self, name: str, department: str | None = None) -> SavedMapping:
        """The mapping of that name (in that department, when a name is used in more
        than one); ``UnknownLedgerMapping`` naming the field to fix otherwise."""
        found = [
            m for m in self.all() if m.name == name.strip() and department in (None, m.department)
        ]
        if not found:
            raise UnknownLedgerMapping(
                rule("no mapping is named {mapping}: the mappings are listed at "
                     "/api/ledger-mappings"),
                field="mapping",
                mapping=name[:100],
            )  # fmt: skip
        if len(found) > 1:
            raise UnknownLedgerMapping(
                rule("{mapping} names a mapping of {departments}: say which department"),
                field="department",
                mapping=name[:100],
                departments=tuple(m.department for m in found),
            )
        return found[0]

    def free(self, department: str, name: str) -> tuple[str, str]:
        """The department and the name a new mapping would be kept under, as they are
        kept; refused when they are not valid or already taken."""
        department = department_code(department)
        name = text(name, field="mapping_name", required=True)
        if self.keyed(f"{department}/{name}") is not None:
            raise _taken(department, name)
        return department, name

    def save(
        self,
        *,
        department: str,
        name: str,
        header: Sequence[str],
        columns: LedgerMapping,
        created_by: str,
    ) -> SavedMapping:
        """Keeps a new mapping; a name its department already uses is refused
        (``LedgerMappingTaken``), so that a name always means one layout."""
        department, name = self.free(department, name)
        with self._pool.connection() as conn:
            row = conn.execute(
                "INSERT INTO ledger_mappings (department, name, header, columns, created_by)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
                f" RETURNING {_COLUMNS}",
                (department, name, list(header), Jsonb(msgspec.to_builtins(columns)), created_by),
            ).fetchone()
        if row is None:
            raise _taken(department, name)
        return _saved(row)


def _taken(department: str, name: str) -> LedgerMappingTaken:
    return LedgerMappingTaken(
        rule("{department} already has a mapping named {mapping}: choose another name"),
        field="mapping_name",
        department=department,
        mapping=name,
    )


def _saved(row: Any) -> SavedMapping:
    department, name, header, columns, created_by, created_at = row
    return SavedMapping(
        department=department,
        name=name,
        header=header,
        columns=msgspec.convert(columns, LedgerMapping),
        created_by=created_by,
        created_at=created_at,
    )

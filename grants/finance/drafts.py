"""Ledgers whose layout the tracker does not know yet, kept while finance says on a page
which column holds what: only then is the file read and sent to be reconciled (or
refused). Nothing but the page reads them; a day later they are gone."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

import msgspec
from psycopg_pool import ConnectionPool

from grants.domain.fiscal_year import FiscalYear

# Long enough to finish the page after lunch; a draft is never reconciled by itself.
KEPT_FOR = "1 day"


class LedgerDraft(msgspec.Struct, frozen=True):
    id: UUID
    fiscal_year: str
    uploaded_by: str
    uploaded_at: datetime
    filename: str | None
    ledger: bytes


class LedgerDrafts:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def keep(
        self, *, fiscal_year: FiscalYear, ledger: bytes, filename: str | None, uploaded_by: str
    ) -> UUID:
        draft_id = uuid4()
        with self._pool.connection() as conn:
            conn.execute(
                "DELETE FROM ledger_drafts WHERE uploaded_at < now() - %s::interval", (KEPT_FOR,)
            )
            conn.execute(
                "INSERT INTO ledger_drafts (id, fiscal_year, uploaded_by, filename, ledger)"
                " VALUES (%s, %s, %s, %s, %b)",
                (draft_id, fiscal_year, uploaded_by, filename, ledger),
            )
        return draft_id

    def get(self, draft_id: UUID, uploaded_by: str) -> LedgerDraft | None:
        """The draft, for the person who uploaded it only."""
        with self._pool.connection() as conn, conn.cursor(binary=True) as curs:
            row = curs.execute(
                "SELECT id, fiscal_year, uploaded_by, uploaded_at, filename, ledger"
                " FROM ledger_drafts WHERE id = %s AND uploaded_by = %s"
                " AND uploaded_at >= now() - %s::interval",
                (draft_id, uploaded_by, KEPT_FOR),
            ).fetchone()
        if row is None:
            return None
        draft_id, fiscal_year, by, at, filename, ledger = row
        return LedgerDraft(draft_id, fiscal_year, by, at, filename, bytes(ledger))

    def drop(self, draft_id: UUID) -> None:
        with self._pool.connection() as conn:
            conn.execute("DELETE FROM ledger_drafts WHERE id = %s", (draft_id,))

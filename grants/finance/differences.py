"""The differences a reconciliation found (every line but the matches) as a CSV file
for a spreadsheet, with both sides of each line."""

from __future__ import annotations

from typing import Any

from grants import money
from grants.finance.downloads import Download
from grants.finance.matching import Class
from grants.finance.reconciliations import Reconciliation, Reconciliations, Side
from grants.spreadsheet import Number, csv_text, for_spreadsheets

DIFFERENCES = tuple(c for c in Class if c is not Class.MATCHED)

HEADER = (
    "class", "payment_ref", "ledger_line", "ledger_amount", "ledger_paid_on",
    "ledger_recipient", "tracker_amount", "tracker_paid_on", "project_id", "tracker_recipient",
)  # fmt: skip


def differences_csv(store: Reconciliations, summary: Reconciliation) -> Download[str]:
    # The references and recipients come from the ledger file and from people's
    # typing: a spreadsheet must not take them for formulas.
    rows = (
        [line.class_, line.payment_ref, *_ledger(line.ledger), *_tracker(line.tracker)]
        for line in store.lines(summary.id, classes=DIFFERENCES)
    )
    # Litestar adds the charset to a text/ type itself.
    return Download(
        f"reconciliation-{summary.fiscal_year}-{summary.id}.csv",
        "text/csv",
        for_spreadsheets(csv_text(HEADER, rows)),
    )


def _ledger(side: Side | None) -> list[Any]:
    if side is None:
        return ["", "", "", ""]
    return [side.line, Number(money.plain(side.amount_cents)), side.paid_on, side.recipient or ""]


def _tracker(side: Side | None) -> list[Any]:
    if side is None:
        return ["", "", "", ""]
    return [
        Number(money.plain(side.amount_cents)),
        side.paid_on,
        side.project_id,
        side.recipient or "",
    ]

"""The differences a reconciliation found (every line but the matches) as a CSV file
for a spreadsheet, with both sides of each line."""

from __future__ import annotations

import csv
import io
from typing import Any

from grants.finance.downloads import Download
from grants.finance.ledger import dollars
from grants.finance.matching import Class
from grants.finance.reconciliations import Reconciliation, Reconciliations, Side

DIFFERENCES = tuple(c for c in Class if c is not Class.MATCHED)

HEADER = (
    "class", "payment_ref", "ledger_line", "ledger_amount", "ledger_paid_on",
    "ledger_recipient", "tracker_amount", "tracker_paid_on", "project_id", "tracker_recipient",
)  # fmt: skip


def differences_csv(store: Reconciliations, summary: Reconciliation) -> Download[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for line in store.lines(summary.id, classes=DIFFERENCES):
        writer.writerow(
            [line.class_, line.payment_ref, *_ledger(line.ledger), *_tracker(line.tracker)]
        )
    return Download(
        f"reconciliation-{summary.fiscal_year}-{summary.id}.csv",
        "text/csv; charset=utf-8",
        out.getvalue(),
    )


def _ledger(side: Side | None) -> list[Any]:
    if side is None:
        return ["", "", "", ""]
    return [side.line, dollars(side.amount_cents), side.paid_on, side.recipient or ""]


def _tracker(side: Side | None) -> list[Any]:
    if side is None:
        return ["", "", "", ""]
    return [dollars(side.amount_cents), side.paid_on, side.project_id, side.recipient or ""]

"""Closing a fiscal year: what the close is decided on, read from the views once they
have read the whole store."""

from __future__ import annotations

import time
from collections.abc import Callable

from grants.application import Grants, YearState
from grants.domain.fiscal_year import FiscalYear
from grants.projections import Views
from grants.projections.positions import POLL_SECONDS, WAIT_SECONDS, ViewBehind


def year_state(
    grants: Grants, views: Views, fiscal_year: FiscalYear, timeout: float = WAIT_SECONDS
) -> Callable[[], YearState]:
    """The fiscal year as the views know it once they have read the whole store: the
    projects with commitments in it and the payment requests charged to it still to be
    released. Asked once the year is frozen, it cannot change meanwhile."""

    def state() -> YearState:
        head = grants.recorder.max_notification_id() or 0
        deadline = time.monotonic() + timeout
        while min(views.awards.position(), views.payments.position()) < head:
            if time.monotonic() > deadline:
                raise ViewBehind(f"the awards and payments views have not reached {head} yet")
            time.sleep(POLL_SECONDS)
        return YearState(
            committed=views.awards.committed_in(fiscal_year),
            awaiting_release=views.payments.awaiting_count(fiscal_year),
        )

    return state

"""The nightly job's flags: the service-standard cases still running that are due within
a week's business days, or overdue, as of the night it ran; kept for officers to chase
that day (``GET /api/views/service-standards`` answers them) and written to the log."""

from __future__ import annotations

import logging
from datetime import date

from psycopg_pool import ConnectionPool

from grants.application import Grants
from grants.domain.fiscal_year import FiscalYear
from grants.domain.service_standards import Standard
from grants.finance.service_standards import AtRisk, service_standards
from grants.projections import Views

logger = logging.getLogger(__name__)

_COLUMNS = "flagged_on, case_id, standard, project_id, program_id, started_on, due_on"


def flag(grants: Grants, views: Views, pool: ConnectionPool, today: date) -> list[AtRisk]:
    """Replaces the flags with the cases about to miss their standard as of ``today``."""
    # The running cases do not depend on the year asked: any year reads them.
    found = service_standards(FiscalYear.of(today), None, None, grants, views, today).at_risk
    with pool.connection() as conn:
        conn.execute("DELETE FROM service_standard_flags")
        with conn.cursor().copy(f"COPY service_standard_flags ({_COLUMNS}) FROM STDIN") as copy:
            for case in found:
                which = (case.case_id, str(case.standard), case.project_id, case.program_id)
                copy.write_row((today, *which, case.started_on, case.due_on))
    overdue = sum(case.overdue for case in found)
    if found:
        logger.warning(
            "service standards: %d cases about to miss their standard, %d overdue",
            len(found) - overdue,
            overdue,
        )
    return found


def flagged(pool: ConnectionPool) -> tuple[date | None, list[AtRisk]]:
    """The night the flags were last worked out, and the cases flagged, soonest due first."""
    with pool.connection() as conn:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM service_standard_flags ORDER BY due_on, case_id"
        ).fetchall()
    if not rows:
        return None, []
    return rows[0][0], [
        AtRisk(
            program_id=program_id,
            project_id=project_id,
            case_id=case_id,
            standard=Standard(standard),
            started_on=started_on,
            due_on=due_on,
            overdue=due_on < flagged_on,
        )
        for flagged_on, case_id, standard, project_id, program_id, started_on, due_on in rows
    ]

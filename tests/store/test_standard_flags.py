"""The nightly job flags the service-standard cases about to miss their standard, and
keeps them for officers to chase until the next night."""

from __future__ import annotations

from datetime import date

from grants.bootstrap import Services
from grants.domain.service_standards import Standard
from grants.finance import standard_flags
from grants.projections.rebuild import catch_up
from tests.history import play


def test_an_application_never_acknowledged_is_flagged_overdue_until_the_next_night(
    services: Services,
) -> None:
    played = play(services.grants, [("apply", 0, 10_000)])
    catch_up(services.grants, services.views.standards)
    assert standard_flags.flagged(services.pool) == (None, [])

    night = date(2021, 6, 1)
    standard_flags.flag(services.grants, services.views, services.pool, night)

    flagged_on, flagged = standard_flags.flagged(services.pool)
    assert flagged_on == night
    acknowledgement = [c for c in flagged if c.standard is Standard.ACKNOWLEDGEMENT]
    assert [(c.project_id, c.overdue) for c in acknowledgement] == [(played.projects[0], True)]

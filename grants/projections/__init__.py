"""The read models, each a projection of the grants application's events into tables
of its own, by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore

from grants.projections.agreements import AgreementsView
from grants.projections.as_of import AsOfView
from grants.projections.awards import AwardsView
from grants.projections.commitments import CommitmentsView
from grants.projections.funding import FundingView
from grants.projections.outcomes import OutcomesView
from grants.projections.payments import PaymentsView
from grants.projections.performance import PerformanceView
from grants.projections.project_list import ProjectListView
from grants.projections.standards import StandardsView
from grants.projections.view import View

VIEWS: dict[str, type[View]] = {
    view.name: view
    for view in (
        FundingView,
        OutcomesView,
        CommitmentsView,
        ProjectListView,
        PaymentsView,
        AwardsView,
        StandardsView,
        AsOfView,
        PerformanceView,
        AgreementsView,
    )
}


@dataclass(frozen=True)
class Views:
    """The views, for reading."""

    funding: FundingView
    outcomes: OutcomesView
    commitments: CommitmentsView
    projects: ProjectListView
    payments: PaymentsView
    awards: AwardsView
    standards: StandardsView
    as_of: AsOfView
    performance: PerformanceView
    agreements: AgreementsView

    def by_name(self) -> dict[str, View]:
        return {view.name: view for view in vars(self).values()}


def open_views(datastore: PostgresDatastore) -> Views:
    """The views, reading and writing through the given datastore."""
    opened: dict[str, Any] = {}
    for name, view_class in VIEWS.items():
        # Named as eventsourcing's factory names a projection's tracking table.
        view = view_class(datastore, tracking_table_name=f"{name}_tracking")
        view.create_table()
        opened[name] = view
    return Views(**opened)

"""The read models, each a projection of the grants application's events into tables
of its own, by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.projection import Projection

from grants.projections.awards import AwardsProjection, AwardsView
from grants.projections.commitments import CommitmentsProjection, CommitmentsView
from grants.projections.funding import FundingProjection, FundingView
from grants.projections.outcomes import OutcomesProjection, OutcomesView
from grants.projections.payments import PaymentsProjection, PaymentsView
from grants.projections.project_list import ProjectListProjection, ProjectListView
from grants.projections.view import View

PROJECTIONS: dict[str, tuple[type[Projection[Any]], type[View]]] = {
    projection.name: (projection, view)
    for projection, view in (
        (FundingProjection, FundingView),
        (OutcomesProjection, OutcomesView),
        (CommitmentsProjection, CommitmentsView),
        (ProjectListProjection, ProjectListView),
        (PaymentsProjection, PaymentsView),
        (AwardsProjection, AwardsView),
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

    def by_name(self) -> dict[str, View]:
        return {view.name: view for view in vars(self).values()}


def open_views(datastore: PostgresDatastore) -> Views:
    """The views, reading and writing through the given datastore."""
    opened: dict[str, Any] = {}
    for name, (_, view_class) in PROJECTIONS.items():
        # Named as eventsourcing's factory names a projection's tracking table.
        view = view_class(datastore, tracking_table_name=f"{name}_tracking")
        view.create_table()
        opened[name] = view
    return Views(**opened)

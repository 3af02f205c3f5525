"""The read models, each a projection of the grants application's events into tables
of its own, by name."""

from __future__ import annotations

from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.projection import Projection

from grants.projections.commitments import CommitmentsProjection, CommitmentsView
from grants.projections.funding import FundingProjection, FundingView
from grants.projections.outcomes import OutcomesProjection, OutcomesView
from grants.projections.project_list import ProjectListProjection, ProjectListView
from grants.projections.view import View

PROJECTIONS: dict[str, tuple[type[Projection[Any]], type[View]]] = {
    projection.name: (projection, view)
    for projection, view in (
        (FundingProjection, FundingView),
        (OutcomesProjection, OutcomesView),
        (CommitmentsProjection, CommitmentsView),
        (ProjectListProjection, ProjectListView),
    )
}


def open_views(datastore: PostgresDatastore) -> dict[str, View]:
    """The views, reading and writing through the given datastore."""
    views: dict[str, View] = {}
    for name, (_, view_class) in PROJECTIONS.items():
        # Named as eventsourcing's factory names a projection's tracking table.
        views[name] = view_class(datastore, tracking_table_name=f"{name}_tracking")
        views[name].create_table()
    return views

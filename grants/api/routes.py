"""The JSON API's operations, for the app to mount: one controller per resource, and
the operations' health and metrics."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from grants.api.agreements import Agreements
from grants.api.calls import Calls
from grants.api.exports import Exports
from grants.api.fiscal_years import FiscalYears
from grants.api.health import health
from grants.api.metrics import metrics
from grants.api.payments import Payments
from grants.api.performance import Performance, PerformanceView, horizontal_initiatives
from grants.api.programs import Programs
from grants.api.projects import Projects
from grants.api.reconciliations import LedgerMappingsController, LedgerReconciliations
from grants.api.results import Results
from grants.api.views import ViewsController
from grants.api.year_end import year_end_view

API: list[ControllerRouterHandler] = [
    health,
    metrics,
    Programs,
    Calls,
    Projects,
    Agreements,
    Payments,
    Results,
    ViewsController,
    PerformanceView,
    Performance,
    horizontal_initiatives,
    year_end_view,
    FiscalYears,
    LedgerReconciliations,
    LedgerMappingsController,
    Exports,
]

"""The coordinators' area (/coordinate): dashboards, item analysis, scenario analytics, indicator mastery, the
audit log, and every table as CSV or XLSX. Trainers see the completion dashboard for their own cascade only."""
from trainer.web.coordinate import routes  # noqa: F401  (registers the views)
from trainer.web.coordinate.common import bp

__all__ = ["bp"]

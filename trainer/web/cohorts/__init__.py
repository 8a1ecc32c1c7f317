"""The trainer's area: cohorts, enrolment, attendance, progress, and the cascade (coordinators see all)."""
from trainer.web.cohorts import cascade, people, roster, routes, sessions  # noqa: F401  (registers the views)
from trainer.web.cohorts.common import bp

__all__ = ["bp"]

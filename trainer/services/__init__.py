"""Use-cases. Each takes a SQLAlchemy session and plain arguments, runs in one transaction, and raises
``trainer.errors`` domain errors; none reads the request, ``g`` or ``current_user``."""

from trainer.services import enrolment_totals  # noqa: E402, F401  (registers the ORM events that keep the totals)

"""Certificates: downloads for holders and trainers, the coordinators' registry, and issuing on completion."""
from trainer.web.certificates import routes  # noqa: F401  (registers the views)
from trainer.web.certificates.common import bp

__all__ = ["bp"]

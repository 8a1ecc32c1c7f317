"""The trainee's area (/learn). Importing the route modules registers their views on the blueprint."""
from trainer.web.learn import courses, join, quizzes, scenarios  # noqa: F401  (route registration)
from trainer.web.learn.common import bp

__all__ = ["bp"]

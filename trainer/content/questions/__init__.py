"""Question types. Importing this package registers every built-in type in ``REGISTRY``."""
from trainer.content.questions import arrange, choice, inspection, typed  # noqa: F401  (registration)
from trainer.content.questions.base import REGISTRY, AnswerError, Explanation, Grade, QuestionBase, get

__all__ = ["REGISTRY", "AnswerError", "Explanation", "Grade", "QuestionBase", "get"]

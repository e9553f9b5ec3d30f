"""The typed SQLAlchemy models; the schema itself is created only by migrations."""

from quizapp.models.draft import Draft
from quizapp.models.quiz import QuizAnswer, QuizAttempt
from quizapp.models.schedule import AuditEntry, Extension, Schedule
from quizapp.models.similarity import SimilarityReport
from quizapp.models.submission import Grading, Submission
from quizapp.models.user import ApiToken, AuthAttempt, User

__all__ = [
    "ApiToken",
    "AuditEntry",
    "AuthAttempt",
    "Draft",
    "Extension",
    "Grading",
    "QuizAnswer",
    "QuizAttempt",
    "Schedule",
    "SimilarityReport",
    "Submission",
    "User",
]

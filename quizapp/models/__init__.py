"""The typed SQLAlchemy models; the schema itself is created only by migrations."""

from quizapp.models.quiz import QuizAnswer, QuizAttempt
from quizapp.models.similarity import SimilarityReport
from quizapp.models.submission import Grading, Submission
from quizapp.models.user import ApiToken, User

__all__ = ["ApiToken", "Grading", "QuizAnswer", "QuizAttempt", "SimilarityReport", "Submission", "User"]

"""Fixtures of the similarity suite."""

from tests.similarity.classroom import similar_class

__all__ = ["similar_class"]

"""Where the Alembic migrations live, for the factory and the test suite."""

from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

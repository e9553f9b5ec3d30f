"""Configuration: environment, overrides and the generated secret key."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.config import build_config


def test_secret_key_generated_once_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SECRET_KEY a random key is generated, stored in the instance folder, and reused."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = build_config(tmp_path, None)["SECRET_KEY"]
    second = build_config(tmp_path, None)["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment variables configure the app, and explicit overrides win over them."""
    monkeypatch.setenv("DATABASE_URL", "sqlite:///env.db")
    monkeypatch.setenv("GRADER_BACKEND", "celery")
    config = build_config(tmp_path, {"GRADER_BACKEND": "local"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///env.db"
    assert config["GRADER_BACKEND"] == "local"
    assert config["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/0"


def test_unknown_backend_is_refused(tmp_path: Path) -> None:
    """A GRADER_BACKEND other than local or celery fails loudly at start-up."""
    with pytest.raises(ValueError, match="GRADER_BACKEND"):
        build_config(tmp_path, {"GRADER_BACKEND": "magic", "SECRET_KEY": "x"})


def test_rate_limit_storage_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RATELIMIT_STORAGE_URI in the environment moves the rate-limit counters, as the README says."""
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    assert build_config(tmp_path, {"SECRET_KEY": "x"})["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    assert build_config(tmp_path, {"SECRET_KEY": "x"})["RATELIMIT_STORAGE_URI"] == "memory://"

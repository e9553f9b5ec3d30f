"""Live-server and browser fixtures, a pytest plugin: the real app under gunicorn, and Debian's chromium.

Reusable by any browser test:

* ``live_server`` — the base URL (``http://127.0.0.1:PORT``) of one server for the whole session, on its
  own temporary SQLite database built with ``flask db upgrade``, with ``GRADER_BACKEND=local``;
* ``live_database_url`` — that server's ``DATABASE_URL``;
* ``create_live_user(email, password, role)`` — adds an account through ``flask users create``;
* ``browser`` (session) and ``page`` (per test, phone-friendly viewport optional via ``new_page``);
* ``artifacts_dir`` — ``test-artifacts/`` for screenshots.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = REPO / "test-artifacts"
STARTUP_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLASK_")}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="browser-test-secret",
        GRADER_BACKEND="local",
        PYTHONPATH=str(REPO),
    )
    env.pop("COURSE_JOIN_CODE", None)
    return env


def run_flask(database_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``flask --app wsgi ARGS`` against the live server's database."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO,
        env=_server_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the live server exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"the live server did not answer within {STARTUP_TIMEOUT_S}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite database for the live server, built by the migrations."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite"
    url = f"sqlite:///{path}"
    result = run_flask(url, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return url


@contextmanager
def gunicorn_server(
    database_url: str,
    log: Path,
    *,
    workers: int = 1,
    threads: int = 4,
    env: dict[str, str] | None = None,
    options: Sequence[str] | None = None,
) -> Iterator[str]:
    """Serve the real app with gunicorn on a free loopback port (extra ``env`` on top); yields its URL.

    ``options`` replaces the worker and thread options (e.g. `make run`'s own).
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    shape = list(options) if options is not None else ["--workers", str(workers), "--threads", str(threads)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", *shape,
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
            ],
            cwd=REPO,
            env={**_server_env(database_url), **(env or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def live_server(live_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app served by gunicorn on a free loopback port; yields its base URL."""
    with gunicorn_server(live_database_url, tmp_path_factory.mktemp("live-log") / "gunicorn.log") as url:
        yield url


@pytest.fixture(scope="session")
def create_live_user(live_database_url: str) -> Callable[..., str]:
    """A function that creates an account in the live server's database and returns its email."""

    def create(email: str, password: str = "correct-horse", role: str = "student") -> str:
        args = ("users", "create", email, "--password", password, "--role", role)
        result = run_flask(live_database_url, *args)
        assert result.returncode == 0, result.stderr
        return email

    return create


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """A factory for pages in fresh browser contexts (own cookies); pass e.g. viewport={...}."""
    contexts: list[Any] = []

    def make(**context_options: Any) -> Any:
        context = browser.new_context(**{"viewport": {"width": 1100, "height": 900}, **context_options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh browser context."""
    return new_page()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """``test-artifacts/`` at the repo root (git-ignored), for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


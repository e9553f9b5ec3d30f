"""Exercise-page fixtures: the browser tests' live gunicorn server, and chromium in a thread of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    create_live_user,
    live_database_url,
    live_server,
)


@pytest.fixture
def in_browser() -> Callable[[Callable[[Any], None]], None]:
    """Run a test body with a fresh chromium, in a thread with its own Playwright.

    The browser tests' session-wide Playwright may still be running in the main thread, and Playwright's
    sync API allows one per thread.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")

    def run(body: Callable[[Any], None]) -> None:
        failure: list[BaseException] = []

        def target() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    try:
                        body(browser)
                    finally:
                        browser.close()
            except BaseException as exc:  # handed back to the test's own thread
                failure.append(exc)

        thread = threading.Thread(target=target, name="exercise-browser-test")
        thread.start()
        thread.join(300)
        assert not thread.is_alive(), "the browser test did not finish in 5 minutes"
        if failure:
            raise failure[0]

    return run

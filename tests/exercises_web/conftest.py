"""Exercise-page fixtures: the browser tests' live gunicorn server and chromium, reused as they are."""

from tests.browser.conftest import (  # noqa: F401
    browser,
    create_live_user,
    live_database_url,
    live_server,
    new_page,
    page,
)

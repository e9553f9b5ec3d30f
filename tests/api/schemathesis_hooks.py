"""Schemathesis hooks for fuzzing the live API: HTTP Basic for the token endpoint, bearer tokens elsewhere.

Loaded by the CLI through ``SCHEMATHESIS_HOOKS=tests.api.schemathesis_hooks``; the account comes from
``QUIZAPP_FUZZ_EMAIL`` and ``QUIZAPP_FUZZ_PASSWORD`` and the server from ``QUIZAPP_FUZZ_URL``. A token
that a generated ``DELETE /api/v1/tokens/...`` revoked is replaced on the next 401 and the request
retried, so the run keeps its credentials.
"""

from __future__ import annotations

import base64
import os
import time
from typing import Any

import requests
import schemathesis

TOKEN_PATH = "/api/v1/tokens"
BASIC = "basic"


def _credentials() -> tuple[str, str]:
    return os.environ["QUIZAPP_FUZZ_EMAIL"], os.environ["QUIZAPP_FUZZ_PASSWORD"]


def new_token() -> str:
    """A bearer token for the fuzzing account (waiting out a 429 if the sign-in limit is reached)."""
    for _ in range(10):
        response = requests.post(os.environ["QUIZAPP_FUZZ_URL"] + TOKEN_PATH, auth=_credentials(), timeout=30)
        if response.status_code != 429:
            break
        time.sleep(min(60, int(response.headers.get("Retry-After", "1"))))
    response.raise_for_status()
    return str(response.json()["token"])


def _is_token_request(case: Any) -> bool:
    return bool(case.operation.path == TOKEN_PATH and case.method.upper() == "POST")


@schemathesis.auth(
    refresh_interval=120,
    retry_on=[401],
    cache_by_key=lambda case, ctx: BASIC if _is_token_request(case) else "bearer",
)
class FuzzCredentials:
    """HTTP Basic where the document asks for it (``POST /api/v1/tokens``), a bearer token elsewhere."""

    def get(self, case: Any, ctx: Any) -> str:
        """The credentials for ``case``: the marker BASIC for the token endpoint, else a bearer token."""
        if _is_token_request(case):
            return BASIC
        return new_token()

    def set(self, case: Any, data: str, ctx: Any) -> None:
        """Put the credentials on the request."""
        headers = case.headers if case.headers is not None else {}
        if data == BASIC:
            email, password = _credentials()
            headers["Authorization"] = "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()
        else:
            headers["Authorization"] = f"Bearer {data}"
        case.headers = headers

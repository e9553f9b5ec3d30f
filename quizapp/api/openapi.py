"""The API's OpenAPI document (docs/openapi.yaml), served as JSON."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from flask.typing import ResponseReturnValue

from quizapp.api import bp
from quizapp.errors import NotFound

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, read and parsed once per process."""
    document: dict[str, Any] = yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))
    return document


@bp.get("/openapi.json")
def get_openapi() -> ResponseReturnValue:
    """The OpenAPI document as JSON; no authentication needed."""
    try:
        document = openapi_document()
    except FileNotFoundError:
        raise NotFound("The OpenAPI document is not installed with this copy.") from None
    # Keep the document's own key order (paths grouped as written) rather than sorted keys.
    body = current_app.json.dumps(document, sort_keys=False)
    return current_app.response_class(body + "\n", mimetype="application/json")

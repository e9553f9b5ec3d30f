"""URL and body parsing at the edge: ids bounded to their column's range, JSON bounded in depth."""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

# Primary keys are SQL INTEGER columns: 32-bit signed on PostgreSQL, so nothing above this can exist.
MAX_ID = 2**31 - 1
# No request body of this API nests deeper than a few levels; anything far past that is hostile.
MAX_JSON_DEPTH = 32


class IdConverter(IntegerConverter):
    """``<int:...>`` for ids: one no column can hold is a plain 404 (never a 500 from the database).

    It raises NotFound itself rather than failing the match, which would let a sibling rule for another
    method turn the answer into a 405.
    """

    def to_python(self, value: str) -> Any:
        """The id as an int; 404 when it is outside 1..MAX_ID (checked on the digits, however many)."""
        digits = value.lstrip("0")
        if not digits or len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
            raise NotFound("There is no such item.")
        number = int(digits)
        if not 1 <= number <= MAX_ID:
            raise NotFound("There is no such item.")
        return number


class JSONTooDeep(ValueError):
    """A JSON document nests deeper than MAX_JSON_DEPTH."""


def json_depth(value: Any) -> int:
    """How deeply containers nest in a decoded JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def loads_bounded(text: str | bytes) -> Any:
    """``json.loads`` that refuses documents nested deeper than MAX_JSON_DEPTH with a ValueError."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise JSONTooDeep(f"JSON nested more than {MAX_JSON_DEPTH} levels deep.") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise JSONTooDeep(f"JSON nested more than {MAX_JSON_DEPTH} levels deep.")
    return data


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider whose ``loads`` (used by ``request.get_json``) refuses deep nesting: a 400."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Decode JSON, refusing documents nested too deeply."""
        if kwargs:
            return super().loads(s, **kwargs)
        return loads_bounded(s)

"""Reading YAML while remembering where each value came from, so errors can name file, line and field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

Location = tuple[str | int, ...]
# Fields that were renamed: a file still using the old name gets told the new one.
RENAMED = {
    "show_explanations": "renamed to review: always, after_pass_or_last_attempt (the default) or never "
    "(see docs/quiz-format.md)",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, in the form ``file:line: field: message``."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentError(ValueError):
    """A content file (or several) is invalid; ``problems`` lists every issue found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def format_location(location: Iterable[str | int]) -> str:
    """``("questions", 3, "options", 1, "id")`` becomes ``questions[3].options[1].id``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class LineMap:
    """Maps a path into the parsed document to the 1-based line it was written on."""

    def __init__(self) -> None:
        self.lines: dict[Location, int] = {}

    def line_for(self, location: Iterable[str | int]) -> int | None:
        """The line of the deepest part of ``location`` that exists in the file."""
        path = tuple(location)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def load_yaml(text: str, filename: str) -> tuple[Any, LineMap]:
    """Parse YAML safely and record the line of every key and list item; raises ContentError."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(filename, 1, "", "the file is empty")])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise ContentError([Problem(filename, line, "", f"YAML syntax error: {message}")]) from exc
    except yaml.YAMLError as exc:
        raise ContentError([Problem(filename, None, "", f"YAML error: {exc}")]) from exc
    finally:
        loader.dispose()
    lines = LineMap()
    duplicates: list[Problem] = []
    _record(node, (), lines, duplicates, filename)
    if duplicates:
        raise ContentError(duplicates)
    return data, lines


def _record(node: yaml.Node, path: Location, lines: LineMap, dupes: list[Problem], filename: str) -> None:
    lines.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                dupes.append(Problem(filename, line, format_location((*path, key)), "duplicate key"))
            seen.add(key)
            lines.lines[(*path, key)] = line
            _record(value_node, (*path, key), lines, dupes, filename)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), lines, dupes, filename)


def problems_from_validation(error: ValidationError, lines: LineMap, filename: str) -> list[Problem]:
    """Turn pydantic's errors into line-numbered problems."""
    problems = []
    for item in error.errors(include_url=False):
        location = tuple(item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            name = str(location[-1]) if location else ""
            message = RENAMED.get(name, "unknown field (check the spelling; see docs/quiz-format.md)")
        problems.append(Problem(filename, lines.line_for(location), format_location(location), message))
    return problems

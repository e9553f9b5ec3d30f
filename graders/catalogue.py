"""The exercise catalogue: discovers ``exercises/*/info.yaml``, validates it, loads trusted modules.

The root is the repository's ``exercises/`` directory next to this package, or
``$GRADER_EXERCISES_DIR``. Exercises are ordered by ``order``. ``grading.py`` and
``mistakes.py`` are imported lazily, on the trusted side only, the first time an exercise
is graded. See ``docs/exercise-format.md``.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import inspect
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar, cast
from uuid import UUID

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graders.compare import Tolerance
from graders.exercise import Case, Mistake, OutputPath

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "exercises"
REQUIRED_FILES = ("info.yaml", "statement.md", "starter.py", "grading.py")


T = TypeVar("T")


class CatalogueError(ValueError):
    """An exercise folder is invalid; the message names the file and the field."""


class UnknownExercise(KeyError):
    """No exercise has this slug."""


class ToleranceSpec(BaseModel):
    """``tolerance:`` in info.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rtol: float = Field(ge=0)
    atol: float = Field(ge=0)


class ScheduleSpec(BaseModel):
    """``schedule:`` in info.yaml (and in a quiz file): default dates and late policy.

    Times are ISO 8601; without an offset they are read in the course's time zone. Every field is
    optional: no ``opens_at`` means open now, no ``closes_at`` means never closes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    opens_at: datetime | None = None
    due_at: datetime | None = None
    closes_at: datetime | None = None
    late_penalty_per_day: float = Field(default=0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _in_order(self) -> ScheduleSpec:
        named = (("opens_at", self.opens_at), ("due_at", self.due_at), ("closes_at", self.closes_at))
        given = [(name, value) for name, value in named if value is not None]
        if len({value.tzinfo is None for _, value in given}) > 1:
            raise ValueError("give every time with a UTC offset, or none of them")
        for (first, early), (second, late) in pairwise(given):
            if late < early:
                raise ValueError(f"{second} must not be before {first}")
        return self


class ExerciseInfo(BaseModel):
    """The validated contents of an ``info.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    slug: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    uuid: UUID
    title: str = Field(min_length=1, max_length=200)
    function: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    points: int | float = Field(gt=0)
    order: int = Field(ge=1)
    version: int = Field(ge=1)
    time_limit_s: float = Field(gt=0, le=60)
    tolerance: ToleranceSpec
    hidden_case_count: int = Field(ge=0, le=100)
    schedule: ScheduleSpec | None = None

    @field_validator("function")
    @classmethod
    def _not_keyword(cls, value: str) -> str:
        if value in {"None", "True", "False"}:
            raise ValueError("must be a function name")
        return value


class _Kept:
    """The public cases of one content, built once per process, and what was derived from them."""

    def __init__(self) -> None:
        self.public: list[Case] = []
        self.names: dict[str, int] = {}  # how often each name was given, to number a hidden case's
        self.derived: dict[int, dict[Hashable, Any]] = {}  # by id() of a public case
        self.lock = threading.Lock()


@dataclass(frozen=True)
class ExerciseContent:
    """The trusted half of an exercise: reference, cases, graded outputs and known mistakes.

    The public cases are the same in every grading (``tests/exercises`` proves it for each exercise),
    so they are built once per process, with their arrays made read-only, and whatever is derived
    from them alone (the reference's values, the known mistakes' values, the text of their inputs) is
    kept with them: see :meth:`remember`.
    """

    reference: Any
    public_cases: Any
    hidden_cases: Any
    outputs: Any
    mistakes: tuple[Mistake, ...]
    argument_names: tuple[str, ...]
    _kept: _Kept = field(default_factory=_Kept, init=False, repr=False, compare=False)

    def cases(self, rng: Any, hidden_count: int) -> list[Case]:
        """Public cases then ``hidden_count`` hidden ones (forced hidden), with unique names."""
        public = self._public_once()
        seen = dict(self._kept.names)
        return [*public, *_unique(map(_as_hidden, _checked(self.hidden_cases(rng, hidden_count))), seen)]

    def _public_once(self) -> list[Case]:
        kept = self._kept
        with kept.lock:
            if not kept.public:
                public = _unique(_checked(self.public_cases()), kept.names)
                for case in public:
                    _read_only(case.args)
                    kept.derived[id(case)] = {}
                kept.public.extend(public)
            return kept.public

    def remember(self, case: Case, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept for later gradings when ``case`` is one of the public cases.

        ``compute`` must depend on the case alone (not on a submission). What is kept is shared by
        every grading of this process, so its arrays are made read-only: a caller that wrote into
        one would fail loudly instead of changing what the next grading compares with.
        """
        derived = self._kept.derived.get(id(case))  # public cases live as long as this: ids stay theirs
        if derived is None:
            return compute()
        if key not in derived:
            derived[key] = _read_only(compute())  # two threads may both compute it: the same value
        return cast(T, derived[key])

    def expected(self, case: Case) -> Any:
        """The reference's return value for ``case``, computed on a fresh copy of its arguments."""
        return self.remember(case, "expected", lambda: self.reference(*fresh_copy(case.args)))

    def output_paths(self, case: Case) -> dict[str, OutputPath]:
        """The graded outputs of ``case``: friendly name -> path into the returned value."""
        return dict(self.outputs(case))


def _as_hidden(case: Case) -> Case:
    return case if case.hidden else Case(case.name, case.args, True, case.note)


def _checked(cases: Iterable[Any]) -> Iterator[Case]:
    for case in cases:
        if not isinstance(case, Case):
            kind = type(case).__name__
            raise CatalogueError(f"a case generator returned {kind}, not graders.exercise.Case")
        yield case


def _unique(cases: Iterable[Case], seen: dict[str, int]) -> list[Case]:
    """The cases with their arguments as tuples, a repeated name numbered (``name #2``); ``seen`` counts
    the names given so far, and is updated."""
    unique = []
    for case in cases:
        seen[case.name] = seen.get(case.name, 0) + 1
        name = case.name if seen[case.name] == 1 else f"{case.name} #{seen[case.name]}"
        unique.append(Case(name, tuple(case.args), case.hidden, case.note))
    return unique


def _read_only(value: T) -> T:
    """Make every array in ``value`` (through tuples, lists and dicts) read-only; return ``value``."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, tuple | list):
        for item in value:
            _read_only(item)
    elif isinstance(value, dict):
        for item in value.values():
            _read_only(item)
    return value


_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), np.generic)


def fresh_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A deep copy of case arguments, like :func:`copy.deepcopy` (an object met twice is copied once)
    but with the usual kinds (arrays, dicts, lists, tuples, numbers) copied without its generic
    dispatch, which was most of the cost of copying a case. Arrays come back writable."""
    if isinstance(value, _IMMUTABLE):
        return value
    memo = {} if memo is None else memo
    if (done := memo.get(id(value))) is not None:
        return done
    copied: Any
    if type(value) is np.ndarray:
        copied = value.copy()
    elif type(value) is dict:
        copied = {key: fresh_copy(item, memo) for key, item in value.items()}
    elif type(value) is list:
        copied = [fresh_copy(item, memo) for item in value]
    elif type(value) is tuple:
        copied = tuple(fresh_copy(item, memo) for item in value)
    else:
        copied = copy.deepcopy(value)
    memo[id(value)] = copied
    return copied


class Exercise:
    """One exercise folder: its metadata, student-facing files and (lazily) trusted content."""

    def __init__(self, path: Path, info: ExerciseInfo) -> None:
        self.path = path
        self.info = info
        self.slug: str = info.slug  # also the folder's name
        self.title: str = info.title
        self.function: str = info.function
        self.max_score: int | float = info.points  # points for a fully correct submission
        self.version: int = info.version  # the content version
        self.uuid: str = str(info.uuid)
        self.statement = (path / "statement.md").read_text(encoding="utf-8")
        self.starter_code = (path / "starter.py").read_text(encoding="utf-8")
        self._content: ExerciseContent | None = None
        self._lock = threading.Lock()


    @cached_property
    def tolerance(self) -> Tolerance:
        """Numeric tolerance for this exercise's outputs."""
        return Tolerance(self.info.tolerance.rtol, self.info.tolerance.atol)

    @property
    def solution_code(self) -> str:
        """The reference solution's source (for tests and instructors; never sent to students)."""
        return (self.path / "solution.py").read_text(encoding="utf-8")

    def to_dict(self) -> dict[str, Any]:
        """What the web app shows: slug, title, function, max_score, version, uuid, statement, starter."""
        return {
            "slug": self.slug,
            "title": self.title,
            "function": self.function,
            "max_score": self.max_score,
            "version": self.version,
            "uuid": self.uuid,
            "statement_md": self.statement,
            "starter_code": self.starter_code,
        }

    def content(self) -> ExerciseContent:
        """Import ``grading.py`` and ``mistakes.py`` (once, thread-safe) and validate them."""
        with self._lock:
            if self._content is None:
                self._content = self._load_content()
            return self._content

    def _load_content(self) -> ExerciseContent:
        grading = _import(self.path / "grading.py", f"graders_content.{self.slug}.grading")
        for name in ("reference", "public_cases", "hidden_cases", "outputs"):
            if not callable(getattr(grading, name, None)):
                raise CatalogueError(f"{self.path / 'grading.py'}: missing callable '{name}'")
        mistakes: tuple[Mistake, ...] = ()
        if (self.path / "mistakes.py").exists():
            module = _import(self.path / "mistakes.py", f"graders_content.{self.slug}.mistakes")
            mistakes = tuple(v for v in vars(module).values() if isinstance(v, Mistake))
        params = inspect.signature(grading.reference).parameters
        expected = starter_parameters(self.path / "starter.py", self.function)
        if tuple(params) != expected:
            raise CatalogueError(
                f"{self.path / 'grading.py'}: field 'reference': its parameters {tuple(params)} differ from "
                f"the starter's {self.function}{expected}"
            )
        return ExerciseContent(
            reference=grading.reference,
            public_cases=grading.public_cases,
            hidden_cases=grading.hidden_cases,
            outputs=grading.outputs,
            mistakes=mistakes,
            argument_names=tuple(params),
        )


def _import(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CatalogueError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def starter_parameters(path: Path, function: str) -> tuple[str, ...]:
    """The parameter names of the top-level ``def function`` in a starter file, or :class:`CatalogueError`."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as exc:
        raise CatalogueError(f"{path}: cannot be parsed: {exc}") from None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return tuple(arg.arg for arg in node.args.args)
    raise CatalogueError(f"{path}: field 'function': no top-level `def {function}(...)` in the starter")


def _load_info(folder: Path) -> ExerciseInfo:
    path = folder / "info.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{path}: expected a mapping of fields")
    try:
        info = ExerciseInfo.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc']) or '?'}': {err['msg']}" for err in exc.errors()
        )
        raise CatalogueError(f"{path}: {problems}") from None
    if info.slug != folder.name:
        raise CatalogueError(
            f"{path}: field 'slug': {info.slug!r} must equal the folder name {folder.name!r}"
        )
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise CatalogueError(f"{folder / name}: required file is missing")
    starter_parameters(folder / "starter.py", info.function)
    return info


class Catalogue:
    """Every exercise under one root, validated and ordered by ``order``."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root or os.environ.get("GRADER_EXERCISES_DIR") or DEFAULT_ROOT)
        exercises = [
            Exercise(folder, _load_info(folder))
            for folder in sorted(self.root.iterdir() if self.root.is_dir() else [])
            if (folder / "info.yaml").is_file()
        ]
        self._check_unique(exercises)
        self.exercises = sorted(exercises, key=lambda e: (e.info.order, e.slug))
        self._by_slug = {e.slug: e for e in self.exercises}

    @staticmethod
    def _check_unique(exercises: list[Exercise]) -> None:
        for field_name in ("order", "uuid"):
            seen: dict[Any, Path] = {}
            for exercise in exercises:
                value = getattr(exercise.info, field_name)
                if value in seen:
                    raise CatalogueError(
                        f"{exercise.path / 'info.yaml'}: field '{field_name}': {value} is also used by "
                        f"{seen[value] / 'info.yaml'}"
                    )
                seen[value] = exercise.path

    def slugs(self) -> list[str]:
        """Slugs in catalogue order."""
        return [e.slug for e in self.exercises]

    def get(self, slug: str) -> Exercise:
        """The exercise with this slug, or :class:`UnknownExercise`."""
        try:
            return self._by_slug[slug]
        except KeyError:
            raise UnknownExercise(slug) from None

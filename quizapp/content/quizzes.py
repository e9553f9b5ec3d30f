"""Quiz definitions: loaded from ``QUIZ_DIR`` (one YAML file per quiz), validated, rendered, cached.

The stable interface for the rest of the platform is ``load_quizzes``, ``all_quizzes``, ``get_quiz`` and the
``QuizDefinition`` / ``Question`` / ``Option`` objects they return.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Literal

from flask import current_app, g
from pydantic import ValidationError

from quizapp.content.figures import FigureError, checked_svg
from quizapp.content.problems import (
    ContentError,
    LineMap,
    Location,
    Problem,
    format_location,
    load_yaml,
    problems_from_validation,
)
from quizapp.content.render import LatexError, markdown_inline, markdown_to_html
from quizapp.content.schema import AttemptSettings, QuestionSpec, QuizSpec, ScheduleSpec
from quizapp.errors import NotFound

DEFAULT_QUIZ_DIR = Path(__file__).resolve().parent.parent / "quizzes"
QUIZ_SUFFIXES = (".yaml", ".yml")
_WATCHED_SUFFIXES = frozenset((*QUIZ_SUFFIXES, ".svg"))  # a change to any of these reloads the quizzes
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Option:
    """One answer option, with its HTML and (for reviews only) whether it is right and why."""

    id: str
    html: str
    correct: bool
    feedback_html: str | None


@dataclass(frozen=True)
class Question:
    """One question, rendered."""

    id: str
    kind: Literal["single", "multiple"]
    points: float
    prompt_html: str
    options: tuple[Option, ...]
    explanation_html: str
    shuffle: bool

    @property
    def correct(self) -> list[str]:
        """The ids of the correct options, in file order."""
        return [option.id for option in self.options if option.correct]

    @property
    def option_ids(self) -> list[str]:
        """All option ids in file order."""
        return [option.id for option in self.options]

    def option(self, option_id: str) -> Option:
        """The option with this id; KeyError if there is none."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True)
class QuizDefinition:
    """A validated, rendered quiz. ``version`` changes whenever the file or its figures change."""

    slug: str
    title: str
    description_html: str | None
    scoring: Literal["all_or_nothing", "net_correct"]
    settings: AttemptSettings
    questions: tuple[Question, ...]
    version: str
    path: Path
    schedule: ScheduleSpec | None = None

    @property
    def max_score(self) -> float:
        """The sum of the questions' points."""
        return float(sum(question.points for question in self.questions))

    @property
    def pass_mark(self) -> float:
        """The pass mark as a fraction of ``max_score`` (0.8 means 80%)."""
        return self.settings.pass_mark

    @property
    def pass_score(self) -> float:
        """The score needed to pass."""
        return self.pass_mark * self.max_score

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


class _Renderer:
    """Renders one file's text fields, collecting every failure as a line-numbered problem."""

    def __init__(self, filename: str, lines: LineMap):
        self.filename = filename
        self.lines = lines
        self.problems: list[Problem] = []

    def run(self, render: Callable[[str], str], text: str, location: Location) -> str:
        try:
            return render(text)
        except LatexError as exc:
            self.problem(location, str(exc))
            return ""

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(
            Problem(self.filename, self.lines.line_for(location), format_location(location), message)
        )


def parse_quiz_file(path: Path) -> QuizDefinition:
    """Read, validate and render one quiz file; raises ContentError naming file, line and field."""
    filename = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(filename, None, "", f"cannot read the file: {exc}")]) from exc
    data, lines = load_yaml(text, filename)
    if not isinstance(data, dict):
        message = "the file must hold a mapping (slug, title, questions...)"
        raise ContentError([Problem(filename, 1, "", message)])
    try:
        spec = QuizSpec.model_validate(data)
    except ValidationError as exc:
        raise ContentError(problems_from_validation(exc, lines, filename)) from exc
    renderer = _Renderer(filename, lines)
    if spec.slug != path.stem:
        renderer.problem(("slug",), f"must match the file name: rename the file to {spec.slug}.yaml")
    digest = hashlib.sha256(text.encode())
    questions = []
    for index, question in enumerate(spec.questions):
        figure_html = ""
        if question.figure is not None:
            location: Location = ("questions", index, "figure", "file")
            figure_html, svg_text = _figure(path.parent, question, location, renderer)
            digest.update(svg_text.encode())
        questions.append(_question(question, index, figure_html, renderer))
    description = spec.description and renderer.run(markdown_to_html, spec.description, ("description",))
    if renderer.problems:
        raise ContentError(renderer.problems)
    return QuizDefinition(
        slug=spec.slug,
        title=spec.title,
        description_html=description or None,
        scoring=spec.scoring,
        settings=spec.attempts,
        questions=tuple(questions),
        version=digest.hexdigest()[:16],
        path=path,
        schedule=spec.schedule,
    )


def _figure(folder: Path, question: QuestionSpec, location: Location, renderer: _Renderer) -> tuple[str, str]:
    assert question.figure is not None
    try:
        raw = (folder / question.figure.file).read_text(encoding="utf-8")
        svg = checked_svg(raw)
    except (OSError, UnicodeDecodeError) as exc:
        renderer.problem(location, f"cannot read figure {question.figure.file}: {exc}")
        return "", ""
    except FigureError as exc:
        renderer.problem(location, f"{question.figure.file}: {exc}")
        return "", raw
    caption = ""
    if question.figure.caption:
        caption_location = (*location[:-1], "caption")
        text = renderer.run(markdown_inline, question.figure.caption, caption_location)
        caption = f"<figcaption>{text}</figcaption>"
    return f'<figure class="quiz-figure">{svg}{caption}</figure>', raw


def _question(spec: QuestionSpec, index: int, figure_html: str, renderer: _Renderer) -> Question:
    base: Location = ("questions", index)
    options = tuple(
        Option(
            id=option.id,
            html=renderer.run(markdown_inline, option.text, (*base, "options", number, "text")),
            correct=option.correct,
            feedback_html=option.feedback
            and renderer.run(markdown_inline, option.feedback, (*base, "options", number, "feedback")),
        )
        for number, option in enumerate(spec.options)
    )
    prompt = renderer.run(markdown_to_html, spec.prompt, (*base, "prompt"))
    return Question(
        id=spec.id,
        kind=spec.kind,
        points=spec.points,
        prompt_html=prompt + figure_html,
        options=options,
        explanation_html=renderer.run(markdown_to_html, spec.explanation, (*base, "explanation")),
        shuffle=spec.shuffle,
    )


def quiz_files(directory: Path) -> list[Path]:
    """The quiz files in a folder, sorted by name."""
    return sorted(p for p in directory.iterdir() if p.suffix in QUIZ_SUFFIXES and p.is_file())


def load_quizzes(directory: Path | str, *, strict: bool = True) -> dict[str, QuizDefinition]:
    """Load every quiz file in ``directory`` keyed by slug, in file-name order.

    With ``strict`` an invalid file raises ContentError listing all problems; otherwise it is logged and
    skipped so one broken file cannot take the other quizzes down.
    """
    folder = Path(directory)
    quizzes: dict[str, QuizDefinition] = {}
    problems: list[Problem] = []
    for path in quiz_files(folder):
        try:
            quiz = parse_quiz_file(path)
        except ContentError as exc:
            if not strict:
                log.error("skipping invalid quiz file %s:\n%s", path, exc)
            problems.extend(exc.problems)
            continue
        if quiz.slug in quizzes:
            problems.append(Problem(path.name, 1, "slug", f"{quiz.slug!r} is already used by another file"))
            continue
        quizzes[quiz.slug] = quiz
    if problems and strict:
        raise ContentError(problems)
    return quizzes


def quiz_dir() -> Path:
    """The folder the current app reads quizzes from (config ``QUIZ_DIR``)."""
    return Path(current_app.config.get("QUIZ_DIR") or DEFAULT_QUIZ_DIR)


_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[str, QuizDefinition]]] = {}
_cache_lock = threading.Lock()


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every quiz and figure file under ``folder``, symlinked folders not followed.

    os.walk rather than Path.rglob: this runs on every request that reads a quiz, and rglob's pure-Python
    walk cost several times as much."""
    entries = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if os.path.splitext(name)[1] in _WATCHED_SUFFIXES:
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:  # removed meanwhile, or a dangling link
                    continue
                if S_ISREG(stat.st_mode):
                    entries.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(entries))


def all_quizzes() -> dict[str, QuizDefinition]:
    """Every valid quiz of the current app, reloaded only when a file in ``QUIZ_DIR`` changes.

    The folder is looked at once per app context (a request, a grading job): a page that asks for many
    quizzes' dates scans it once, and the next request still sees an edited file.
    """
    seen: dict[str, QuizDefinition] | None = g.get("_quizzes")
    if seen is not None:
        return seen
    folder = quiz_dir().resolve()
    if not folder.is_dir():
        return {}
    signature = _signature(folder)
    with _cache_lock:
        cached = _cache.get(folder)
        if cached is None or cached[0] != signature:
            cached = _cache[folder] = (signature, load_quizzes(folder, strict=False))
    g._quizzes = cached[1]
    return cached[1]


def get_quiz(slug: str) -> QuizDefinition:
    """The quiz with this slug; raises NotFound (404) when there is none."""
    quiz = all_quizzes().get(slug)
    if quiz is None:
        raise NotFound(f"There is no quiz {slug!r}.", code="unknown_quiz")
    return quiz



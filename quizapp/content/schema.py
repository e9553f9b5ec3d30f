"""The quiz file format as pydantic models: what an instructor may write in ``quizzes/<slug>.yaml``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graders.catalogue import ScheduleSpec

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class Strict(BaseModel):
    """Unknown keys are errors, so a typo never silently drops a setting."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionSpec(Strict):
    """One answer option; ``feedback`` says why it is right or (required when wrong) why it is wrong."""

    id: Identifier
    text: Text
    correct: bool = False
    feedback: Text | None = None


class FigureSpec(Strict):
    """An SVG drawing shown with the prompt; the file must carry role="img" and a <title> as alt text."""

    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]+\.svg$")]
    caption: Text | None = None

    @field_validator("file")
    @classmethod
    def stays_inside(cls, value: str) -> str:
        """Figures live beside the quiz file; no absolute paths and no climbing out."""
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError("must be a relative path inside the quizzes folder")
        return value


class QuestionSpec(Strict):
    """One question: Markdown prompt with LaTeX, options, an explanation and an optional figure."""

    id: Identifier
    kind: Literal["single", "multiple"]
    prompt: Text
    figure: FigureSpec | None = None
    options: Annotated[list[OptionSpec], Field(min_length=2, max_length=12)]
    explanation: Text
    points: Annotated[float, Field(gt=0, le=1000)] = 1.0
    shuffle: bool = True

    @model_validator(mode="after")
    def options_fit_kind(self) -> QuestionSpec:
        """Option ids are unique, single choice has exactly one key, every wrong option has feedback."""
        ids = [option.id for option in self.options]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"option ids must be unique; repeated: {', '.join(duplicates)}")
        keys = [option.id for option in self.options if option.correct]
        if self.kind == "single" and len(keys) != 1:
            raise ValueError(f"a single-choice question needs exactly one correct option, not {len(keys)}")
        if self.kind == "multiple" and not keys:
            raise ValueError("a multiple-choice question needs at least one correct option")
        missing = [option.id for option in self.options if not option.correct and not option.feedback]
        if missing:
            raise ValueError(f"wrong options need feedback saying why they are wrong: {', '.join(missing)}")
        return self


ReviewPolicy = Literal["always", "after_pass_or_last_attempt", "never"]
"""When a review shows the key (the correct options) and the explanations.

``always``: in every review. ``after_pass_or_last_attempt``: once the student has passed, or has used the
last attempt they will ever have (only a quiz without a rolling window has one). ``never``: not at all.
Until then a review shows which questions were right and the feedback on the options the student chose.
"""


class AttemptSettings(Strict):
    """How often and how long students may sit the quiz, and when reviews show the key."""

    max_attempts: Annotated[int, Field(ge=1, le=1000)] | None = 3
    window_hours: Annotated[float, Field(gt=0, le=24 * 366)] | None = 8
    time_limit_minutes: Annotated[float, Field(gt=0, le=24 * 60)] | None = None
    pass_mark: Annotated[float, Field(gt=0, le=1)] = 0.8
    counted_score: Literal["best", "latest"] = "best"
    review: ReviewPolicy = "after_pass_or_last_attempt"


class QuizSpec(Strict):
    """A whole quiz file."""

    slug: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Text | None = None
    scoring: Literal["all_or_nothing", "net_correct"] = "all_or_nothing"
    attempts: AttemptSettings = AttemptSettings()
    schedule: ScheduleSpec | None = None
    questions: Annotated[list[QuestionSpec], Field(min_length=1, max_length=200)]

    @model_validator(mode="after")
    def unique_questions(self) -> QuizSpec:
        """Question ids are unique within the quiz."""
        ids = [question.id for question in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"question ids must be unique; repeated: {', '.join(duplicates)}")
        return self


def json_schema() -> dict[str, object]:
    """The JSON Schema of a quiz file (kept as ``quizapp/quizzes/quiz.schema.json`` for editors)."""
    schema = QuizSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Quiz file"
    return schema


if __name__ == "__main__":
    import json

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))

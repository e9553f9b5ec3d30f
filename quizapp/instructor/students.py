"""One student in detail, one submission, and the instructor's regrade and override actions."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from quizapp.auth.guards import instructor_page
from quizapp.content.quizzes import Option, Question, QuizDefinition, all_quizzes
from quizapp.errors import DomainError, NotFound
from quizapp.extensions import db
from quizapp.grading import dispatch
from quizapp.instructor import bp, catalogue
from quizapp.instructor.forms import ActionForm, OverrideForm
from quizapp.models import Grading, QuizAnswer, QuizAttempt, Submission, User
from quizapp.services import gradebook, overrides, submissions
from quizapp.services.quizzes import ordered_questions


def _student(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.is_instructor:
        raise NotFound(f"There is no student {user_id}.", code="unknown_student")
    return user


def _submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id, options=[selectinload(Submission.gradings)])
    if submission is None:
        raise NotFound(f"There is no submission {submission_id}.", code="unknown_submission")
    return submission


def _authors(subs: list[Submission]) -> dict[int, str]:
    """Emails of the instructors who recorded overrides on these submissions."""
    ids = {g.created_by_id for s in subs for g in s.gradings if g.created_by_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).tuples().all())


def _forms(subs: list[Submission], failed: tuple[int, OverrideForm] | None = None) -> dict[int, OverrideForm]:
    """One override form per submission, each with its own field ids; ``failed`` keeps a posted form."""
    forms = {s.id: OverrideForm(prefix=f"s{s.id}", formdata=None) for s in subs}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return forms


@dataclass(frozen=True)
class AnswerLine:
    """One question of an attempt as the student page lists it: the options in the order the student saw
    them (the attempt's stored shuffle), with the answer (if any) and the key."""

    question_id: str
    answer: QuizAnswer | None
    key: list[str] | None
    question: Question | None = None
    options: tuple[Option, ...] = ()

    @property
    def ticked(self) -> set[str]:
        """The option ids the student ticked."""
        return {str(option) for option in (self.answer.selected if self.answer else [])}


def _answer_lines(attempt: QuizAttempt, quiz: QuizDefinition | None) -> list[AnswerLine]:
    """Every question of the quiz in its order, with the student's answer (if any) and the key."""
    saved = {a.question_id: a for a in attempt.answers}
    if quiz is None:
        return [AnswerLine(qid, answer, None) for qid, answer in sorted(saved.items())]
    lines = [
        AnswerLine(q.id, saved.pop(q.id, None), q.correct, q, tuple(shown))
        for q, shown in ordered_questions(attempt, quiz)
    ]
    return lines + [AnswerLine(qid, answer, None) for qid, answer in sorted(saved.items())]


def _back(default: str) -> str:
    """Where to return after an action: a local ``next`` path, else ``default``."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default


@bp.get("/students/<int:user_id>")
@instructor_page
def student(user_id: int) -> str:
    """Every quiz attempt with its answers, every submission with code, verdict and history."""
    user = _student(user_id)
    attempts = db.session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id)
        .options(selectinload(QuizAttempt.answers))
        .order_by(QuizAttempt.started_at, QuizAttempt.id)
    ).all()
    subs = list(
        db.session.scalars(
            select(Submission)
            .where(Submission.user_id == user.id)
            .options(selectinload(Submission.gradings))
            .order_by(Submission.id.desc())
        )
    )
    row = next(
        r
        for r in gradebook.build_gradebook(catalogue.exercise_slugs(), catalogue.quiz_slugs())
        if r.user_id == user.id
    )
    quizzes = all_quizzes()
    return render_template(
        "instructor/student.html",
        student=user,
        row=row,
        attempts=[
            (a, quizzes.get(a.quiz_slug), _answer_lines(a, quizzes.get(a.quiz_slug))) for a in attempts
        ],
        submissions=subs,
        authors=_authors(subs),
        action_form=ActionForm(),
        exercises=catalogue.exercises(),
    )


def _render_submission(
    submission: Submission, failed: OverrideForm | None = None, status: int = 200
) -> Response:
    owner = db.session.get(User, submission.user_id)
    html = render_template(
        "instructor/submission.html",
        submission=submission,
        owner=owner,
        authors=_authors([submission]),
        forms=_forms([submission], (submission.id, failed) if failed else None),
        action_form=ActionForm(),
    )
    return Response(html, status=status, mimetype="text/html")


@bp.get("/submissions/<int:submission_id>")
@instructor_page
def submission_page(submission_id: int) -> Response:
    """One submission: its code, current verdict, grading history, regrade and override."""
    return _render_submission(_submission(submission_id))


@bp.post("/submissions/<int:submission_id>/regrade")
@instructor_page
def regrade(submission_id: int) -> Response:
    """Queue the submission for grading again (through the same queue); its history keeps the old verdict."""
    here = url_for("instructor.submission_page", submission_id=submission_id)
    if not ActionForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(here)
    try:
        queued = submissions.regrade(submission_id)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        flash(error.message, "error")
    else:
        dispatch([queued.id])
        flash(f"Submission {submission_id} is queued for a regrade.", "success")
    return redirect(_back(here))


@bp.post("/submissions/<int:submission_id>/override")
@instructor_page
def override(submission_id: int) -> Response:
    """Set the submission's score by hand; the reason is required and kept with who and when."""
    submission = _submission(submission_id)
    form = OverrideForm(prefix=f"s{submission.id}")
    if not form.validate_on_submit():
        return _render_submission(submission, form, status=422)
    assert form.score.data is not None and form.reason.data is not None
    try:
        grading: Grading = overrides.override_score(
            submission.id, current_user._get_current_object(), float(form.score.data), form.reason.data
        )
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        field = form.reason if error.code.startswith("reason") else form.score
        field.errors = [*field.errors, error.message]
        return _render_submission(_submission(submission_id), form, status=error.status)
    flash(f"Score of submission {submission.id} set to {grading.score:g}.", "success")
    return redirect(_back(url_for("instructor.submission_page", submission_id=submission.id)))

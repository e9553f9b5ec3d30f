"""The instructor dashboard: overview with charts, and the gradebook as a page and as CSV."""

from __future__ import annotations

from flask import Response, render_template, request

from quizapp import charts
from quizapp.auth.guards import instructor_page
from quizapp.instructor import bp, catalogue
from quizapp.instructor.access import instructor_download
from quizapp.services import gradebook, overview, timeline
from quizapp.services.gradebook import SORT_KEYS


@bp.get("/")
@instructor_page
def index() -> str:
    """Counts, quiz statistics, exercise pass rates and the three charts, all server-rendered."""
    quizzes, exercises = catalogue.quizzes(), catalogue.exercises()
    view = overview.build_overview(quizzes, exercises)
    quiz_charts = [
        charts.quiz_histogram(q.best_scores, q.max_score, f"{q.title}: best scores") for q in view.quizzes
    ]
    dated = timeline.build_timeline()
    time_chart = (
        charts.submissions_timeline(dated.days, dated.due)
        if dated is not None
        else charts.submissions_over_time(view.per_day)
    )
    return render_template(
        "instructor/index.html",
        view=view,
        timeline=dated,
        quiz_charts=quiz_charts,
        pass_chart=charts.pass_rate_bars([(e.slug, e.pass_rate) for e in view.exercises]),
        time_chart=time_chart,
    )


@bp.get("/gradebook")
@instructor_page
def gradebook_page() -> str:
    """The gradebook; ``q`` searches emails, ``late``/``extended`` filter, ``sort`` and ``dir`` order it."""
    slugs = catalogue.exercise_slugs()
    query = request.args.get("q", "").strip()[:200]
    sort = request.args.get("sort", "rank")
    if sort not in (*SORT_KEYS, *slugs):
        sort = "rank"
    default_dir = "asc" if sort in ("rank", "email") else "desc"
    direction = request.args.get("dir", default_dir)
    if direction not in ("asc", "desc"):
        direction = default_dir
    late_only = request.args.get("late") == "1"
    extended_only = request.args.get("extended") == "1"
    everyone = gradebook.build_gradebook(slugs, catalogue.quiz_slugs())
    shown = gradebook.filter_rows(
        gradebook.search_rows(everyone, query), late=late_only, extended=extended_only
    )
    rows = gradebook.sort_rows(shown, sort, direction == "desc")
    return render_template(
        "instructor/gradebook.html",
        rows=rows,
        quiz_slugs=catalogue.quiz_slugs(),
        late_only=late_only,
        extended_only=extended_only,
        total_students=len(everyone),
        exercises=catalogue.exercises(),
        query=query,
        sort=sort,
        direction=direction,
    )


@bp.get("/gradebook.csv")
@instructor_download
def gradebook_csv() -> Response:
    """The gradebook as CSV, ranked, for a signed-in instructor or an instructor's bearer token."""
    slugs = catalogue.exercise_slugs()
    rows = gradebook.build_gradebook(slugs, catalogue.quiz_slugs())
    return Response(
        gradebook.gradebook_csv(rows, slugs),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="gradebook.csv"', "Cache-Control": "no-store"},
    )

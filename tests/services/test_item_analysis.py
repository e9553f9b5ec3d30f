"""Item analysis, checked against figures worked out by hand.

The worked example (every question worth 1 point; options a..d; key ``a`` except q4, whose key is {a, b}):

    student  q1      q2      q3      q4          total
    ann      a  ✓    a  ✓    a  ✓    a,c  ✗      3
    ben      a  ✓    a  ✓    b  ✗    c    ✗      2
    cat      b  ✗    a  ✓    b  ✗    a,b  ✓      2
    dan      c  ✗    b  ✗    —  ✗    a,b  ✓      1

Ranked by total (ties by name): ann, ben, cat, dan. Top third (4 // 3 = 1): [ann]; bottom third: [dan].
27% groups: round(0.27 · 4) = round(1.08) = 1 student each, the same two.

Facility (mean share correct): q1 2/4 = 50%, q2 3/4 = 75%, q3 1/4 = 25%, q4 2/4 = 50%.

Item–rest correlation, x = item score, r = total − x:
  q1: x = [1,1,0,0], r = [2,1,2,1]; x̄ = .5, r̄ = 1.5; dx = [.5,.5,−.5,−.5], dr = [.5,−.5,.5,−.5];
      Σdx·dr = .25 − .25 − .25 + .25 = 0  →  r = 0            (flagged: below 0.2)
  q2: x = [1,1,1,0], r = [2,1,1,1]; x̄ = .75, r̄ = 1.25; dx = [.25,.25,.25,−.75], dr = [.75,−.25,−.25,−.25];
      Σdx·dr = .1875 − .0625 − .0625 + .1875 = .25; Σdx² = .75; Σdr² = .5625 + 3·.0625 = .75
      →  r = .25 / .75 = 1/3
  q3: x = [1,0,0,0], r = [2,2,2,1]; x̄ = .25, r̄ = 1.75; dx = [.75,−.25,−.25,−.25], dr = [.25,.25,.25,−.75];
      Σdx·dr = .1875 − .0625 − .0625 + .1875 = .25; Σdx² = Σdr² = .75  →  r = 1/3
  q4: x = [0,0,1,1], r = [3,2,1,0]; x̄ = .5, r̄ = 1.5; dx = [−.5,−.5,.5,.5], dr = [1.5,.5,−.5,−1.5];
      Σdx·dr = −.75 − .25 − .25 − .75 = −2; Σdx² = 1; Σdr² = 5  →  r = −2/√5 ≈ −0.894427 (flagged)

Upper–lower (ann − dan): q1 1 − 0 = 1, q2 1 − 0 = 1, q3 1 − 0 = 1, q4 0 − 1 = −1.

Distractors, q4 top third (ann ticked a and c): key a 1, key b 0; distractor c 1 > weakest key 0 → flagged.

Cronbach's alpha: item variances .25 + .1875 + .1875 + .25 = .875; totals [3,2,2,1] have variance .5;
alpha = 4/3 · (1 − .875/.5) = 4/3 · (−.75) = −1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.services import item_analysis as ia

OPTIONS = ("a", "b", "c", "d")
ITEMS = [
    ia.ItemSpec("q1", OPTIONS, frozenset({"a"}), 1.0),
    ia.ItemSpec("q2", OPTIONS, frozenset({"a"}), 1.0),
    ia.ItemSpec("q3", OPTIONS, frozenset({"a"}), 1.0),
    ia.ItemSpec("q4", OPTIONS, frozenset({"a", "b"}), 1.0),
]


def sitting(student: str, **answers: str) -> ia.Sitting:
    """A sitting from answers written as 'a' or 'a,c'; marked all-or-nothing against ITEMS."""
    keys = {item.id: item.key for item in ITEMS}
    responses = {}
    for qid, ticked in answers.items():
        selected = frozenset(ticked.split(",")) if ticked else frozenset()
        responses[qid] = ia.Response(selected, 1.0 if selected == keys[qid] else 0.0)
    return ia.Sitting(student, responses)


SITTINGS = [
    sitting("dan", q1="c", q2="b", q4="a,b"),
    sitting("ben", q1="a", q2="a", q3="b", q4="c"),
    sitting("ann", q1="a", q2="a", q3="a", q4="a,c"),
    sitting("cat", q1="b", q2="a", q3="b", q4="a,b"),
]


def by_id(analysis: ia.QuizAnalysis) -> dict[str, ia.ItemAnalysis]:
    """The analysis's items keyed by question id."""
    return {item.id: item for item in analysis.items}


def test_facility_matches_the_hand_computed_percentages() -> None:
    """Facility is the percentage of the question's points earned: 50, 75, 25 and 50."""
    items = by_id(ia.analyse(ITEMS, SITTINGS))
    assert [items[q].facility for q in ("q1", "q2", "q3", "q4")] == pytest.approx([50.0, 75.0, 25.0, 50.0])


def test_item_rest_correlation_matches_the_hand_computation() -> None:
    """Discrimination is the item–rest correlation: 0, 1/3, 1/3 and −2/√5."""
    items = by_id(ia.analyse(ITEMS, SITTINGS))
    assert items["q1"].discrimination == pytest.approx(0.0, abs=1e-12)
    assert items["q2"].discrimination == pytest.approx(1 / 3)
    assert items["q3"].discrimination == pytest.approx(1 / 3)
    assert items["q4"].discrimination == pytest.approx(-2 / math.sqrt(5))


def test_item_rest_excludes_the_item_from_the_total() -> None:
    """Correlating q4 with the uncorrected total would give a different (higher) figure than item–rest."""
    scores = [0.0, 0.0, 1.0, 1.0]  # q4 for ann, ben, cat, dan
    totals = [3.0, 2.0, 2.0, 1.0]
    uncorrected = ia.pearson(scores, totals)
    # x = [0,0,1,1], t = [3,2,2,1]: dx = [−.5,−.5,.5,.5], dt = [1,0,0,−1]; Σ = −1; √(1·2) → −1/√2.
    assert uncorrected == pytest.approx(-1 / math.sqrt(2))
    items = by_id(ia.analyse(ITEMS, SITTINGS))
    assert items["q4"].discrimination != pytest.approx(uncorrected)


def test_upper_minus_lower_uses_27_percent_groups() -> None:
    """With four students the 27% groups hold one each (ann, dan): indices 1, 1, 1 and −1."""
    items = by_id(ia.analyse(ITEMS, SITTINGS))
    assert [items[q].upper_lower for q in ("q1", "q2", "q3", "q4")] == pytest.approx([1.0, 1.0, 1.0, -1.0])


def test_group_size_rounds_27_percent_half_up() -> None:
    """27% of 4 is 1.08 → 1; of 10 is 2.7 → 3; of 50 is 13.5 → 14; of 1 there is no group."""
    assert [ia.group_size(n, 0.27) for n in (1, 2, 4, 10, 50)] == [0, 1, 1, 3, 14]


def test_distractor_table_counts_overall_and_by_thirds() -> None:
    """q1: a twice (ann, ben), b once (cat), c once (dan), d never; top third ann → a, bottom dan → c."""
    q1 = by_id(ia.analyse(ITEMS, SITTINGS))["q1"]
    rows = {row.option: row for row in q1.options}
    assert [(o, rows[o].count, rows[o].top_count, rows[o].bottom_count) for o in OPTIONS] == [
        ("a", 2, 1, 0),
        ("b", 1, 0, 0),
        ("c", 1, 0, 1),
        ("d", 0, 0, 0),
    ]
    assert rows["a"].share == pytest.approx(0.5)
    assert rows["c"].bottom_share == pytest.approx(1.0)
    assert [rows[o].is_key for o in OPTIONS] == [True, False, False, False]


def test_blank_answers_are_counted_and_score_nothing() -> None:
    """Dan left q3 blank: one blank response, and q3's options add up to three ticks, not four."""
    q3 = by_id(ia.analyse(ITEMS, SITTINGS))["q3"]
    assert q3.blank == 1
    assert sum(row.count for row in q3.options) == 3


def test_flags_low_discrimination_and_a_distractor_preferred_by_the_top_third() -> None:
    """q1 (r = 0) and q4 (r < 0, and ann ticked distractor c over key b) are flagged; q2 and q3 are not."""
    items = by_id(ia.analyse(ITEMS, SITTINGS))
    assert items["q1"].flags == ["discrimination 0.00 is below 0.2"]
    assert not items["q2"].flagged and not items["q3"].flagged
    assert any("below 0.2" in flag for flag in items["q4"].flags)
    assert any("distractor c" in flag for flag in items["q4"].flags)


def test_cronbach_alpha_matches_the_hand_computation() -> None:
    """Alpha = 4/3 · (1 − 0.875 / 0.5) = −1 for the worked example."""
    analysis = ia.analyse(ITEMS, SITTINGS)
    assert analysis.alpha == pytest.approx(-1.0)
    assert analysis.students == 4
    assert analysis.mean_total == pytest.approx(2.0)
    assert analysis.max_total == 4.0


def test_constant_item_has_undefined_discrimination_and_is_not_flagged_for_it() -> None:
    """When everyone gets a question right its correlation is undefined (None), not a spurious 0."""
    sittings = [sitting("x", q1="a", q2="a"), sitting("y", q1="a", q2="b"), sitting("z", q1="a", q2="c")]
    q1 = by_id(ia.analyse(ITEMS[:2], sittings))["q1"]
    assert q1.discrimination is None
    assert q1.facility == pytest.approx(100.0)
    assert q1.flags == []


def test_partial_credit_uses_the_share_of_points() -> None:
    """A 2-point item scored 2, 1, 0 has facility (1 + .5 + 0) / 3 = 50%."""
    item = ia.ItemSpec("q", ("a", "b"), frozenset({"a", "b"}), 2.0)
    sittings = [
        ia.Sitting("p", {"q": ia.Response(frozenset({"a", "b"}), 2.0)}),
        ia.Sitting("r", {"q": ia.Response(frozenset({"a"}), 1.0)}),
        ia.Sitting("s", {"q": ia.Response(frozenset(), 0.0)}),
    ]
    assert ia.facility(item, sittings) == pytest.approx(50.0)


def test_no_sittings_gives_empty_figures() -> None:
    """With nobody to analyse, every figure is None and nothing is flagged."""
    analysis = ia.analyse(ITEMS, [])
    assert analysis.students == 0 and analysis.mean_total is None and analysis.alpha is None
    assert all(i.facility is None and i.discrimination is None and not i.flags for i in analysis.items)


@dataclass
class FakeAnswer:
    """An answer row as the ORM would hand it over."""

    question_id: str
    selected: list[str]
    points: float | None


@dataclass
class FakeAttempt:
    """An attempt row as the ORM would hand it over."""

    id: int
    user_id: int
    status: str
    score: float | None
    started_at: datetime
    submitted_at: datetime | None = None
    answers: list[FakeAnswer] = field(default_factory=list)


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_choose_attempts_picks_first_or_best_submitted_attempt() -> None:
    """First = earliest submitted attempt; best = highest score, ties to the earlier; open ones ignored."""
    attempts = [
        FakeAttempt(1, 7, "submitted", 6.0, T0),
        FakeAttempt(2, 7, "submitted", 9.0, T0 + timedelta(hours=1)),
        FakeAttempt(3, 7, "submitted", 9.0, T0 + timedelta(hours=2)),
        FakeAttempt(4, 8, "open", None, T0 - timedelta(hours=1)),
        FakeAttempt(5, 8, "submitted", 4.0, T0),
    ]
    assert sorted(a.id for a in ia.choose_attempts(attempts, "first")) == [1, 5]
    assert sorted(a.id for a in ia.choose_attempts(attempts, "best")) == [2, 5]


def test_sitting_from_attempt_reads_marked_answers() -> None:
    """A stored attempt becomes a sitting whose totals are the stored points."""
    attempt = FakeAttempt(
        1, 7, "submitted", 1.0, T0, answers=[FakeAnswer("q1", ["a"], 1.0), FakeAnswer("q2", ["b"], 0.0)]
    )
    s = ia.sitting_from_attempt(attempt, "ann@example.com")
    assert s.response("q1") == ia.Response(frozenset({"a"}), 1.0)
    assert s.response("q3") == ia.BLANK
    assert s.total(ITEMS) == 1.0


def test_fewer_than_thirty_students_are_marked_unreliable_in_words() -> None:
    """With n = 4 the analysis is not reliable and its caution names n, the 30 threshold and α."""
    analysis = ia.analyse(ITEMS, SITTINGS)
    assert analysis.reliable is False
    assert analysis.caution is not None
    assert "n = 4" in analysis.caution and "about 30" in analysis.caution and "α" in analysis.caution
    assert "unreliable" in analysis.caution


def test_thirty_students_are_reliable_and_carry_no_caution() -> None:
    """At 30 sittings (the worked example repeated) the caution disappears; at 29 it is still there."""
    many = [ia.Sitting(f"{s.student}{i}", s.responses) for i in range(8) for s in SITTINGS]
    assert ia.analyse(ITEMS, many[:30]).reliable is True and ia.analyse(ITEMS, many[:30]).caution is None
    assert ia.analyse(ITEMS, many[:29]).reliable is False


def test_no_students_caution_says_there_is_nothing_to_analyse() -> None:
    """With nobody, the caution says so instead of quoting statistics."""
    assert ia.small_sample_caution(0) == "No submitted attempts yet: there is nothing to analyse."

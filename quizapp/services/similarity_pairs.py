"""Two submissions side by side: their codes cut into runs that match the other's and runs that do not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizapp.errors import NotFound
from quizapp.models import Submission
from quizapp.services import exercises
from quizapp.services.similarity import boilerplate_hashes, compare, fingerprint


@dataclass(frozen=True)
class Segment:
    """A run of a submission's code, marked when it matches the other submission of the pair."""

    text: str
    matched: bool
    folded: int = 0  # when > 0, ``text`` stands in for this many lines without a match


def fold(segments: list[Segment], context: int) -> list[Segment]:
    """Keep ``context`` lines around each match and fold longer unmatched runs into one placeholder."""
    if not any(s.matched for s in segments):
        return segments
    out: list[Segment] = []
    for index, segment in enumerate(segments):
        lines = segment.text.splitlines(keepends=True)
        keep_head = 0 if index == 0 else context
        keep_tail = 0 if index == len(segments) - 1 else context
        if segment.matched or len(lines) <= keep_head + keep_tail + 1:
            out.append(segment)
            continue
        # A partial first line continues the match before it; it stays with the head.
        head, tail = lines[: keep_head + 1] if keep_head else lines[:0], lines[len(lines) - keep_tail :]
        hidden = len(lines) - len(head) - len(tail)
        if head:
            out.append(Segment("".join(head), False))
        out.append(Segment(f"⋯ {hidden} line{'' if hidden == 1 else 's'} without a match ⋯", False, hidden))
        if tail:
            out.append(Segment("".join(tail), False))
    return out


@dataclass(frozen=True)
class PairDetail:
    """Two submissions side by side with their matching regions."""

    similarity: float
    a_share: float
    b_share: float
    a_segments: list[Segment]
    b_segments: list[Segment]


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _whole_words(code: str, start: int, end: int) -> tuple[int, int]:
    """Widen a match to whole names: copydetect's slices can start or end inside one."""
    while 0 < start < len(code) and _word(code[start - 1]) and _word(code[start]):
        start -= 1
    while 0 < end < len(code) and _word(code[end - 1]) and _word(code[end]):
        end += 1
    return start, end


def _segments(code: str, slices: Any) -> list[Segment]:
    """Cut ``code`` into matched and unmatched runs from copydetect's (starts, ends) character slices."""
    spans = sorted(
        _whole_words(code, max(0, int(start)), min(len(code), int(end)))
        for start, end in zip(slices[0], slices[1], strict=True)
        if int(end) > int(start)
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    segments: list[Segment] = []
    position = 0
    for start, end in merged:
        if start > position:
            segments.append(Segment(code[position:start], False))
        segments.append(Segment(code[start:end], True))
        position = end
    if position < len(code):
        segments.append(Segment(code[position:], False))
    return segments


def pair_detail(slug: str, a: Submission, b: Submission, context: int | None = None) -> PairDetail:
    """Compare two submissions to ``slug`` and return both codes with their matching regions marked;
    with ``context``, unmatched runs longer than that many lines around the matches are folded."""
    if a.exercise_slug != slug or b.exercise_slug != slug:
        raise NotFound("These submissions are not both to this exercise.", code="unknown_submission")
    boilerplate = boilerplate_hashes(exercises.get(slug).starter_code)
    first, second = fingerprint(a.code, boilerplate), fingerprint(b.code, boilerplate)
    if first is None or second is None:  # one adds nothing to the starter: nothing to mark
        return PairDetail(0.0, 0.0, 0.0, [Segment(a.code, False)], [Segment(b.code, False)])
    share_a, share_b, (slices_a, slices_b) = compare(first, second)
    segments_a = _segments(a.code, slices_a) if len(slices_a) else [Segment(a.code, False)]
    segments_b = _segments(b.code, slices_b) if len(slices_b) else [Segment(b.code, False)]
    if context is not None:
        segments_a, segments_b = fold(segments_a, context), fold(segments_b, context)
    return PairDetail(max(share_a, share_b), share_a, share_b, segments_a, segments_b)

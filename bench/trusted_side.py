"""CPU per grading of the load test's code mix, split between the trusted side and the sandboxes.

The load test (bench/loadtest.py) measures the whole system; this grades the same mix of correct, buggy
and hostile submissions (without the two that burn their time or memory limit) one at a time in this
process, and prints per grading: the trusted side's CPU (this process: cases, references, comparisons,
naming the mistake, the verdict), the sandboxes' (the zygotes and the jobs they reaped), the whole
machine's (``/proc/stat``: kernel workers included) and the wall time, overall and by kind. Usage:

    .venv/bin/python bench/trusted_side.py            # 300 gradings
    .venv/bin/python bench/trusted_side.py -n 600 --kind buggy
    .venv/bin/python bench/trusted_side.py --each     # every entry of the mix, the two burners included,
                                                      # and its share of the mix's machine CPU
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loadtest import code_mix, machine_busy_s  # noqa: E402

from graders.bench import tree_cpu  # noqa: E402
from graders.grader import Grader  # noqa: E402

LIMIT_BURNERS = ("while True", "bytearray(8")  # a busy loop and a huge allocation: their limits' cost


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="bench/trusted_side.py")
    parser.add_argument("-n", type=int, default=300, help="gradings measured")
    parser.add_argument("--kind", choices=("correct", "buggy", "hostile"), help="only this kind of code")
    parser.add_argument("--each", action="store_true",
                        help="grade each entry of the mix in turn (burners included) and weigh it")
    options = parser.parse_args(argv)
    if options.each:
        return each_entry()
    mix = [
        m
        for m in code_mix()
        if not any(burner in m[2] for burner in LIMIT_BURNERS) and options.kind in (None, m[0])
    ]
    grader = Grader(workers=2)
    try:
        zygotes = warm(grader, mix)
        picks = random.Random(1).choices(mix, weights=[m[3] for m in mix], k=options.n)
        by_kind: dict[str, list[float]] = {}
        start = snapshot(zygotes)
        for kind, slug, code, _weight in picks:
            started = time.process_time()
            grader.grade(slug, code)
            by_kind.setdefault(kind, []).append(time.process_time() - started)
        n = len(picks)
        trusted, sandboxes, machine, wall = spent_ms(start, zygotes, n, settle_s=0.5)
    finally:
        grader.close()
    print(f"{n} gradings of the load test's mix, one at a time; ms per grading")
    print(f"{'trusted side':>14}{'sandboxes':>11}{'machine':>9}{'wall':>8}")
    print(f"{trusted:>14.1f}{sandboxes:>11.1f}{machine:>9.1f}{wall:>8.1f}")
    for kind, spent in sorted(by_kind.items()):
        print(f"  trusted side, {kind} code: {sum(spent) / len(spent) * 1000:.1f} ms (n={len(spent)})")
    return 0


def warm(grader: Grader, mix: list[tuple[str, str, str, float]]) -> list[int]:
    """Grade each entry once (zygotes, content, kept public cases), let the machine settle, and return the
    zygotes' pids."""
    for _kind, slug, code, _weight in mix:
        grader.grade(slug, code)
    time.sleep(1)
    return grader.pool().processes()


def snapshot(zygotes: list[int]) -> tuple[float, float, float, float]:
    """CPU seconds so far of this process (the trusted side), of the sandboxes and of the machine, and
    the wall clock."""
    return time.process_time(), tree_cpu(zygotes), machine_busy_s()[0], time.time()


def spent_ms(
    start: tuple[float, float, float, float], zygotes: list[int], n: int, settle_s: float
) -> tuple[float, float, float, float]:
    """Per grading since ``start`` (``n`` gradings), in ms: the trusted side, the sandboxes, the machine
    and the wall clock, after ``settle_s`` for the last jobs' teardown (not counted as wall time)."""
    time.sleep(settle_s)
    now = snapshot(zygotes)
    trusted, sandboxes, machine, wall = (later - then for later, then in zip(now, start, strict=True))
    return trusted / n * 1000, sandboxes / n * 1000, machine / n * 1000, (wall - settle_s) / n * 1000


class Entry(NamedTuple):
    """One entry of the mix, graded alone: ms per grading."""

    kind: str
    first_line: str
    weight: float
    verdict: str
    trusted: float
    sandboxes: float
    machine: float
    wall: float


def each_entry(repeats: int = 10) -> int:
    """Grade every entry of the mix ``repeats`` times (a busy loop 3 times: each takes its whole time
    limit) and print its CPU per grading and its share of the mix's machine CPU, by the mix's weights."""
    mix = code_mix()
    grader = Grader(workers=2)
    rows: list[Entry] = []
    try:
        zygotes = warm(grader, mix)
        for kind, slug, code, weight in mix:
            n = 3 if "while True" in code else repeats
            start = snapshot(zygotes)
            for _ in range(n):
                status = grader.grade(slug, code).status
            trusted_ms, sandboxes_ms, machine_ms, wall_ms = spent_ms(start, zygotes, n, settle_s=0.2)
            first = code.strip().splitlines()[0][:40]
            rows.append(Entry(kind, first, weight, status, trusted_ms, sandboxes_ms, machine_ms, wall_ms))
    finally:
        grader.close()
    total_weight = sum(row.weight for row in rows)
    mean = sum(row.weight * row.machine for row in rows) / total_weight
    print("each entry of the load test's mix, graded alone; ms per grading (a 10-ms tick's resolution)")
    print(f"{'kind':8} {'first line':40} {'weight':>6} {'verdict':>15} {'trusted':>8} {'sandbox':>8} "
          f"{'machine':>8} {'wall':>7} {'share':>6}")
    for row in rows:
        share = row.weight * row.machine / total_weight / mean * 100
        print(f"{row.kind:8} {row.first_line:40} {row.weight:>6g} {row.verdict:>15} {row.trusted:>8.1f} "
              f"{row.sandboxes:>8.1f} {row.machine:>8.1f} {row.wall:>7.1f} {share:>5.1f}%")
    print(f"the mix's mean: {mean:.1f} ms of machine CPU per grading")
    return 0


if __name__ == "__main__":
    sys.exit(main())

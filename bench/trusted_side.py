"""CPU per grading of the load test's code mix, split between the trusted side and the sandboxes.

The load test (bench/loadtest.py) measures the whole system; this grades the same mix of correct, buggy
and hostile submissions (without the two that burn their time or memory limit) one at a time in this
process, and prints per grading: the trusted side's CPU (this process: cases, references, comparisons,
naming the mistake, the verdict), the sandboxes' (the zygotes and the jobs they reaped), the whole
machine's (``/proc/stat``: kernel workers included) and the wall time, overall and by kind. Usage:

    .venv/bin/python bench/trusted_side.py            # 300 gradings
    .venv/bin/python bench/trusted_side.py -n 600 --kind buggy
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loadtest import code_mix, machine_busy_s  # noqa: E402

from graders.bench import _tree_cpu  # noqa: E402
from graders.grader import Grader  # noqa: E402

LIMIT_BURNERS = ("while True", "bytearray(8")  # a busy loop and a huge allocation: their limits' cost


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="bench/trusted_side.py")
    parser.add_argument("-n", type=int, default=300, help="gradings measured")
    parser.add_argument("--kind", choices=("correct", "buggy", "hostile"), help="only this kind of code")
    options = parser.parse_args(argv)
    mix = [
        m
        for m in code_mix()
        if not any(burner in m[2] for burner in LIMIT_BURNERS) and options.kind in (None, m[0])
    ]
    grader = Grader(workers=2)
    try:
        for _kind, slug, code, _weight in mix:  # warm: zygotes, content, kept public cases
            grader.grade(slug, code)
        picks = random.Random(1).choices(mix, weights=[m[3] for m in mix], k=options.n)
        zygotes = grader.pool().processes()
        time.sleep(1)
        by_kind: dict[str, list[float]] = {}
        machine, trusted, wall = machine_busy_s()[0], time.process_time(), time.time()
        sandboxes = _tree_cpu(zygotes)
        for kind, slug, code, _weight in picks:
            started = time.process_time()
            grader.grade(slug, code)
            by_kind.setdefault(kind, []).append(time.process_time() - started)
        time.sleep(0.5)  # the last jobs' teardown
        n = len(picks)
        trusted = (time.process_time() - trusted) / n * 1000
        sandboxes = (_tree_cpu(zygotes) - sandboxes) / n * 1000
        machine = (machine_busy_s()[0] - machine) / n * 1000
        wall = (time.time() - wall - 0.5) / n * 1000
    finally:
        grader.close()
    print(f"{n} gradings of the load test's mix, one at a time; ms per grading")
    print(f"{'trusted side':>14}{'sandboxes':>11}{'machine':>9}{'wall':>8}")
    print(f"{trusted:>14.1f}{sandboxes:>11.1f}{machine:>9.1f}{wall:>8.1f}")
    for kind, spent in sorted(by_kind.items()):
        print(f"  trusted side, {kind} code: {sum(spent) / len(spent) * 1000:.1f} ms (n={len(spent)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the sandboxed grader against a naive one, in one run.

The naive grader is what many course autograders do: a fresh, unsandboxed ``python -c``
interpreter per submission that imports NumPy, runs the student's code in its own process
and compares with ``np.allclose``. Both grade the exercise's ``solution.py`` on the same
public and hidden cases. Latency is measured one grading at a time; throughput with two
concurrent gradings per worker (so a zygote never waits while its last verdict is judged).
CPU per grading counts every process involved (the grader, the zygotes and the jobs they
reaped; or the naive interpreters), so it hardly depends on what else the machine is doing:
cores divided by it bounds the throughput.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from graders.grader import Grader, default_workers

REPO = Path(__file__).resolve().parent.parent
NAIVE = """
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("grading", sys.argv[1])
grading = importlib.util.module_from_spec(spec); spec.loader.exec_module(grading)
namespace = {"__name__": "submission"}
sys.path.insert(0, sys.argv[2])
exec(compile(sys.stdin.read(), "submission.py", "exec"), namespace)
fn = namespace[sys.argv[3]]
rng = np.random.default_rng(int(sys.argv[4]))
cases = grading.public_cases() + grading.hidden_cases(rng, int(sys.argv[5]))
passed = 0
for case in cases:
    got, want = fn(*case.args), grading.reference(*case.args)
    paths = grading.outputs(case).values()
    def at(v, p):
        for s in p: v = v[s]
        return v
    passed += all(np.allclose(at(got, p), at(want, p)) for p in paths if not isinstance(at(want, p), dict))
print(json.dumps({"passed": passed, "cases": len(cases)}))
"""


def _discard(_: object) -> None:
    return None


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _throughput(job: Callable[[], None], count: int, workers: int) -> float:
    remaining = [count]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            job()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return count / (time.perf_counter() - started)


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds used so far by these processes and the children they reaped."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _row(latencies: list[float], rate: float, cpu_ms: float) -> dict[str, float]:
    return {
        "p50_ms": statistics.median(latencies),
        "p95_ms": _percentile(latencies, 0.95),
        "per_s": rate,
        "cpu_ms": cpu_ms,
        "n": len(latencies),
    }


def measure(slug: str, n: int, naive_n: int, workers: int) -> dict[str, dict[str, float]]:
    """Latency (ms), throughput (gradings/s) and CPU per grading (ms, all processes) of both graders."""
    grader = Grader(workers=workers)
    exercise = grader.catalogue.get(slug)
    code = exercise.solution_code
    try:
        for _ in range(10):
            verdict = grader.grade(slug, code)
        if verdict.status != "passed":
            raise RuntimeError(f"the solution did not pass: {verdict.feedback}")
        zygotes = grader.pool().processes()
        latencies = []
        cpu_before = time.process_time() + tree_cpu(zygotes)
        for _ in range(n):
            started = time.perf_counter()
            grader.grade(slug, code)
            latencies.append((time.perf_counter() - started) * 1000)
        cpu_ms = (time.process_time() + tree_cpu(zygotes) - cpu_before) / n * 1000
        sandboxed = _row(
            latencies, _throughput(lambda: _discard(grader.grade(slug, code)), n, 2 * workers), cpu_ms
        )
    finally:
        grader.close()

    grading_py, helpers = str(exercise.path / "grading.py"), str(REPO / "graders" / "sandbox_lib")
    argv = [
        sys.executable,
        "-c",
        NAIVE,
        grading_py,
        helpers,
        exercise.function,
        "1",
        str(exercise.info.hidden_case_count),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}

    def naive() -> None:
        subprocess.run(argv, input=code.encode(), env=env, capture_output=True, check=True)

    naive_latencies = []
    cpu_before = time.process_time() + _children_cpu()
    for _ in range(naive_n):
        started = time.perf_counter()
        naive()
        naive_latencies.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() + _children_cpu() - cpu_before) / naive_n * 1000
    return {
        "sandboxed": sandboxed,
        "naive": _row(naive_latencies, _throughput(naive, naive_n, 2 * workers), cpu_ms),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(prog="python -m graders bench")
    parser.add_argument("--exercise", default="rnn_cell_forward")
    parser.add_argument("-n", type=int, default=300, help="sandboxed gradings per measurement")
    parser.add_argument("--naive-n", type=int, default=30, help="naive gradings per measurement")
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args(argv)
    r = measure(args.exercise, args.n, args.naive_n, args.workers)
    s, b = r["sandboxed"], r["naive"]
    rows = [("sandboxed (warm zygotes, full isolation)", s), ("naive (fresh python -c, no sandbox)", b)]
    print(f"{args.exercise}, {args.workers} worker(s), {os.cpu_count()} CPU(s)")
    print(f"{'grader':<44}{'p50 ms':>9}{'p95 ms':>9}{'gradings/s':>12}{'CPU ms/grading':>16}")
    for name, row in rows:
        print(
            f"{name:<44}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['per_s']:>12.1f}{row['cpu_ms']:>16.1f}"
        )
    print(f"speed-up: {b['p50_ms'] / s['p50_ms']:.1f}x latency, {s['per_s'] / b['per_s']:.1f}x throughput")
    return 0

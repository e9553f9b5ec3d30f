"""The grading entry point: admission, cases, one sandboxed run, trusted judgement."""

from __future__ import annotations

import dataclasses
import os
import secrets
import threading
import time
from pathlib import Path

import numpy as np

from graders import hints, wire
from graders.catalogue import Catalogue, Exercise
from graders.exercise import Case
from graders.judge import judge
from graders.sandbox.limits import Limits
from graders.sandbox.pool import PoolConfig, SandboxError, SandboxPool
from graders.verdict import Verdict

MAX_SOURCE_BYTES = 64 << 10


def default_workers() -> int:
    """``$GRADER_WORKERS``, else one zygote per CPU this process may run on."""
    configured = os.environ.get("GRADER_WORKERS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else len(os.sched_getaffinity(0))


def admit(code: str | bytes) -> tuple[str, str]:
    """Return (source, '') for acceptable code, or ('', why it is rejected)."""
    if isinstance(code, str):
        try:
            raw = code.encode("utf-8")
        except UnicodeEncodeError as exc:
            return "", f"The submission is not valid UTF-8 text ({exc.reason} at character {exc.start})."
    else:
        raw = bytes(code)
    if len(raw) > MAX_SOURCE_BYTES:
        return "", f"The submission is {len(raw):,} bytes; the limit is {MAX_SOURCE_BYTES:,} bytes (64 KiB)."
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        return (
            "",
            f"The submission is not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}).",
        )


def encode_job(function: str, source: str, cases: list[Case]) -> bytes:
    """The job message the sandboxed child reads: source, function name and case arguments."""
    blobs = [source.encode("utf-8")]
    trees = [wire.encode_value(tuple(case.args), blobs) for case in cases]
    return wire.pack({"function": function, "source": 0, "cases": trees}, blobs)


class Grader:
    """Grades submissions against a catalogue, on a lazily started pool of warm sandboxes."""

    def __init__(
        self,
        exercises_dir: str | Path | None = None,
        *,
        workers: int | None = None,
        limits: Limits | None = None,
        pool_config: PoolConfig | None = None,
    ) -> None:
        self.catalogue = Catalogue(exercises_dir)
        self.limits = limits or Limits()
        self.pool_config = pool_config or PoolConfig(workers=workers or default_workers())
        self._pool: SandboxPool | None = None
        self._lock = threading.Lock()

    def pool(self) -> SandboxPool:
        """The sandbox pool, started on first use (and again in a forked child process)."""
        with self._lock:
            if self._pool is None or self._pool.pid != os.getpid():
                self._pool = SandboxPool(self.pool_config)
            return self._pool

    def grade(self, exercise: str, code: str | bytes, *, seed: int | None = None) -> Verdict:
        """Grade ``code`` for ``exercise`` (a slug). Thread-safe. ``seed`` replays hidden cases."""
        started = time.perf_counter()
        ex = self.catalogue.get(exercise)
        source, rejection = admit(code)
        if rejection:
            return Verdict(
                ex.slug, "rejected", 0.0, ex.max_score, feedback=(rejection,), exercise_version=ex.version
            )
        content = ex.content()
        seed = secrets.randbits(52) if seed is None else int(seed)
        if seed < 0:
            raise ValueError("seed must be a non-negative integer")
        cases = content.cases(np.random.default_rng(seed), ex.info.hidden_case_count)
        job = encode_job(ex.function, source, cases)
        limits = dataclasses.replace(self.limits, wall_s=ex.info.time_limit_s)
        expected = [content.expected(case) for case in cases]
        try:
            verdict = judge(ex, content, cases, expected, self.pool().run(job, limits), seed, limits)
        except SandboxError:  # a sandbox that failed before any submission code ran: try once more
            verdict = judge(ex, content, cases, expected, self.pool().run(job, limits), seed, limits)
        titles = {e.function: e.title for e in self.catalogue.exercises}
        if advice := hints.advise(verdict, source, ex.function, titles):
            feedback = tuple(dict.fromkeys([*verdict.feedback, *advice]))
            verdict = dataclasses.replace(verdict, feedback=feedback)
        verdict.timings["total_s"] = time.perf_counter() - started
        return verdict

    def exercises(self) -> list[Exercise]:
        """The catalogue, in order."""
        return list(self.catalogue.exercises)

    def close(self) -> None:
        """Stop the sandbox pool (no process is left behind)."""
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

"""Per-job limits, shared by the trusted side and the zygote."""

from __future__ import annotations

import math
from dataclasses import dataclass

SETUP_FAILED = 255  # exit status of a job whose sandbox could not be built (no submission code ran)


@dataclass(frozen=True)
class Limits:
    """Per-job limits. ``memory_bytes`` is address space above the zygote's own (the cgroup caps RSS)."""

    wall_s: float = 2.0
    memory_bytes: int = 512 << 20
    processes: int = 32
    file_bytes: int = 8 << 20
    open_files: int = 64
    scratch_bytes: int = 16 << 20
    output_keep: int = 16 << 10
    output_max: int = 1 << 20
    result_max: int = 16 << 20


def cpu_limit(wall_s: float) -> int:
    """RLIMIT_CPU (whole seconds) for a job with this wall-clock limit."""
    return math.ceil(wall_s) + 1
